"""Claims use cases: create, add acts and medicines, tick attachments, move through the lifecycle.

Every use case loads the claim through `adapters/db/ownership.owned_claim`, so a student only ever touches their own
dossiers, then refreshes what is derived (deadline, prête/brouillon) and commits once.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Row, Select, bindparam, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from claimkit.adapters import l10n
from claimkit.adapters.db import medicines, reference
from claimkit.adapters.db import models as db_models
from claimkit.adapters.db.mappers import student_of, to_domain, write_details
from claimkit.adapters.db.ownership import NotFound, owned_child, owned_claim
from claimkit.domain import advice, checklist, consistency, deadlines, lifecycle
from claimkit.domain import claims as domain
from claimkit.domain import posting as posting_rules
from claimkit.domain.forms import FormId, forms_for
from claimkit.domain.identifiers import ean13_problem, ice_problem
from claimkit.domain.languages import SOURCE
from claimkit.domain.messages import N_, Message
from claimkit.domain.refunds import RefundEstimate, estimate_refund
from claimkit.domain.schemes import Scheme, straddle_problem
from claimkit.services import Clock, ServiceError, photos, registrations, reminders, schemes

log = logging.getLogger(__name__)


_CHILDREN = (db_models.Claim.acts, db_models.Claim.medicines, db_models.Claim.ticks, db_models.Claim.payments)


def _load_claims(db: Session, user_id: int) -> list[db_models.Claim]:
    """All of a student's claims with their children in a fixed number of queries (no N+1)."""
    query = select(db_models.Claim).where(db_models.Claim.user_id == user_id, db_models.Claim.deleted_at.is_(None))
    return list(db.scalars(query.options(*(selectinload(r) for r in _CHILDREN))))


def add_event(claim: db_models.Claim, clock: Clock, event: lifecycle.Event) -> None:
    claim.events.append(
        db_models.ClaimEvent(
            kind=event.kind, occurred_on=event.on, at=clock(), detail=event.detail, amount=event.amount
        )
    )


def advance(
    claim: db_models.Claim,
    clock: Clock,
    target: domain.ClaimState,
    on: date | None = None,
    detail: str = "",
    amount: Decimal | None = None,
) -> None:
    """Moves the claim and records the event, by the domain's rules (lifecycle.advance); a refusal comes back
    as a ServiceError in French and leaves the claim as it was."""
    current = domain.ClaimState(claim.state)
    try:
        state, event = lifecycle.advance(current, target, on or deadlines.local_today(clock()), detail, amount)
    except lifecycle.TransitionRefused as refused:
        raise ServiceError(refused.message) from None
    claim.state = state
    add_event(claim, clock, event)


def create_claim(db: Session, clock: Clock, user_id: int, kind: str, label: str = "") -> db_models.Claim:
    if kind not in set(domain.ClaimKind):
        raise ServiceError(N_("Type de feuille inconnu."))
    now = clock()
    claim = db_models.Claim(
        user_id=user_id,
        kind=kind,
        state=domain.ClaimState.BROUILLON,
        label=label.strip(),
        created_at=now,
        updated_at=now,
    )
    db.add(claim)
    add_event(claim, clock, lifecycle.created(deadlines.local_today(now)))
    summarise(db, clock, claim)
    db.commit()
    log.info("claim %s created by user %s", claim.id, user_id)
    return claim


def known_practitioners(db: Session, user_id: int, limit: int = 12) -> list[str]:
    """The practitioners of the student's earlier acts, latest first: offered as choices (a datalist), never
    pre-filled, so a pharmacy act cannot silently inherit the doctor's name and INPE."""
    rows = db.execute(
        select(db_models.Act.practitioner, func.max(db_models.Act.id).label("latest"))
        .join(db_models.Claim)
        .where(db_models.Claim.user_id == user_id, db_models.Act.practitioner != "")
        .group_by(db_models.Act.practitioner)
        .order_by(func.max(db_models.Act.id).desc())
        .limit(limit)
    )
    return [row.practitioner for row in rows]


def _check_treatment(start: date | None, end: date | None, acts: tuple[domain.Act, ...]) -> None:
    """A continuous treatment must contain every act it covers, else the deadline counted from its end is wrong."""
    if start is None or end is None or end < start:
        return
    if outside := domain.Treatment(start, end).outside(acts):
        first = min(act.performed_on for act in outside)
        raise ServiceError(
            N_(
                "L'acte du %(day)s est en dehors du traitement continu (du %(start)s au %(end)s) : corrigez la date "
                "de l'acte ou les dates du traitement, ou faites un dossier à part pour cet acte."
            ),
            {"day": first, "start": start, "end": end},
        )


