"""Flask extensions, created unbound and attached in `create_app` (nothing happens at import)."""

from flask import request
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

LOCALES = ("fr", "ar")

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


def select_locale() -> str:
    """The profile's language once signed in, otherwise the browser's preference."""
    if current_user and current_user.is_authenticated:
        return str(current_user.locale)
    return request.accept_languages.best_match(LOCALES) or "fr"
