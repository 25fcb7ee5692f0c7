"""The dashboard's card texts, written in Python with the render's catalogue, once per page.

Why not in the template: each `_()` inside a Jinja loop derives a new template context for its call, and a card
held five of them plus a URL, a date and an amount; for 20 cards that was half the page's CPU time
(bench/profile_pages.py, issue 20). Here one pass over the cards uses the catalogue and the locale looked up once
(web/template_i18n.py) and one bound URL pattern. The template keeps the markup; the words stay the same msgids.
"""

from dataclasses import dataclass

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, url_for
from jinja2 import pass_context
from jinja2.runtime import Context

from claimkit.adapters import l10n
from claimkit.domain.claims import STATE_LABELS, ClaimState, claim_title
from claimkit.domain.deadlines import DeadlineStatus
from claimkit.services.claims import ClaimCard
from claimkit.web.template_i18n import locale, translations

_ID = 2_147_483_647  # a placeholder claim id, replaced in the built URL (ids are positive 32-bit integers)


@dataclass(frozen=True)
class CardText:
    card: ClaimCard
    url: str
    title: str
    first_act: str  # "" when no act yet
    state: str
    days: str  # "" for a sent claim or one without a deadline
    pieces: str
    amount: str


def days_words(status: DeadlineStatus, catalogue: NullTranslations) -> str:
    """Days left in words: "Il reste 12 jours", "Dernier jour : aujourd'hui", "Hors délai depuis 3 jours"."""
    if status.days_left > 0:
        days = status.days_left
        return catalogue.ngettext("Il reste %(num)d jour", "Il reste %(num)d jours", days) % {"num": days}
    if status.days_left == 0:
        return catalogue.gettext("Dernier jour : aujourd'hui")
    late = -status.days_left
    return catalogue.ngettext("Hors délai depuis %(num)d jour", "Hors délai depuis %(num)d jours", late) % {"num": late}


def _isolated(value: str) -> str:
    return f"\u2068{value}\u2069"  # as the `isolate` filter (web/filters.py): keeps its order in Arabic


def _text(card: ClaimCard, url: str, catalogue: NullTranslations, where: Locale | None) -> CardText:
    row = card.row
    gettext = catalogue.gettext
    if row.paid_total:
        amount = gettext("Remboursé : %(amount)s") % {"amount": _isolated(l10n.money(row.paid_total, where))}
    else:
        amount = gettext("Estimé : %(amount)s") % {"amount": _isolated(l10n.money(row.estimate_total, where))}
    return CardText(
        card=card,
        url=url.replace(str(_ID), str(row.id)),
        title=claim_title(row.label, row.kind, row.copied_from is not None, gettext),
        first_act=l10n.day(row.first_act_on, where, "medium") if row.first_act_on else "",
        state=gettext(STATE_LABELS[ClaimState(row.state)]),
        days=days_words(card.deadline, catalogue) if card.deadline and card.editable else "",
        pieces=gettext("Pièces : %(done)s/%(total)s") % {"done": row.pieces_ticked, "total": row.pieces_required},
        amount=amount,
    )


@pass_context
def card_texts(context: Context, cards: list[ClaimCard]) -> list[CardText]:
    """Called once, outside the cards' loop (a call inside a loop derives a context each time)."""
    catalogue, where = translations(context), locale(context)
    url = url_for("claims.show", claim_id=_ID)
    return [_text(card, url, catalogue, where) for card in cards]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(card_texts=card_texts, days_words=_days_words_in_template)


@pass_context
def _days_words_in_template(context: Context, status: DeadlineStatus) -> str:
    """`days_text` of claims/_deadline.html, for the pages that show one deadline."""
    return days_words(status, translations(context))