# Refusals the forms also check, so every mistake of a form shows in one try (issue 17).
AMOUNT_NOT_POSITIVE = N_("Le montant payé doit être supérieur à 0.")
ACT_IN_FUTURE = N_("La date de l'acte est dans le futur : vérifiez-la.")
TREATMENT_HALF = N_("Indiquez le début et la fin du traitement continu, ou aucun des deux.")
TREATMENT_REVERSED = N_("La fin du traitement est avant son début.")
SENT_IN_FUTURE = N_("La date d'envoi est dans le futur : indiquez la date du dépôt à la poste.")

_FROZEN = N_("Ce dossier est déjà envoyé : ses actes et médicaments ne peuvent plus changer.")


def _editable(claim: db_models.Claim) -> db_models.Claim:
    if not lifecycle.is_editable(domain.ClaimState(claim.state)):
        raise ServiceError(_FROZEN)
    return claim


def _check_act(clock: Clock, data: domain.Act, claim: db_models.Claim) -> None:
    if data.amount <= 0:
        raise ServiceError(AMOUNT_NOT_POSITIVE)
    if data.performed_on > deadlines.local_today(clock()):
        raise ServiceError(ACT_IN_FUTURE)
    ice = data.dentist_ice.replace(" ", "")
    if ice and (problem := ice_problem(ice)):  # docs/domain.md#checklist-of-attachments
        raise ServiceError(problem)
    _check_treatment(claim.treatment_start, claim.treatment_end, (data,))


def _one_scheme(db: Session, claim: db_models.Claim, others: list[date], day: date, cutover: date | None) -> None:
    """One sheet per scheme (law 54-23): an act on the other side of the cut-over is refused, nothing is lost.
    `cutover`: the one the use case's context read (the refresh that follows uses the same)."""
    if problem := straddle_problem([*others, day], cutover):
        user = db.get(db_models.User, claim.user_id)
        raise ServiceError(l10n.render(problem, user.locale if user else SOURCE))


def act_summary(performed_on: date, amount: Decimal, inpe: str = "") -> str:
    """What the timeline keeps of an act before and after an edit: figures and codes, no words to translate."""
    return " ".join(part for part in (f"{performed_on:%d/%m/%Y}", f"{amount:.2f}", inpe) if part)


def add_act(db: Session, clock: Clock, user_id: int, claim_id: int, data: domain.Act) -> db_models.Act:
    claim = _editable(owned_claim(db, user_id, claim_id, joinedload(db_models.Claim.acts)))  # one read, not two
    _check_act(clock, data, claim)
    shared = _Context.of_user(db, clock(), user_id)  # one cut-over read for the check and the refresh
    _one_scheme(db, claim, [a.performed_on for a in claim.acts], data.performed_on, shared[0].cutover)
    act = db_models.Act(
        performed_on=data.performed_on,
        type=data.type,
        amount=data.amount,
        practitioner=data.practitioner.strip(),
        inpe=data.inpe.strip(),
        dentist_if=data.dentist_if.strip(),
        ice=data.dentist_ice.replace(" ", ""),
        entente=data.entente.strip(),
    )
    claim.acts.append(act)
    refresh(db, clock, claim, shared)
    db.commit()
    return act


def current_version(db: Session, user_id: int, claim_id: int) -> int:
    """The version an edit form is drawn from (services/guards.py checks it when the form comes back)."""
    return owned_claim(db, user_id, claim_id).version


def owned_act(db: Session, user_id: int, claim_id: int, act_id: int) -> db_models.Act:
    """The act to show in its edit form (NotFound for another student's)."""
    return owned_child(db, db_models.Act, user_id, claim_id, act_id)


def update_act(db: Session, clock: Clock, user_id: int, claim_id: int, act_id: int, data: domain.Act) -> None:
    """An act typed again (a wrong amount, date or practitioner): saved in place, the change in the history."""
    act = owned_child(db, db_models.Act, user_id, claim_id, act_id)
    claim = _editable(act.claim)
    _check_act(clock, data, claim)
    shared = _Context.of_user(db, clock(), user_id)
    _one_scheme(db, claim, [a.performed_on for a in claim.acts if a is not act], data.performed_on, shared[0].cutover)
    before = act_summary(act.performed_on, act.amount, act.inpe)
    act.performed_on, act.type, act.amount = data.performed_on, data.type, data.amount
    act.practitioner, act.inpe = data.practitioner.strip(), data.inpe.strip()
    act.dentist_if, act.ice, act.entente = (
        data.dentist_if.strip(),
        data.dentist_ice.replace(" ", ""),
        data.entente.strip(),
    )
    after = act_summary(act.performed_on, act.amount, act.inpe)
    add_event(claim, clock, lifecycle.edited(lifecycle.ACT_EDITED, deadlines.local_today(clock()), before, after))
    refresh(db, clock, claim, shared)
    db.commit()


