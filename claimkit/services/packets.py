"""The ready-to-post packet and the filled forms of a claim.

The packet's sentences are written here, in the student's language (`User.locale`): French msgids, translated
first and filled after (so a catalogue can move the figures around), with amounts and dates in the Moroccan
formats of claimkit.adapters.l10n. The domain's packet_data assembles the rest; the forms stay French.
"""

from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path

from babel.support import NullTranslations
from sqlalchemy.orm import Session

from claimkit.adapters import l10n, official_forms, pdf
from claimkit.adapters.db import models as db_models
from claimkit.adapters.db import sheets
from claimkit.adapters.db.mappers import student_of
from claimkit.adapters.db.ownership import NotFound
from claimkit.domain.checklist import is_sheet
from claimkit.domain.claims import ACT_LABELS, claim_title
from claimkit.domain.deadlines import DeadlineStatus, local_today
from claimkit.domain.forms import FormId
from claimkit.domain.languages import Language
from claimkit.domain.messages import N_
from claimkit.domain.refunds import MEDICINE, RefundEstimate
from claimkit.domain.schemes import Scheme
from claimkit.domain.sheets import KIND_OF_FORM, insurer_code, overlay_fields
from claimkit.services import Clock, ServiceError, official_sheets, schemes
from claimkit.services.claims import ClaimView, claim_view

ACT_LINE = N_("%(act)s du %(date)s : %(amount)s")
TOTAL_PAID = N_("Total payé : %(amount)s")
DUE = N_("À poster au plus tard le %(date)s — %(days)s")
NO_DUE = N_("Date limite : ajoutez la date du premier acte.")
# One line each in the deadline panel: kept short.
POST_BEFORE = N_("Postez avant le %(date)s (marge pour l'acheminement du recommandé).")
LATE = N_("Envoyez-le vite, avec un mot qui explique le retard. CNOPS : %(phone)s")
LAST_DAY = N_("dernier jour : aujourd'hui")
ESTIMATE = N_("Remboursement estimé : %(amount)s (estimation indicative, la CNOPS décide).")
ESTIMATE_LINE = N_("%(label)s : %(amount)s — %(basis)s")
NOT_ESTIMATED = N_("non estimé")
ESTIMATE_CNSS = N_("Remboursement estimé : %(amount)s (estimation indicative, la CNSS décide).")  # law 54-23
# The French packet keeps its numeric due date; the Arabic one names the (Moroccan) month, as the Arabic pages do.
DUE_DATE_WIDTH = {Language.FR: "short", Language.AR: "long"}


def _days_text(days: int, catalogue: NullTranslations) -> str:
    if days > 0:
        return catalogue.ngettext("il reste %(num)d jour", "il reste %(num)d jours", days) % {"num": days}
    if days == 0:
        return catalogue.gettext(LAST_DAY)
    late = -days
    return catalogue.ngettext("hors délai depuis %(num)d jour", "hors délai depuis %(num)d jours", late) % {"num": late}


def _deadline_text(deadline: DeadlineStatus | None, locale: Language, catalogue: NullTranslations) -> str:
    if deadline is None:
        return catalogue.gettext(NO_DUE)
    due = l10n.day(deadline.due, locale, DUE_DATE_WIDTH[locale])
    return catalogue.gettext(DUE) % {"date": due, "days": _days_text(deadline.days_left, catalogue)}


def _estimate_lines(estimate: RefundEstimate, locale: Language, catalogue: NullTranslations) -> list[str]:
    """Each line of the one estimator with its basis, as the claim page shows it (docs/domain.md#refund-estimate);
    a medicine's name is the student's text, never passed to gettext."""
    typed = {id(line) for line in estimate.medicines if line.label != MEDICINE}
    return [
        catalogue.gettext(ESTIMATE_LINE)
        % {
            "label": line.label if id(line) in typed else catalogue.gettext(line.label),
            "amount": l10n.money(line.amount, locale) if line.estimated else catalogue.gettext(NOT_ESTIMATED),
            "basis": l10n.render(line.basis, locale),
        }
        for line in estimate.lines
    ]


def _posting_text(view: ClaimView, locale: Language, catalogue: NullTranslations) -> str:
    """Under the legal date: the "poster avant" day, or for a late claim what to do instead of a second "hors
    délai" (docs/domain.md#deadline-and-posting)."""
    if view.deadline is None or view.posting is None:
        return ""
    if view.deadline.days_left < 0:
        return catalogue.gettext(LATE) % {"phone": view.contacts.phone if view.contacts else ""}
    day = l10n.day(view.posting.post_before, locale, DUE_DATE_WIDTH[locale])
    return catalogue.gettext(POST_BEFORE) % {"date": day}


