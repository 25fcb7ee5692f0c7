"""The claim page's plain values: what the template prints of a claim, copied out of the ORM rows once.

The template gets these frozen records and the lifecycle's `Allowed` flags instead of the ORM row (issue 21): it
cannot trigger a lazy load or a write, and it holds no state names; what it may offer comes from
`claimkit.domain.lifecycle.TRANSITIONS`.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from claimkit.adapters.db import models as db_models
from claimkit.domain import claims as domain
from claimkit.domain import lifecycle


@dataclass(frozen=True)
class ActLine:
    id: int
    type: str
    performed_on: date
    amount: Decimal
    practitioner: str
    inpe: str
    dentist_if: str
    ice: str
    entente: str


@dataclass(frozen=True)
class MedicineLine:
    id: int
    name: str
    quantity: int
    ean13: str
    ppv: Decimal | None
    pbr: Decimal | None
    detail: str  # strength and DCI from the reference, as the domain line says it


@dataclass(frozen=True)
class PaymentLine:
    id: int
    paid_on: date
    amount: Decimal
    method: str
    reference: str


@dataclass(frozen=True)
class EventLine:
    occurred_on: date
    kind: str
    detail: str
    amount: Decimal | None


@dataclass(frozen=True)
class ClaimRecord:
    """One claim as its page shows it. `photos` maps a checklist key to its photos' ids."""

    id: int
    version: int
    kind: str
    state: str
    label: str
    copied_from: int | None
    sent_on: date | None
    recommande_number: str
    rejection_reason: str
    allowed: lifecycle.Allowed
    acts: tuple[ActLine, ...]
    medicines: tuple[MedicineLine, ...]
    payments: tuple[PaymentLine, ...]
    events: tuple[EventLine, ...]
    photos: dict[str, tuple[int, ...]]
    photo_ids: tuple[int, ...]

    @property
    def awaiting_payment(self) -> bool:
        """Received by the CNOPS, nothing paid yet: the payment form is opened first."""
        return self.state == domain.ClaimState.RECUE


def record_of(row: db_models.Claim, facts: domain.Claim) -> ClaimRecord:
    """The claim's plain values; `facts` is the domain claim built from the same row (its medicine details)."""
    state = domain.ClaimState(row.state)
    photos: dict[str, list[int]] = {}
    for photo in row.photos:
        photos.setdefault(photo.item_key, []).append(photo.id)
    return ClaimRecord(
        id=row.id,
        version=row.version,
        kind=row.kind,
        state=row.state,
        label=row.label,
        copied_from=row.copied_from,
        sent_on=row.sent_on,
        recommande_number=row.recommande_number or "",
        rejection_reason=row.rejection_reason or "",
        allowed=lifecycle.allowed(state),
        acts=tuple(
            ActLine(a.id, a.type, a.performed_on, a.amount, a.practitioner, a.inpe, a.dentist_if, a.ice, a.entente)
            for a in row.acts
        ),
        medicines=tuple(
            MedicineLine(m.id, m.name, m.quantity, m.ean13, m.ppv, m.pbr, line.detail)
            for m, line in zip(row.medicines, facts.medicines, strict=True)
        ),
        # Paid only once sent (domain/lifecycle.TRANSITIONS): an open claim's page reads no payments.
        payments=tuple(PaymentLine(p.id, p.paid_on, p.amount, p.method, p.reference) for p in row.payments)
        if not lifecycle.is_editable(state)
        else (),
        events=tuple(EventLine(e.occurred_on, e.kind, e.detail, e.amount) for e in row.events),
        photos={key: tuple(ids) for key, ids in photos.items()},
        photo_ids=tuple(photo.id for photo in row.photos),
    )
