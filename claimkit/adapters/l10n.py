"""The catalogues, and the formats in a reader's language, usable without Flask.

The web pages get the same catalogues through Flask-Babel; emails (rendered by the scheduler, outside any request)
and PDFs load them from here. The formats themselves are domain/formats.py's (amounts, numeric dates); only the
month names come from Babel's CLDR data here (Moroccan month names in Arabic, "نونبر").
"""

from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.support import NullTranslations, Translations

from claimkit.adapters.package_data import package_path
from claimkit.domain import formats
from claimkit.domain.languages import SOURCE, Language, language
from claimkit.domain.messages import Message

CATALOGUES = package_path("translations")
LANGUAGES = tuple(Language)

__all__ = ["LANGUAGES", "day", "language", "money", "regional", "render", "text_direction", "translations"]


def regional(locale: str | Locale | None) -> str:
    """The Moroccan variant used for formats: "ar" → "ar_MA"."""
    return f"{language(locale)}_MA"


@cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of `locale` (French, the source language, is the identity)."""
    return Translations.load(str(CATALOGUES), [language(locale)])


def text_direction(locale: str | Locale | None) -> str:
    return language(locale).direction


def money(value: Decimal | None, locale: str | Locale | None = SOURCE) -> str:
    """34.9 → "34,90 DH" / "34,90 درهم" (domain/formats.amount, in the language of `locale`)."""
    return formats.amount(value, language(locale))


def day(value: date, locale: str | Locale | None = SOURCE, width: str = "long") -> str:
    """25 novembre 2026 / 25 نونبر 2026 ("long"), 25 nov. 2026 ("medium"), 25/11/2026 ("short")."""
    if width == "short":
        return formats.numeric_date(value)
    return _day(value, regional(locale), width)


@lru_cache(maxsize=4096)
def _day(value: date, regional_locale: str, width: str) -> str:
    """Babel parses the pattern on every call (about 40 µs); a dashboard prints 20 dates (issue 20). Pure."""
    return format_date(value, format=width, locale=regional_locale)


def render(message: Message, locale: str | Locale | None = SOURCE) -> str:
    """A domain message in `locale`: translated, then filled with amounts and dates written for it."""
    return message.render(
        translations(language(locale)).gettext,
        amount=lambda value: money(value, locale),
        day=lambda value: day(value, locale, "short"),
    )
