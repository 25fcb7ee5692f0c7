"""Template helpers: amounts and limits in the page's language, the domain's label tables and enums."""

from decimal import Decimal
from typing import Any

from flask import Flask
from flask_babel import LazyString, get_locale, gettext
from jinja2 import pass_context
from jinja2.runtime import Context

from claimkit.adapters import l10n
from claimkit.domain import advice, checklist, lifecycle, limits, registration
from claimkit.domain.claims import (
    ACT_LABELS,
    KIND_LABELS,
    STATE_LABELS,
    ClaimKind,
    ClaimState,
    PayoutMethod,
    claim_title,
)
from claimkit.domain.forms import FORM_TITLES
from claimkit.domain.languages import NATIVE_NAMES, Language, language
from claimkit.domain.messages import Message
from claimkit.domain.refunds import MEDICINE, EstimateLine
from claimkit.web.template_i18n import locale, translations

_LABEL_MSGIDS = frozenset(ACT_LABELS.values()) | {MEDICINE}


@pass_context
def _money(context: Context, value: Decimal | None) -> str:
    return l10n.money(value, locale(context))  # the render's locale: 20 amounts on the dashboard


def size_text(n_bytes: int) -> str:
    """A size limit of domain/limits.py in the page's language: "20 Mo" / "20 ميغابايت"."""
    return l10n.render(limits.shown(n_bytes), get_locale())


def lazy_size(n_bytes: int) -> LazyString:
    """The same, for a form label built at import (lazy_gettext): said when the page is drawn, in its language."""
    return LazyString(size_text, n_bytes)


def _explain(line: EstimateLine) -> str:
    """An estimate line's basis in the page's language, with its amounts and dates formatted for it."""
    return l10n.render(line.basis, get_locale())


def _estimate_label(line: EstimateLine) -> str:
    """Act labels are msgids; a medicine's label is the name the student typed, never passed to gettext (a "%"
    in it would break the page, and gettext's result is trusted markup)."""
    return gettext(line.label) if line.label in _LABEL_MSGIDS else line.label


def _render(message: Message) -> str:
    return l10n.render(message, get_locale())


def _isolate(value: object) -> str:
    """A value put inside a translated sentence (a date, an amount, a code, a name): first-strong isolated, so it
    keeps its own order in an Arabic sentence (the text equivalent of <bdi>, usable inside gettext)."""
    return f"\u2068{value}\u2069"


@pass_context
def _title(context: Context, row: Any) -> str:
    """A claim row's name in the page's language (domain.claims.claim_title)."""
    return claim_title(row.label, row.kind, row.copied_from is not None, translations(context).ugettext)


def _detail(event: Any) -> tuple[str, str]:
    """(our words, translated; what was typed) of a timeline event (lifecycle.said_detail)."""
    words, rest = lifecycle.said_detail(event.kind, event.detail)
    return (l10n.render(words, get_locale()) if words else ""), rest


def _page_language() -> Language:
    """The page's language as the enum: its code for `lang`, its `direction` for `dir`."""
    return language(get_locale())


def init_app(app: Flask) -> None:
    app.jinja_env.filters["money"] = _money
    app.jinja_env.filters["explain"] = _explain
    app.jinja_env.filters["render"] = _render
    app.jinja_env.filters["estimate_label"] = _estimate_label
    app.jinja_env.filters["isolate"] = _isolate
    app.jinja_env.globals.update(
        title_of=_title,
        detail_of=_detail,
        ACT_LABELS=ACT_LABELS,
        KIND_LABELS=KIND_LABELS,
        STATE_LABELS=STATE_LABELS,
        # The enums, so templates compare with members, never with their values spelled again (issue 21).
        ClaimKind=ClaimKind,
        ClaimState=ClaimState,
        PayoutMethod=PayoutMethod,
        LANGUAGES=tuple(Language),
        NATIVE_NAMES=NATIVE_NAMES,
        page_language=_page_language,
        size_of=size_text,
        SHEET_BYTES=limits.SHEET_BYTES,
        EVENT_LABELS=lifecycle.EVENT_LABELS,
        PAID_BY=lifecycle.PAID_BY,
        FORM_TITLES=FORM_TITLES,
        ADVICE=advice,
        is_sheet=checklist.is_sheet,
        MAX_DOCUMENTS=checklist.MAX_DOCUMENTS,
        REGISTRATION=registration,
    )
