"""The one place where a student's objects are looked up: always scoped to their owner.

A claim id from another student is indistinguishable from a missing one (404), so ids reveal nothing.
"""

from typing import TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import ORMOption

from claimkit.adapters.db.models import Act, ChecklistPhoto, Claim, MedicineLine, OfficialSheet, Payment

Child = TypeVar("Child", Act, MedicineLine, Payment)


class NotFound(Exception):
    """Raised for a missing object and for another student's object alike (and for a claim in the corbeille)."""


# Built once (bound parameters): composing it on every request was measurable (issue 20, bench/README.md).
_OWNED = select(Claim).where(
    Claim.id == bindparam("claim_id"), Claim.user_id == bindparam("user_id"), Claim.deleted_at.is_(None)
)


def owned_claim(db: Session, user_id: int, claim_id: int, *options: ORMOption) -> Claim:
    """`options`: loader options of the use case (e.g. the acts joined, when it reads them all)."""
    query = _OWNED.options(*options) if options else _OWNED
    claim = db.scalar(query, {"claim_id": claim_id, "user_id": user_id})
    if claim is None:
        raise NotFound
    return claim


def owned_child(db: Session, model: type[Child], user_id: int, claim_id: int, child_id: int) -> Child:
    """An act, medicine line or payment, only if it belongs to this student's claim."""
    row = db.scalar(
        select(model)
        .join(Claim, Claim.id == model.claim_id)
        .where(model.id == child_id, model.claim_id == claim_id, Claim.user_id == user_id, Claim.deleted_at.is_(None))
    )
    if row is None:
        raise NotFound
    return row


def owned_photo(db: Session, user_id: int, claim_id: int, photo_id: int) -> ChecklistPhoto:
    """A checklist photo, only if it belongs to this student's claim."""
    claim = owned_claim(db, user_id, claim_id)
    photo = next((p for p in claim.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound
    return photo


def owned_sheet(db: Session, user_id: int, claim_id: int, sheet_id: int) -> OfficialSheet:
    """The student's own sheet of their own claim; another student's (or the operator's) is NotFound (404)."""
    owned_claim(db, user_id, claim_id)
    row = db.get(OfficialSheet, sheet_id)
    if row is None or row.user_id != user_id or row.claim_id != claim_id:
        raise NotFound
    return row