def remove_act(db: Session, clock: Clock, user_id: int, claim_id: int, act_id: int) -> None:
    act = owned_child(db, db_models.Act, user_id, claim_id, act_id)
    claim = _editable(act.claim)
    claim.acts.remove(act)
    refresh(db, clock, claim)
    db.commit()


def add_medicine(
    db: Session, clock: Clock, user_id: int, claim_id: int, data: domain.MedicineLine
) -> db_models.MedicineLine:
    claim = _editable(owned_claim(db, user_id, claim_id))
    if data.ean13 and (problem := ean13_problem(data.ean13)):
        raise ServiceError(problem)
    known = medicines.by_barcode(db, data.ean13)
    line = db_models.MedicineLine(
        name=data.name.strip(),
        quantity=data.quantity,
        ean13=data.ean13,
        ppv=data.ppv,
        pbr=data.pbr,
        rate_percent=known.rate_percent if known else None,  # the reference decides reimbursability
        dci=known.dci if known else "",
        dosage=known.dosage if known else "",
    )
    claim.medicines.append(line)
    refresh(db, clock, claim)
    db.commit()
    return line


def remove_medicine(db: Session, clock: Clock, user_id: int, claim_id: int, line_id: int) -> None:
    line = owned_child(db, db_models.MedicineLine, user_id, claim_id, line_id)
    claim = _editable(line.claim)
    claim.medicines.remove(line)
    refresh(db, clock, claim)
    db.commit()


def update_details(db: Session, clock: Clock, user_id: int, claim_id: int, data: domain.ClaimDetails) -> None:
    claim = _editable(owned_claim(db, user_id, claim_id))
    if bool(data.treatment_start) != bool(data.treatment_end):
        raise ServiceError(TREATMENT_HALF)
    if data.treatment_start and data.treatment_end and data.treatment_end < data.treatment_start:
        raise ServiceError(TREATMENT_REVERSED)
    _check_treatment(data.treatment_start, data.treatment_end, to_domain(claim).acts)
    write_details(claim, data)
    refresh(db, clock, claim)
    db.commit()


def set_ticks(
    db: Session, clock: Clock, user_id: int, claim_id: int, keys: set[str], documents: Mapping[str, str] | None = None
) -> None:
    """Records which attachments the student has in hand, and how many documents of each (`documents`, as typed:
    empty or absent is one); unknown keys are ignored. A count that is not 0–50 refuses the whole form, so nothing
    saved changes (docs/domain.md, "Official sheets and the student's part")."""
    claim = owned_claim(db, user_id, claim_id)
    items = {item.key: item for item in checklist.checklist_for(to_domain(claim))}
    wanted = keys & items.keys()
    counts: dict[str, int] = {}
    for key in sorted(wanted):
        count = 1 if checklist.is_sheet(key) else checklist.documents_count((documents or {}).get(key, ""))
        if count is None:
            raise ServiceError(checklist.documents_problem(items[key]))
        counts[key] = count
    claim.ticks = [t for t in claim.ticks if t.item_key in wanted]
    have = {t.item_key for t in claim.ticks}
    claim.ticks.extend(db_models.ChecklistTick(item_key=k, ticked_at=clock()) for k in sorted(wanted - have))
    for tick in claim.ticks:
        tick.documents = counts[tick.item_key]
    refresh(db, clock, claim)
    db.commit()


TRASH_DAYS = 30  # a deleted claim stays in the corbeille this long, then is purged for good


def delete_claim(db: Session, clock: Clock, user_id: int, claim_id: int) -> None:
    """Moves the claim to the corbeille: hidden everywhere, no reminder, restorable for TRASH_DAYS."""
    claim = owned_claim(db, user_id, claim_id)
    claim.deleted_at = clock()
    reminders.replan(db, claim, clock())
    db.commit()
    log.info("claim %s moved to the corbeille", claim.id)


