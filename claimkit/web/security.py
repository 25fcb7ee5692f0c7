"""Response headers every page carries: no inline script, no framing, no MIME sniffing; and URL parts with
control characters are refused before any view reads them (a NUL in a token made PostgreSQL fail)."""

from flask import Flask, Response, abort, request

from claimkit.web.validators import has_control_characters

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)


def _headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    # A stricter policy breaks Flask-WTF's CSRF referrer check over HTTPS.
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    response.headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()"
    return response


def _refuse_control_characters_in_url() -> None:
    """A token or id holding NUL cannot name anything: 404, like any other unknown link."""
    if any(isinstance(v, str) and has_control_characters(v) for v in (request.view_args or {}).values()):
        abort(404)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_control_characters_in_url)
    app.after_request(_headers)
