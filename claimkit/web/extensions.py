"""Flask extensions, created unbound and attached in `create_app` (nothing happens at import)."""

from flask import request
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from claimkit.adapters import l10n

LOCALES = l10n.LANGUAGES
LANGUAGE_COOKIE = "langue"

csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()


def select_locale() -> str:
    """The profile's language once signed in, else the visitor's choice (cookie), else the browser's preference;
    in its Moroccan variant (ar_MA, fr_MA) so dates and numbers use Latin digits and Moroccan month names."""
    if current_user and current_user.is_authenticated:
        return l10n.regional(current_user.locale)
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    return l10n.regional(chosen if chosen in LOCALES else request.accept_languages.best_match(LOCALES))