def _in_trash(db: Session, user_id: int) -> Select[db_models.Claim]:
    return select(db_models.Claim).where(db_models.Claim.user_id == user_id, db_models.Claim.deleted_at.is_not(None))


def restore_claim(db: Session, clock: Clock, user_id: int, claim_id: int, files_root: Path) -> db_models.Claim:
    purge_deleted(db, clock, files_root, user_id)  # 30 days are 30 days, even if the scheduler is late
    claim = db.scalar(_in_trash(db, user_id).where(db_models.Claim.id == claim_id))
    if claim is None:
        raise NotFound
    claim.deleted_at = None
    refresh(db, clock, claim)  # deadline, prête/brouillon and reminders again
    db.commit()
    log.info("claim %s restored", claim.id)
    return claim


@dataclass(frozen=True)
class TrashItem:
    row: db_models.Claim
    purged_on: date


def trash(db: Session, clock: Clock, user_id: int, files_root: Path) -> list[TrashItem]:
    """The corbeille, latest deletion first, with the day each claim goes for good (purged at access too)."""
    purge_deleted(db, clock, files_root, user_id)
    rows = db.scalars(_in_trash(db, user_id).order_by(db_models.Claim.deleted_at.desc()))
    return [
        TrashItem(row, deadlines.local_today(row.deleted_at + timedelta(days=TRASH_DAYS)))
        for row in rows
        if row.deleted_at is not None
    ]


def purge_deleted(db: Session, clock: Clock, files_root: Path, user_id: int | None = None) -> int:
    """Deletes for good the claims deleted more than TRASH_DAYS ago (the scheduler pass, and at access), with
    their photos' files. Returns how many went."""
    cutoff = clock() - timedelta(days=TRASH_DAYS)
    query = select(db_models.Claim).where(db_models.Claim.deleted_at < cutoff)
    if user_id is not None:
        query = query.where(db_models.Claim.user_id == user_id)
    gone = list(db.scalars(query))
    for claim in gone:
        db.delete(claim)
        log.info("claim %s deleted for good (corbeille)", claim.id)
    files = [(claim.user_id, photo) for claim in gone for photo in claim.photos]
    db.commit()
    for user_id_, photo in files:  # after the commit, as for a single photo (services/photos.py)
        photos.remove_files(files_root, user_id_, photo)
    return len(gone)


def refresh(
    db: Session, clock: Clock, claim: db_models.Claim, shared: "tuple[_Context, domain.Student] | None" = None
) -> None:
    """Re-derives what depends on the acts and ticks: the deadline, brouillon ⇄ prête and the stored figures,
    from one view of the claim (its checklist assessed once: the same one the figures are stored from).

    Nothing is flushed in between (issue 20): the claim's row, its new rows and its reminders are written by the
    use case's one flush at commit, one UPDATE of `claims` instead of three. The claim's collections in memory
    are already what the use case made them; what is read here (reference rows, the children not loaded yet,
    the pending reminders) does not depend on the changes. A new claim is flushed first: it needs its id.
    `shared`: the request's context and student when the use case already built them (one cut-over read)."""
    if claim.id is None:
        db.flush()
    with db.no_autoflush:
        now = clock()
        start = to_domain(claim).deadline_start
        claim.deadline = deadlines.filing_deadline(start) if start else None
        claim.updated_at = now
        context, student = shared or _Context.of_user(db, now, claim.user_id)
        view = context.view(claim, student)
        state = domain.ClaimState(claim.state)
        if lifecycle.is_editable(state):
            target = domain.ClaimState.PRETE if view.assessment.ready else domain.ClaimState.BROUILLON
            if target != state:
                advance(claim, clock, target)
                log.info("claim %s: %s -> %s", claim.id, state, target)
        reminders.replan(db, claim, now)
        _store(view)


def mark_sent(db: Session, clock: Clock, user_id: int, claim_id: int, sent_on: date, recommande: str) -> None:
    claim = owned_claim(db, user_id, claim_id)
    if sent_on > deadlines.local_today(clock()):
        raise ServiceError(SENT_IN_FUTURE)
    refresh(db, clock, claim)
    view = claim_view(db, clock, user_id, claim_id)
    if view.straddle:
        raise ServiceError(view.straddle)
    advance(claim, clock, domain.ClaimState.ENVOYEE, sent_on, recommande)
    claim.sent_on, claim.recommande_number = sent_on, recommande.strip()
    claim.scheme = view.scheme  # frozen: a cut-over set later never rewrites a sent claim (law 54-23)
    reminders.replan(db, claim, clock())  # a sent claim needs no more reminders
    db.commit()
    log.info("claim %s: sent", claim.id)


