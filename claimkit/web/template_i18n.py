"""Templates translate with the catalogue and locale looked up once per render, not once per string.

Flask-Babel installs `_()` as `get_translations().ugettext(s)`: each call walks `g` and the request context
through werkzeug proxies and formats the locale's identifier again to find the cached catalogue — about 15 µs,
and the dashboard makes ~70 such calls (its 20 cards), a fifth of its time (bench/profile_pages.py, issue 20).
A context processor puts the catalogue and the locale in each render's context; `_()`, `ngettext()` and the
filters read them from there. A template imported without context (a macro file) has neither and falls back to
Flask-Babel, so the result is always the same, only the cost differs.
"""

from typing import Any

from babel import Locale
from babel.support import NullTranslations
from flask import Flask
from flask_babel import get_locale, get_translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

TRANSLATIONS, LOCALE = "_translations", "_locale"


def translations(context: Context) -> NullTranslations:
    found: NullTranslations | None = context.get(TRANSLATIONS)
    return found if found is not None else get_translations()


def locale(context: Context) -> Locale | None:
    found: Locale | None = context.get(LOCALE)
    return found if found is not None else get_locale()


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translations(context).ugettext(message)


@pass_context
def _translate(context: Context, message: str, **variables: Any) -> str:
    """A template's `_()` in one call. Jinja's own `_` (`jinja2.ext._gettext_alias`) resolves `gettext` in the
    context and calls it, which calls `_gettext` above: three `Context.call`s per string, about 40 µs, and the claim
    page has ~89 strings (issue 20). The same steps as jinja2.ext's newstyle gettext: Markup when autoescaping, and
    always formatted with `%`, so "%%" is "%" with or without variables."""
    text = translations(context).ugettext(message)
    if context.eval_ctx.autoescape:
        # Safe: the catalogue's own text, as jinja2.ext does.
        text = Markup(text)  # nosec B704
    return text % variables


@pass_context
def _ngettext(context: Context, singular: str, plural: str, count: int) -> str:
    return translations(context).ungettext(singular, plural, count)


@pass_context
def _pgettext(context: Context, where: str, message: str) -> str:
    return translations(context).upgettext(where, message)


@pass_context
def _npgettext(context: Context, where: str, singular: str, plural: str, count: int) -> str:
    return translations(context).unpgettext(where, singular, plural, count)


def _per_render() -> dict[str, Any]:
    return {TRANSLATIONS: get_translations(), LOCALE: get_locale()}


def init_app(app: Flask) -> None:
    """After `babel.init_app`, whose callables these replace."""
    # install_gettext_callables is added by the i18n extension, hence unknown to the type checker.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext, ngettext=_ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    app.jinja_env.globals["_"] = _translate
    app.context_processor(_per_render)
