"""Private responses: files never cached by shared caches, and the end of a session wiping the phone's copies."""

from flask import Response
from werkzeug.wrappers import Response as BaseResponse


def file_response(content: bytes, mimetype: str, filename: str, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"', "Cache-Control": "private, no-store"}
    return Response(content, mimetype=mimetype, headers=headers)


def forget_this_device(response: BaseResponse) -> BaseResponse:
    """After logout or account deletion, the browser drops its HTTP cache and the service worker's copies (the
    dashboard kept for offline reading): on a shared phone, the next person must not read them offline."""
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