@dataclass(frozen=True)
class ClaimView:
    """Everything the claim page and the dashboard show, computed here rather than in templates."""

    row: db_models.Claim
    facts: domain.Claim
    deadline: deadlines.DeadlineStatus | None
    assessment: checklist.Assessment
    ticked: frozenset[str]
    estimate: RefundEstimate
    documents: Mapping[str, int] = field(default_factory=dict)  # per ticked line, the documents in the envelope
    posting: posting_rules.PostingPlan | None = None
    contacts: advice.ContactsRow | None = None
    scheme: Scheme = Scheme.AMO_E  # law 54-23, by the date of care (services.schemes)
    straddle: str = ""  # set when the acts straddle the cut-over: the claim must be split (French msgid filled)
    # AMO-E rights judged on the date of care (services/registrations.py); filled by claim_view only
    rights: tuple[Message, ...] = ()

    @property
    def editable(self) -> bool:
        return lifecycle.is_editable(domain.ClaimState(self.row.state))

    @property
    def attachments(self) -> int:
        """The sheet's "Nombre de pièces jointes": the documents of the ticked lines, the sheet itself left out."""
        return checklist.attachments(self.documents)

    @property
    def reimbursed(self) -> Decimal:
        return sum((p.amount for p in self.row.payments), Decimal("0.00"))

    @property
    def act_warnings(self) -> list[str]:
        return checklist.act_warnings(self.facts)

    @property
    def warnings(self) -> list[Message]:
        """Figures that disagree (pharmacy act against the scanned boxes), shown until they agree."""
        return consistency.warnings(self.facts)

    @property
    def forms(self) -> list[FormId]:
        return forms_for(self.facts)


class _Context:
    """What the claim views of one request share: the cut-over and each scheme's dated rows (law 54-23)."""

    def __init__(self, db: Session, now: datetime, locale: str = SOURCE) -> None:
        self.db, self.now, self.locale = db, now, locale
        self.cutover = schemes.cutover(db)
        self.rows: dict[Scheme, schemes.SchemeRows] = {}
        self.margins, self.holidays = reference.margins(db), reference.holidays(db)

    @classmethod
    def of_user(cls, db: Session, now: datetime, user_id: int) -> "tuple[_Context, domain.Student]":
        user = db.get(db_models.User, user_id)
        return cls(db, now, user.locale if user else SOURCE), student_of(db.get(db_models.Profile, user_id))

    def view(self, row: db_models.Claim, student: domain.Student) -> ClaimView:
        facts = to_domain(row)
        ticked = frozenset(t.item_key for t in row.ticks)
        today = deadlines.local_today(self.now)
        scheme = schemes.claim_scheme(row, facts, student, self.cutover, today)
        if scheme not in self.rows:
            self.rows[scheme] = schemes.rows_for(self.db, scheme)
        rows = self.rows[scheme]
        straddle = straddle_problem((a.performed_on for a in facts.acts), None if row.scheme else self.cutover)
        return ClaimView(
            row=row,
            facts=facts,
            deadline=deadlines.deadline_status(row.deadline, self.now) if row.deadline else None,
            assessment=checklist.assess(facts, ticked, student),
            ticked=ticked,
            documents={t.item_key: t.documents for t in row.ticks},
            estimate=estimate_refund(facts, rows.rates, rows.tariffs, today),
            posting=posting_rules.posting_plan(row.deadline, self.margins, self.holidays) if row.deadline else None,
            contacts=advice.contacts_on(advice.DEFAULT_CONTACTS, today),
            scheme=scheme,
            straddle=l10n.render(straddle, self.locale) if straddle else "",
        )


def claim_view(db: Session, clock: Clock, user_id: int, claim_id: int) -> ClaimView:
    row = owned_claim(db, user_id, claim_id)
    context, student = _Context.of_user(db, clock(), user_id)
    view = context.view(row, student)
    return replace(view, rights=registrations.claim_warnings(db, user_id, view.facts, view.scheme))


def _order(view: "ClaimView | ClaimCard") -> tuple[int, int, int]:
    """Open claims first, most urgent first; then sent ones, latest first."""
    if view.editable:
        return (0, view.deadline.days_left if view.deadline else 10**6, -view.row.id)
    return (1, -(view.row.sent_on or date.min).toordinal(), -view.row.id)


