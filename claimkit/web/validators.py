"""WTForms validators that delegate to the domain, so a rule is written once."""

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, StringField
from wtforms.validators import ValidationError

Problem = Callable[[str], str | None]


def domain_check(problem: Problem) -> Callable[[Form, Field], None]:
    """Turns a domain `*_problem` function into a validator; empty values are left to Optional/Required."""

    def validate(_form: Form, field: Field) -> None:
        if field.data and (message := problem(field.data)):
            raise ValidationError(_(message))

    return validate


required_message = _l("Ce champ est obligatoire.")

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


class AmountField(StringField):
    """Dirhams typed on a phone: "34,90", "34.90" and "1 234,50" all mean what the student meant."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        self.raw_amount = raw
        if not raw:
            return
        text = raw.replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        text = text.removesuffix("DH").removesuffix("dh")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("Montant illisible : écrivez par exemple 34,90.")) from None
        if value < 0 or value >= Decimal("1000000") or value != value.quantize(Decimal("0.01")):
            raise ValueError(_("Montant invalide : un nombre positif avec au plus 2 décimales (ex. 34,90)."))
        self.data = value

    def _value(self) -> str:
        if self.data is None:
            return getattr(self, "raw_amount", "") or ""
        return f"{self.data:.2f}".replace(".", ",")


# Codes in Latin letters and digits (CNIE, Massar, n° de recommandé…) stay left to right on an Arabic page:
# otherwise the groups of "BK 654321" or "RR 1234 MA" would be shown in reverse order.
LATIN_CODE = {"dir": "ltr", "spellcheck": "false"}