def packet_data(db: Session, clock: Clock, user_id: int, claim_id: int) -> pdf.PacketData:
    view = claim_view(db, clock, user_id, claim_id)
    if view.straddle:  # one sheet per scheme: the student splits the claim first (law 54-23)
        raise ServiceError(view.straddle)
    today = local_today(clock())
    user = db.get(db_models.User, user_id)
    locale = l10n.language(user.locale if user else None)
    catalogue = l10n.translations(locale)
    money = partial(l10n.money, locale=locale)
    facts, row = view.facts, view.row
    insurer = schemes.insurer_for(db, view.scheme, today)
    acts = [
        catalogue.gettext(ACT_LINE)
        % {
            "act": catalogue.gettext(ACT_LABELS[a.type]),
            "date": l10n.day(a.performed_on, locale, "short"),
            "amount": money(a.amount),
        }
        for a in facts.acts
    ]
    data = pdf.packet_data(
        student_of(db.get(db_models.Profile, user_id)),
        facts,
        locale=locale,
        money=money,
        title=claim_title(row.label, row.kind, row.copied_from is not None, catalogue.gettext),
        summary=[*acts, catalogue.gettext(TOTAL_PAID) % {"amount": money(facts.total_paid)}],
        deadline_text=_deadline_text(view.deadline, locale, catalogue),
        posting_text=_posting_text(view, locale, catalogue),
        checklist=[
            pdf.ChecklistLine(
                catalogue.gettext(item.label),
                item.required,
                item.key in view.ticked,
                None if is_sheet(item.key) else view.documents.get(item.key, 0),
            )
            for item in view.assessment.items
        ],
        insurer_name=insurer.name if insurer else "CNOPS",
        insurer_address=insurer.lines if insurer else [],
        medicine_refunds=[line.amount if line.estimated else None for line in view.estimate.medicines],
        estimate_text=catalogue.gettext(ESTIMATE if view.scheme is Scheme.AMO_E else ESTIMATE_CNSS)
        % {"amount": money(view.estimate.total)},
        estimate_lines=_estimate_lines(view.estimate, locale, catalogue),
        today=today,
        # the documents in the envelope besides the sheet itself, as the student counted them per line
        # (docs/domain.md, "Official sheets and the student's part")
        attachments=view.attachments,
        scheme=view.scheme,
    )
    return replace(data, rights_warnings=[l10n.render(message, locale) for message in view.rights])


def _chosen(
    db: Session, clock: Clock, user_id: int, claim_id: int, data: pdf.PacketData
) -> dict[FormId, db_models.OfficialSheet]:
    view = claim_view(db, clock, user_id, claim_id)
    return chosen_sheets(db, clock, view, [form for form, _v in data.forms])


def chosen_sheets(
    db: Session, clock: Clock, view: ClaimView, forms: list[FormId]
) -> dict[FormId, db_models.OfficialSheet]:
    """Per form, the sheet row the envelope carries for the claim of `view` (its own upload first)."""
    day = view.facts.first_act_date or local_today(clock())
    insurer = schemes.insurer_for(db, view.scheme, day)  # the CNSS's sheets for an ayant droit after law 54-23
    code = insurer_code(insurer.name) if insurer else "CNOPS"
    found = {form: sheets.chosen(db, KIND_OF_FORM[form], code, day, view.row.id) for form in forms}
    return {form: row for form, row in found.items() if row is not None}


def sheet_sources(
    db: Session, clock: Clock, root: Path, user_id: int, claim_id: int, data: pdf.PacketData
) -> dict[FormId, bytes]:
    """Per form, the official sheet as loaded (cheap: a file read): the student's own upload for this claim, else
    the insurer's sheet in force on the date of care (docs/domain.md, "Official sheets and the student's part")."""
    found = {form: official_sheets.read(root, row) for form, row in _chosen(db, clock, user_id, claim_id, data).items()}
    return {form: sheet for form, sheet in found.items() if sheet}


def sheet_offsets(
    db: Session, clock: Clock, user_id: int, claim_id: int, data: pdf.PacketData
) -> dict[FormId, dict[str, tuple[int, int]]]:
    """Per form, the student's nudges (mm) of the values on the sheet the packet carries (their own sheet only)."""
    found = {
        form: sheets.offsets_of(db, row.id)
        for form, row in _chosen(db, clock, user_id, claim_id, data).items()
        if row.user_id == user_id
    }
    return {form: offsets for form, offsets in found.items() if offsets}


def written_sheets(
    data: pdf.PacketData,
    sources: dict[FormId, bytes],
    offsets: Mapping[FormId, Mapping[str, tuple[int, int]]] | None = None,
) -> dict[FormId, bytes]:
    """The sheets with the student's part written, their nudges applied; one whose labels cannot be found goes as
    it is (by hand)."""
    written: dict[FormId, bytes] = {}
    for form, values in data.forms:
        if form not in sources:
            continue
        try:
            moved = (offsets or {}).get(form)
            written[form] = official_forms.overlay(sources[form], overlay_fields(values), offsets=moved)
        except official_forms.SheetRefused:
            written[form] = sources[form]
    return written


def packet(db: Session, clock: Clock, user_id: int, claim_id: int, sheets_root: Path | None = None) -> bytes:
    """The packet; with `sheets_root` (UPLOAD_DIR) it carries the official sheets loaded for the claim."""
    data = packet_data(db, clock, user_id, claim_id)
    sources = sheet_sources(db, clock, sheets_root, user_id, claim_id, data) if sheets_root else {}
    offsets = sheet_offsets(db, clock, user_id, claim_id, data)
    return pdf.build_packet(data, written_sheets(data, sources, offsets))


def fillable_form(db: Session, clock: Clock, user_id: int, claim_id: int, form_name: str) -> bytes:
    data = packet_data(db, clock, user_id, claim_id)
    for form, values in data.forms:
        if form.value == form_name:
            return pdf.fillable(form, values)
    raise NotFound
