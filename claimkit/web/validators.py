"""WTForms validators that delegate to the domain, so a rule is written once, and the input limits every form
shares (issue 18): no control characters in any text, plain decimal amounts within bounds, dates in a sane range
(the bounds themselves live in domain/limits.py, issue 21).
"""

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, Form, StringField, TextAreaField
from wtforms.validators import ValidationError

from claimkit.adapters import l10n
from claimkit.domain import formats, limits
from claimkit.domain.deadlines import local_today

Problem = Callable[[str], str | None]


def domain_check(problem: Problem) -> Callable[[Form, Field], None]:
    """Turns a domain `*_problem` function into a validator; empty values are left to Optional/Required."""

    def validate(_form: Form, field: Field) -> None:
        if field.data and (message := problem(field.data)):
            raise ValidationError(_(message))

    return validate


required_message = _l("Ce champ est obligatoire.")


def not_in_future(message: str) -> Callable[[Form, Field], None]:
    """A date of something that has happened (an act, a payment): checked in the form, with the other fields,
    so the student sees every mistake in one try; the service checks it again."""

    def validate(_form: Form, field: Field) -> None:
        from claimkit.web.db import clock

        if isinstance(field.data, date) and field.data > local_today(clock()()):
            raise ValidationError(_(message))

    return validate


def positive(message: str) -> Callable[[Form, Field], None]:
    """An amount that must be above 0 (what was paid or received)."""

    def validate(_form: Form, field: Field) -> None:
        if isinstance(field.data, Decimal) and field.data <= 0:
            raise ValidationError(_(message))

    return validate


_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿŒœ' \-]+")


def latin_name(_form: Form, field: Field) -> None:
    if field.data and not _LATIN_NAME.fullmatch(field.data.strip()):
        raise ValidationError(
            _("Écrivez ce nom en lettres latines, comme sur la CNIE ; l'orthographe arabe a son propre champ.")
        )


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def email_address(_form: Form, field: Field) -> None:
    if not _EMAIL.fullmatch((field.data or "").strip()):
        raise ValidationError(_("Adresse électronique invalide (ex. prenom.nom@exemple.ma)."))


MULTI_LINE = frozenset("\t\n\r")  # a textarea sends CRLF line ends
SINGLE_LINE = frozenset("\t")  # a one-line input cannot hold a line break: one there came from a script


def has_control_characters(text: str, allowed: frozenset[str] = MULTI_LINE) -> bool:
    """NUL and the other C0/C1 controls (PostgreSQL refuses NUL in text; the rest corrupts mails, CSV and iCal),
    and lone surrogates, which no UTF-8 text can hold."""
    return any(
        (unicodedata.category(char) == "Cc" and char not in allowed) or unicodedata.category(char) == "Cs"
        for char in text
    )


def _date_limits() -> tuple[date, date]:
    from claimkit.web.db import clock

    return limits.MIN_DATE, local_today(clock()()) + timedelta(days=limits.MAX_DAYS_AHEAD)


class SafeForm(FlaskForm):
    """Every form of the app: refuses control characters in any text field and dates outside `Limits`, with a
    message on the field, before anything reaches the services or the database (bounds: domain/limits.py)."""

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        for field in self:
            raw = [value for value in (field.raw_data or []) if isinstance(value, str)]
            allowed = MULTI_LINE if isinstance(field, TextAreaField) else SINGLE_LINE
            if any(has_control_characters(value, allowed) for value in raw):
                field.errors = [
                    _("Ce champ contient un caractère invisible non autorisé (caractère de contrôle) : retapez-le."),
                    *[e for e in field.errors if isinstance(e, str)],
                ]
                valid = False
            elif isinstance(field, DateField) and isinstance(field.data, date):
                first, last = _date_limits()
                if not first <= field.data <= last:
                    field.errors = [
                        *field.errors,
                        _(
                            "Date hors limites : choisissez une date entre le %(first)s et le %(last)s.",
                            # First-strong isolates: the dates keep their order inside an Arabic sentence.
                            first="\u2068" + l10n.day(first, get_locale(), "short") + "\u2069",
                            last="\u2068" + l10n.day(last, get_locale(), "short") + "\u2069",
                        ),
                    ]
                    valid = False
        return valid


_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# What Python's Decimal would also read: exponents, NaN, sNaN, Infinity (with a sign).
_NUMBER_LIKE = re.compile(r"[+-]?(?:[0-9.]+e[+-]?[0-9]+|s?nan[0-9]*|inf(?:inity)?)", re.IGNORECASE)
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫", "01234567890123456789.")


class AmountField(StringField):
    """Dirhams typed on a phone: "34,90", "34.90", "1 234,50" and Arabic-Indic digits all mean what the student
    meant. Only plain decimal numbers: no exponent ("1e5"), no NaN or Infinity, at most 2 decimals, at most
    `limits.MAX_AMOUNT`; each refusal says why."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw_amount = raw
        if not raw:
            return
        text = raw.translate(_ARABIC_DIGITS).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        text = text.replace(",", ".").removesuffix("DH").removesuffix("dh")
        if text.startswith("-") and _AMOUNT.fullmatch(text[1:]):
            raise ValueError(_("Montant invalide : il doit être positif (ex. 34,90)."))
        if not _AMOUNT.fullmatch(text):
            if _NUMBER_LIKE.fullmatch(text):
                raise ValueError(
                    _(
                        "Montant illisible : des chiffres et une virgule seulement, sans exposant (1e5) ni NaN ; "
                        "écrivez par exemple 34,90."
                    )
                )
            raise ValueError(_("Montant illisible : écrivez par exemple 34,90."))
        if len(text.partition(".")[2]) > limits.AMOUNT_DECIMALS:
            raise ValueError(_("Montant invalide : au plus 2 décimales (ex. 34,90)."))
        if Decimal(text) > limits.MAX_AMOUNT:
            raise ValueError(
                _("Montant trop élevé : au plus %(amount)s.", amount=l10n.money(limits.MAX_AMOUNT, get_locale()))
            )
        self.data = Decimal(text)

    def _value(self) -> str:
        if self.data is None:
            return getattr(self, "raw_amount", "") or ""
        return formats.decimal_comma(self.data)


# Codes in Latin letters and digits (CNIE, Massar, n° de recommandé…) stay left to right on an Arabic page:
# otherwise the groups of "BK 654321" or "RR 1234 MA" would be shown in reverse order.
LATIN_CODE = {"dir": "ltr", "spellcheck": "false"}
