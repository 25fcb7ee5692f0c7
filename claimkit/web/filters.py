"""Template helpers: amounts in the page's language, the domain's label tables."""

from decimal import Decimal

from flask import Flask
from flask_babel import get_locale, gettext

from claimkit.adapters import l10n
from claimkit.domain import lifecycle
from claimkit.domain.claims import ACT_LABELS, KIND_LABELS, STATE_LABELS
from claimkit.domain.forms import FORM_TITLES
from claimkit.domain.refunds import EstimateLine


def _money(value: Decimal | None) -> str:
    return l10n.money(value, get_locale())


def _explain(line: EstimateLine) -> str:
    """An estimate line's basis in the page's language, with its amounts and dates formatted for it."""
    locale = get_locale()
    return line.explain(gettext, amount=lambda value: l10n.money(value, locale),
                        day=lambda value: l10n.day(value, locale, "short"))  # fmt: skip


def init_app(app: Flask) -> None:
    app.jinja_env.filters["money"] = _money
    app.jinja_env.filters["explain"] = _explain
    app.jinja_env.globals.update(
        ACT_LABELS=ACT_LABELS,
        KIND_LABELS=KIND_LABELS,
        STATE_LABELS=STATE_LABELS,
        EVENT_LABELS=lifecycle.EVENT_LABELS,
        FORM_TITLES=FORM_TITLES,
    )
