"""Private file responses: never cached by shared caches, named for the student's download folder."""

from flask import Response


def file_response(content: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"', "Cache-Control": "private, no-store"}
    return Response(content, mimetype=mimetype, headers=headers)
