"""The catalogues and the Moroccan formats of dates and amounts, usable without Flask.

The web pages get the same catalogues through Flask-Babel; emails (rendered by the scheduler, outside any request)
and PDFs load them from here. Formats follow the Moroccan variants of the two languages (fr_MA, ar_MA): Latin digits
and a decimal comma in both, Moroccan month names in Arabic ("نونبر").
"""

from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from claimkit.adapters.package_data import package_path
from claimkit.domain.messages import Message

CATALOGUES = package_path("translations")
LANGUAGES = ("fr", "ar")
CURRENCY = {"fr": "DH", "ar": "درهم"}


def language(locale: str | Locale | None) -> str:
    """ "ar", "ar_MA" or Locale("ar", "MA") → "ar"; anything unknown → "fr" (the source language)."""
    code = str(locale or "fr").replace("-", "_").split("_")[0]
    return code if code in LANGUAGES else "fr"


def regional(locale: str | Locale | None) -> str:
    """The Moroccan variant used for formats: "ar" → "ar_MA"."""
    return f"{language(locale)}_MA"


@cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of `locale` (French, the source language, is the identity)."""
    return Translations.load(str(CATALOGUES), [language(locale)])


def text_direction(locale: str | Locale | None) -> str:
    return "rtl" if language(locale) == "ar" else "ltr"


def money(value: Decimal | None, locale: str | Locale | None = "fr") -> str:
    """34.9 → "34,90 DH" / "34,90 درهم"; thousands grouped, amount and currency kept on one line; None → "—"."""
    if value is None:
        return "—"
    return _money(value, language(locale))


@lru_cache(maxsize=4096)
def _money(value: Decimal, lang: str) -> str:
    """Babel parses the pattern and the locale on every call (about 50 µs): a dashboard prints 20 to 40 amounts,
    mostly the same few (bench/README.md, issue 20). Pure, so a per-process cache is safe on any worker."""
    number = format_decimal(value, format="#,##0.00", locale=regional(lang))
    return f"{number}\u00a0{CURRENCY[lang]}"


def day(value: date, locale: str | Locale | None = "fr", width: str = "long") -> str:
    """25 novembre 2026 / 25 نونبر 2026 ("long"), 25 nov. 2026 ("medium"), 25/11/2026 ("short")."""
    if width == "short":
        return f"{value:%d/%m/%Y}"
    return format_date(value, format=width, locale=regional(locale))


def render(message: Message, locale: str | Locale | None = "fr") -> str:
    """A domain message in `locale`: translated, then filled with amounts and dates written for it."""
    return message.render(
        translations(language(locale)).gettext,
        amount=lambda value: money(value, locale),
        day=lambda value: day(value, locale, "short"),
    )
