"""domain/formats.py: the one home of amounts and numeric dates, and what the rest of the app builds on it."""

from datetime import date
from decimal import Decimal

import pytest
from babel.numbers import format_decimal

from claimkit.adapters import l10n
from claimkit.domain import formats
from claimkit.domain.languages import Language, language


@pytest.mark.parametrize(
    ("value", "french", "arabic"),
    [
        ("34.9", "34,90\u00a0DH", "34,90\u00a0درهم"),
        ("1234.5", "1\u202f234,50\u00a0DH", "1.234,50\u00a0درهم"),
        ("1000000", "1\u202f000\u202f000,00\u00a0DH", "1.000.000,00\u00a0درهم"),
        ("0.005", "0,01\u00a0DH", "0,01\u00a0درهم"),  # half up, as the estimates round (refunds._cents)
        ("14", "14,00\u00a0DH", "14,00\u00a0درهم"),
        ("-5", "-5,00\u00a0DH", "-5,00\u00a0درهم"),
    ],
)
def test_amounts_in_both_languages(value: str, french: str, arabic: str) -> None:
    assert formats.amount(Decimal(value), Language.FR) == french
    assert formats.amount(Decimal(value), Language.AR) == arabic


@pytest.mark.parametrize("value", ["34.90", "1234.50", "999999.99", "1000000", "0", "12345678.10"])
@pytest.mark.parametrize("lang", list(Language))
def test_amounts_are_the_digits_cldr_writes_for_morocco(value: str, lang: Language) -> None:
    """The pure-Python formatter replaced Babel's (issue 21): same digits and separators as fr_MA / ar_MA."""
    number = format_decimal(Decimal(value), format="#,##0.00", locale=f"{lang}_MA")
    assert formats.amount(Decimal(value), lang) == f"{number}\u00a0{formats.CURRENCY[lang]}"


def test_no_amount_is_a_dash() -> None:
    assert formats.amount(None) == "—" == l10n.money(None, "ar")


def test_plain_figure_for_fields_sheets_and_csv() -> None:
    assert formats.decimal_comma(Decimal("34.9")) == "34,90"
    assert formats.decimal_comma(Decimal("1234.5")) == "1234,50"  # no grouping: a form field reads it back


def test_numeric_date_and_the_page_formats_route_through_it() -> None:
    assert formats.numeric_date(date(2026, 11, 5)) == "05/11/2026"
    assert l10n.day(date(2026, 11, 5), "ar_MA", "short") == "05/11/2026"
    assert l10n.money(Decimal("1234.5"), "ar_MA") == formats.amount(Decimal("1234.5"), Language.AR)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("ar", Language.AR),
        ("ar_MA", Language.AR),
        ("ar-MA", Language.AR),
        ("fr_MA", Language.FR),
        ("de", Language.FR),
        (None, Language.FR),
        ("", Language.FR),
    ],
)
def test_language_of_any_locale(given: str | None, expected: Language) -> None:
    assert language(given) is expected


def test_direction_follows_the_language() -> None:
    assert (Language.AR.rtl, Language.AR.direction) == (True, "rtl")
    assert (Language.FR.rtl, Language.FR.direction) == (False, "ltr")
