"""Template helpers: amounts in the page's language, the domain's label tables."""

from decimal import Decimal

from flask import Flask
from flask_babel import get_locale, gettext

from claimkit.adapters import l10n
from claimkit.domain import advice, checklist, lifecycle, registration
from claimkit.domain.claims import ACT_LABELS, KIND_LABELS, STATE_LABELS
from claimkit.domain.forms import FORM_TITLES
from claimkit.domain.messages import Message
from claimkit.domain.refunds import MEDICINE, EstimateLine

_LABEL_MSGIDS = frozenset(ACT_LABELS.values()) | {MEDICINE}


def _money(value: Decimal | None) -> str:
    return l10n.money(value, get_locale())


def _explain(line: EstimateLine) -> str:
    """An estimate line's basis in the page's language, with its amounts and dates formatted for it."""
    return l10n.render(line.basis, get_locale())


def _estimate_label(line: EstimateLine) -> str:
    """Act labels are msgids; a medicine's label is the name the student typed, never passed to gettext (a "%"
    in it would break the page, and gettext's result is trusted markup)."""
    return gettext(line.label) if line.label in _LABEL_MSGIDS else line.label


def _render(message: Message) -> str:
    return l10n.render(message, get_locale())


def init_app(app: Flask) -> None:
    app.jinja_env.filters["money"] = _money
    app.jinja_env.filters["explain"] = _explain
    app.jinja_env.filters["render"] = _render
    app.jinja_env.filters["estimate_label"] = _estimate_label
    app.jinja_env.globals.update(
        ACT_LABELS=ACT_LABELS,
        KIND_LABELS=KIND_LABELS,
        STATE_LABELS=STATE_LABELS,
        EVENT_LABELS=lifecycle.EVENT_LABELS,
        FORM_TITLES=FORM_TITLES,
        ADVICE=advice,
        is_sheet=checklist.is_sheet,
        MAX_DOCUMENTS=checklist.MAX_DOCUMENTS,
        REGISTRATION=registration,
    )
