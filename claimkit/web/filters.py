"""Template helpers: French money, the domain's label tables, urgency text."""

from decimal import Decimal

from flask import Flask

from claimkit.domain import lifecycle
from claimkit.domain.claims import ACT_LABELS, KIND_LABELS, STATE_LABELS
from claimkit.domain.forms import FORM_TITLES
from claimkit.domain.refunds import money


def _money(value: Decimal | None) -> str:
    return "—" if value is None else money(value)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["money"] = _money
    app.jinja_env.globals.update(
        ACT_LABELS=ACT_LABELS,
        KIND_LABELS=KIND_LABELS,
        STATE_LABELS=STATE_LABELS,
        EVENT_LABELS=lifecycle.EVENT_LABELS,
        FORM_TITLES=FORM_TITLES,
    )
