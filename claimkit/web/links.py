"""claimkit.services.links.Links from the app's routes, absolute on BASE_URL: usable in a request, in the
scheduler process and in the CLI alike (the URL map is bound to BASE_URL, not to a request)."""

from urllib.parse import urlsplit

from flask import Flask
from werkzeug.routing import MapAdapter


class RouteLinks:
    """Binds the URL map once, on first use (routes are registered after `create_app` builds this object; binding
    on every call cost a reminders pass a map bind per link, issue 20). BASE_URL is read at that first use: it is
    fixed for the process's life."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._adapter: MapAdapter | None = None

    def _bound(self) -> MapAdapter:
        if self._adapter is None:
            base = urlsplit(self._app.config["BASE_URL"])
            self._adapter = self._app.url_map.bind(
                base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "http"
            )
        return self._adapter

    def _url(self, endpoint: str, **values: object) -> str:
        return self._bound().build(endpoint, values, force_external=True)

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
