"""claimkit.services.links.Links from the app's routes, absolute on BASE_URL: usable in a request, in the
scheduler process and in the CLI alike (the URL map is bound to BASE_URL, not to a request)."""

from urllib.parse import urlsplit

from flask import Flask


class RouteLinks:
    def __init__(self, app: Flask) -> None:
        self._app = app

    def _url(self, endpoint: str, **values: object) -> str:
        base = urlsplit(self._app.config["BASE_URL"])
        adapter = self._app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http")
        return adapter.build(endpoint, values, force_external=True)

    def claim(self, claim_id: int) -> str:
        return self._url("claims.show", claim_id=claim_id)

    def profile(self) -> str:
        return self._url("profile.edit")

    def confirm_email(self, token: str) -> str:
        return self._url("notifications.confirm", token=token)

    def unsubscribe(self, token: str) -> str:
        return self._url("notifications.unsubscribe_page", token=token)

    def reset_password(self, token: str) -> str:
        return self._url("auth.reset", token=token)

    def sign_up(self) -> str:
        return self._url("auth.signup")

    def finish_sign_up(self, token: str) -> str:
        return self._url("auth.signup_finish", token=token)

    def log_in(self) -> str:
        return self._url("auth.login")

    def forgot_password(self) -> str:
        return self._url("auth.forgot")