def dashboard(db: Session, clock: Clock, user_id: int) -> list[ClaimView]:
    """Every claim with everything derived (exports, figures), in the dashboard's order. A fixed number of queries."""
    context, student = _Context.of_user(db, clock(), user_id)
    views = [context.view(row, student) for row in _load_claims(db, user_id)]
    return sorted(views, key=_order)


# ------------------------------------------------------------------------------------- stored figures, the cards


def _store(view: ClaimView) -> None:
    row = view.row
    row.first_act_on = view.facts.first_act_date
    row.pieces_required = view.assessment.required
    row.pieces_ticked = view.assessment.ticked_required
    row.estimate_total = view.estimate.total
    # An open claim has no payment (money arrives only once it is sent: lifecycle.TRANSITIONS), so its payments
    # are not loaded for it (issue 20).
    row.paid_total = Decimal("0.00") if view.editable else view.reimbursed


def summarise(db: Session, clock: Clock, claim: db_models.Claim) -> None:
    """Stores on the row the figures its dashboard card shows, taken from the very view the claim page shows (one
    source for both). Called by every use case that changes acts, medicines, ticks, details or payments."""
    context, student = _Context.of_user(db, clock(), claim.user_id)
    _store(context.view(claim, student))


def backfill_summaries(db: Session, clock: Clock, chunk: int = 500) -> int:
    """Fills the rows whose figures were never computed (written before migration 0013, or by bulk SQL); run by
    `flask db-upgrade`. Returns how many rows it filled."""
    context, done = _Context(db, clock()), 0
    pending = db_models.Claim.estimate_total.is_(None)
    while ids := list(db.scalars(select(db_models.Claim.id).where(pending).order_by(db_models.Claim.id).limit(chunk))):
        rows = db.scalars(
            select(db_models.Claim).where(db_models.Claim.id.in_(ids)).options(*(selectinload(r) for r in _CHILDREN))
        ).all()
        profiles = {
            p.user_id: p
            for p in db.scalars(
                select(db_models.Profile).where(db_models.Profile.user_id.in_({r.user_id for r in rows}))
            )
        }
        for row in rows:
            _store(context.view(row, student_of(profiles.get(row.user_id))))
        db.commit()
        db.expunge_all()
        done += len(rows)
    return done


@dataclass(frozen=True)
class ClaimCard:
    """One dashboard card: the claim row's own columns (stored figures included) and its deadline today."""

    row: "db_models.Claim | Row[Any]"  # the card's columns only (`_CARD_COLUMNS`), or a claim computed here
    deadline: deadlines.DeadlineStatus | None

    @property
    def editable(self) -> bool:
        return lifecycle.is_editable(domain.ClaimState(self.row.state))

    @property
    def reimbursed(self) -> Decimal:
        return self.row.paid_total or Decimal("0.00")


# What a card shows and sorts by: plain rows, not ORM objects (building 20 Claim objects of 35 attributes each
# was a fifth of the dashboard's Python time, issue 20).
_CARD_NAMES = "id label kind copied_from state deadline sent_on first_act_on pieces_required pieces_ticked"
_CARD_COLUMNS = tuple(getattr(db_models.Claim, name) for name in (*_CARD_NAMES.split(), "estimate_total", "paid_total"))
# Built once: composing the statement (columns, comparisons) was a tenth of `cards`' time per request.
_CARDS = select(*_CARD_COLUMNS).where(
    db_models.Claim.user_id == bindparam("user_id"), db_models.Claim.deleted_at.is_(None)
)


def cards(db: Session, clock: Clock, user_id: int) -> list[ClaimCard]:
    """The dashboard: one query for the columns of the student's claim rows, none for their children (the
    figures are stored); a row whose figures were never computed gets them here, for this page only."""
    now = clock()
    claim = db_models.Claim
    rows: list[db_models.Claim | Row[Any]] = list(db.execute(_CARDS, {"user_id": user_id}))
    if stale := [row.id for row in rows if row.estimate_total is None or row.pieces_required is None]:
        context, student = _Context.of_user(db, now, user_id)
        query = select(claim).where(claim.id.in_(stale)).options(*(selectinload(r) for r in _CHILDREN))
        computed = {row.id: row for row in db.scalars(query)}
        for row in computed.values():
            _store(context.view(row, student))  # never committed: a GET does not write
        rows = [computed.get(row.id, row) for row in rows]
    found = [ClaimCard(row, deadlines.deadline_status(row.deadline, now) if row.deadline else None) for row in rows]
    return sorted(found, key=_order)
