"""Two guards every state-changing claim form goes through before its use case runs (issue 17).

- An idempotency key, drawn into the form: taken (inserted) in the same transaction as the change, so a double
  tap, a retried POST or a back-and-resend is recorded once; a duplicate waits for the first one's transaction
  (primary key) and is then refused.
- The claim's version, drawn into the form: one conditional UPDATE bumps it, so of two forms drawn from the same
  version (two tabs; "rejeter" and "paiement" sent together) exactly one goes through and the other changes
  nothing: the row lock (PostgreSQL) or the write lock (SQLite) orders them, and the second finds a new version.

The profile has its own version (two tabs editing the profile, issue 17): `take_profile_version` is the same
conditional UPDATE; a form drawn before the first save carries version 0, and of two first saves sent together
the second's INSERT fails on the primary key (services/profiles.save_profile turns that into the same refusal).

Neither commits: the use case that follows commits once, with the key and the new version; a refused use case
rolls both back, so the student can correct the form and send it again.
"""

from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claimkit.adapters.db.models import Claim, IdempotencyKey, Profile

KEPT = timedelta(days=2)  # a form older than this is a stale tab anyway: the version guard refuses it


def take_key(db: Session, user_id: int, key: str, now: datetime) -> bool:
    """True the first time this form is handled; False for a replay (the session is then rolled back)."""
    db.execute(delete(IdempotencyKey).where(IdempotencyKey.user_id == user_id, IdempotencyKey.created_at < now - KEPT))
    db.add(IdempotencyKey(user_id=user_id, key=key, created_at=now))
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        return False
    return True


def take_version(db: Session, user_id: int, claim_id: int, expected: int) -> bool:
    """True when the form was drawn from the claim's current version (now bumped); False when the claim has
    changed since. A missing or foreign claim passes: the use case answers 404 for it."""
    bumped = db.execute(
        update(Claim)
        .where(Claim.id == claim_id, Claim.user_id == user_id, Claim.version == expected)
        .values(version=Claim.version + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount == 1:  # type: ignore[attr-defined]
        return True
    owned = db.scalar(select(exists().where(Claim.id == claim_id, Claim.user_id == user_id)))
    if owned:
        db.rollback()
    return not owned


def take_profile_version(db: Session, user_id: int, expected: int) -> bool:
    """True when the profile form was drawn from the profile's current version (now bumped), or drawn before
    the first save (0) while there is still no profile; False when the profile has changed since."""
    if expected == 0:
        fresh = db.get(Profile, user_id) is None
    else:
        bumped = db.execute(
            update(Profile)
            .where(Profile.user_id == user_id, Profile.version == expected)
            .values(version=Profile.version + 1)
            .execution_options(synchronize_session=False)
        )
        fresh = bumped.rowcount == 1  # type: ignore[attr-defined]
    if not fresh:
        db.rollback()
    return fresh
