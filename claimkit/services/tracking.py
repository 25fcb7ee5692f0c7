"""After posting: received, reimbursed (possibly in several payments), rejected, resubmitted."""

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from claimkit.adapters.db import models as db_models
from claimkit.adapters.db.mappers import copy_row, details_of, write_details
from claimkit.adapters.db.ownership import owned_child, owned_claim
from claimkit.domain import claims as domain
from claimkit.domain import lifecycle
from claimkit.domain.deadlines import local_today
from claimkit.domain.messages import N_
from claimkit.services import Clock, ServiceError, reminders
from claimkit.services.claims import add_event, advance, refresh, summarise

S = domain.ClaimState
CHOOSE_METHOD = N_("Choisissez : virement sur le RIB ou mandat postal.")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PaymentInput:
    paid_on: date
    amount: Decimal
    method: str
    reference: str = ""
    final: bool = False  # the student says the CNOPS has paid all it will: the claim is soldé


# Also checked by the forms, so every mistake shows in one try (issue 17).
IN_FUTURE = N_("Cette date est dans le futur : indiquez la date à laquelle c'est arrivé.")
RECEIVED_NOT_POSITIVE = N_("Le montant reçu doit être supérieur à 0.")


def _not_future(day: date, clock: Clock) -> None:
    if day > local_today(clock()):
        raise ServiceError(IN_FUTURE)


def _move(
    db: Session,
    clock: Clock,
    claim: db_models.Claim,
    target: S,
    day: date,
    detail: str = "",
    amount: Decimal | None = None,
) -> None:
    _not_future(day, clock)
    if claim.sent_on and day < claim.sent_on:
        raise ServiceError(N_("Cette date est avant l'envoi du dossier."))
    advance(claim, clock, target, day, detail, amount)
    claim.updated_at = clock()
    log.info("claim %s: -> %s", claim.id, target)
    reminders.replan(db, claim, clock())  # news from the CNOPS: the follow-up after sending is dropped


def _method(data: PaymentInput) -> domain.PayoutMethod:
    """The form offers only the two methods; the CLI and a forged POST may send anything."""
    try:
        return domain.PayoutMethod(data.method)
    except ValueError:
        raise ServiceError(CHOOSE_METHOD) from None


def mark_received(db: Session, clock: Clock, user_id: int, claim_id: int, day: date) -> None:
    _move(db, clock, owned_claim(db, user_id, claim_id), S.RECUE, day)
    db.commit()


def record_payment(db: Session, clock: Clock, user_id: int, claim_id: int, data: PaymentInput) -> None:
    claim = owned_claim(db, user_id, claim_id)
    method = _method(data)
    detail = lifecycle.payment_detail(method, data.reference)  # words said at display (said_detail)
    # A payment alone does not say the CNOPS is done (250 DH may come on a 278 DH estimate and more may
    # follow): the claim stays "partiellement remboursée" until the student says so (docs/domain.md#claim-lifecycle).
    settled = data.final or claim.state == S.REMBOURSEE
    _move(db, clock, claim, S.REMBOURSEE if settled else S.PARTIELLE, data.paid_on, detail, data.amount)
    claim.payments.append(
        db_models.Payment(
            paid_on=data.paid_on,
            amount=data.amount,
            method=method,
            reference=data.reference.strip(),
            created_at=clock(),
        )
    )
    summarise(db, clock, claim)  # the dashboard card shows the amount paid
    db.commit()


def settle(db: Session, clock: Clock, user_id: int, claim_id: int) -> None:
    """The student says the CNOPS has paid all it will: partiellement remboursée → remboursée."""
    claim = owned_claim(db, user_id, claim_id)
    _move(db, clock, claim, S.REMBOURSEE, local_today(clock()))
    db.commit()


def payment_summary(paid_on: date, amount: Decimal, reference: str) -> str:
    return " ".join(part for part in (f"{paid_on:%d/%m/%Y}", f"{amount:.2f}", reference) if part)


def owned_payment(db: Session, user_id: int, claim_id: int, payment_id: int) -> db_models.Payment:
    return owned_child(db, db_models.Payment, user_id, claim_id, payment_id)


def update_payment(db: Session, clock: Clock, user_id: int, claim_id: int, payment_id: int, data: PaymentInput) -> None:
    """A payment typed again (250 typed as 25): saved in place, the change in the history."""
    payment = owned_child(db, db_models.Payment, user_id, claim_id, payment_id)
    claim = owned_claim(db, user_id, claim_id)
    method = _method(data)
    if data.amount <= 0:
        raise ServiceError(RECEIVED_NOT_POSITIVE)
    _not_future(data.paid_on, clock)
    if claim.sent_on and data.paid_on < claim.sent_on:
        raise ServiceError(N_("Cette date est avant l'envoi du dossier."))
    before = payment_summary(payment.paid_on, payment.amount, payment.reference)
    payment.paid_on, payment.amount = data.paid_on, data.amount
    payment.method, payment.reference = method, data.reference.strip()
    after = payment_summary(payment.paid_on, payment.amount, payment.reference)
    add_event(claim, clock, lifecycle.edited(lifecycle.PAYMENT_EDITED, local_today(clock()), before, after))
    claim.updated_at = clock()
    summarise(db, clock, claim)  # the dashboard card shows the amount paid
    db.commit()


def reject(db: Session, clock: Clock, user_id: int, claim_id: int, day: date, reason: str) -> None:
    claim = owned_claim(db, user_id, claim_id)
    _move(db, clock, claim, S.REJETEE, day, reason)  # the domain refuses a rejection without its motif
    claim.rejection_reason = reason.strip()
    db.commit()


def resubmit(db: Session, clock: Clock, user_id: int, claim_id: int, day: date, recommande: str) -> None:
    claim = owned_claim(db, user_id, claim_id)
    _move(db, clock, claim, S.RESOUMISE, day, recommande.strip())
    claim.sent_on, claim.recommande_number = day, recommande.strip()
    reminders.replan(db, claim, clock())  # the follow-up counts from the new sending
    db.commit()


def copy_as_draft(db: Session, clock: Clock, user_id: int, claim_id: int) -> db_models.Claim:
    """A rejected claim's acts, medicines and attachments list, in a new draft to correct and send again."""
    source = owned_claim(db, user_id, claim_id)
    if source.state != S.REJETEE:
        raise ServiceError(N_("Seul un dossier rejeté peut être recopié en nouveau brouillon."))
    now = clock()
    copy = db_models.Claim(
        user_id=user_id,
        kind=source.kind,
        state=S.BROUILLON,
        copied_from=source.id,  # "(nouvel envoi)" is said by claim_title, in the reader's language
        created_at=now,
        updated_at=now,
    )
    write_details(copy, details_of(source))  # the same label: no French words stored (issue 17)
    copy.acts = [copy_row(a) for a in source.acts]
    copy.medicines = [copy_row(m) for m in source.medicines]
    copy.ticks = [
        db_models.ChecklistTick(item_key=t.item_key, ticked_at=now, documents=t.documents) for t in source.ticks
    ]
    db.add(copy)
    add_event(copy, clock, lifecycle.created(local_today(now), lifecycle.copy_detail(source.id)))
    refresh(db, clock, copy)  # deadline, prête/brouillon and reminders, as for any edit
    db.commit()
    return copy
