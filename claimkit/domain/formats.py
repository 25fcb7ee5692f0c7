"""How claimkit writes figures for people: amounts and dates, in the Moroccan conventions of its two
languages (fr_MA, ar_MA in CLDR): Latin digits and a decimal comma in both, thousands grouped by a narrow
no-break space in French and by a dot in Arabic, the currency after the number, on the same line.

The one home of these formats. It lives in the domain because the domain itself writes figures (the values on a
feuille de soins, domain/forms.py) and because it is plain arithmetic on strings: the pages' `money` filter, the
messages' amounts (adapters/l10n.render), the packet, the CSV export and the form fields all call it, so a sheet
and the page that shows it never disagree on a digit. A file size is said with its unit in the reader's language,
so it is a message (domain/limits.py, `shown`). Month names are the one format that needs locale data
(CLDR's Moroccan Arabic months, "نونبر"): adapters/l10n.day takes them from Babel and its numeric form from here.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from claimkit.domain.languages import SOURCE, Language

CENT = Decimal("0.01")
CURRENCY = {Language.FR: "DH", Language.AR: "درهم"}
THOUSANDS = {Language.FR: "\u202f", Language.AR: "."}  # CLDR fr_MA and ar_MA, as Babel wrote them before
NO_AMOUNT = "—"


def decimal_comma(value: Decimal) -> str:
    """34.9 → "34,90": the plain figure a form field shows back, a sheet's box holds and the CSV export writes
    (no grouping, no currency: the box's label or the column says DH)."""
    return f"{value.quantize(CENT, ROUND_HALF_UP):f}".replace(".", ",")


def amount(value: Decimal | None, language: Language = SOURCE) -> str:
    """34.9 → "34,90 DH" / "34,90 درهم"; 1234.5 → "1 234,50 DH" / "1.234,50 درهم"; None → "—". A no-break space
    before the currency keeps it with its number when a line wraps."""
    if value is None:
        return NO_AMOUNT
    whole, _, cents = f"{value.quantize(CENT, ROUND_HALF_UP):,f}".partition(".")
    return f"{whole.replace(',', THOUSANDS[language])},{cents}\u00a0{CURRENCY[language]}"


def numeric_date(value: date) -> str:
    """25/11/2026: the short form, the same in both languages (Latin digits, day first)."""
    return f"{value:%d/%m/%Y}"
