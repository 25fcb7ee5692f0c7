"""Counters in `login_throttles`, shared by every web worker: sign-in failures and the rate of actions that
send mail or check a password (issue 18). Keys are hashed: the table never holds an address or an email."""

import hashlib
from collections.abc import Mapping

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from claimkit.adapters.db.models import LoginThrottle
from claimkit.domain.messages import N_
from claimkit.domain.throttling import Counter, after_failure, wait_seconds
from claimkit.services import Clock, ServiceError


def key(kind: str, *parts: str) -> str:
    """`kind` names the counter ("account", "pair", "address", "reset-account"…), the parts are hashed."""
    return f"{kind}:{hashlib.sha256(chr(31).join(parts).encode()).hexdigest()}"


def _rows(db: Session, keys: list[str]) -> dict[str, LoginThrottle]:
    return {row.key: row for row in db.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))}


def wait(db: Session, clock: Clock, keys: list[str]) -> int:
    """Seconds before another attempt is allowed under every key (0 when allowed)."""
    now = clock()
    rows = _rows(db, keys).values()
    return max((wait_seconds(Counter(r.failures, r.window_start, r.locked_until), now) for r in rows), default=0)


def refuse_if_locked(db: Session, clock: Clock, keys: list[str]) -> None:
    if seconds := wait(db, clock, keys):
        minutes = max(1, -(-seconds // 60))
        # Filled at display, after translation: a msgid filled in French matches no catalogue entry (issue 17).
        raise ServiceError(N_("Trop de tentatives : réessayez dans %(minutes)s min."), {"minutes": minutes})


def count(db: Session, clock: Clock, limits: Mapping[str, int]) -> None:
    """One more attempt under each key (key -> free attempts); commits, so it holds even if the caller fails."""
    now = clock()
    rows = _rows(db, list(limits))
    for name, free in limits.items():
        row = rows.get(name)
        counter = after_failure(Counter(row.failures, row.window_start, row.locked_until) if row else None, now, free)
        if row is None:
            db.add(
                LoginThrottle(
                    key=name,
                    failures=counter.failures,
                    window_start=counter.window_start,
                    locked_until=counter.locked_until,
                )
            )
        else:
            row.failures, row.window_start, row.locked_until = (
                counter.failures,
                counter.window_start,
                counter.locked_until,
            )
    db.commit()


def allow(db: Session, clock: Clock, limits: Mapping[str, int]) -> None:
    """Counts one action (a mail sent, a sign-up) under each key (key -> actions allowed per window); raises
    ServiceError once a key's allowance is used up. The last allowed action sets the lock for the next one."""
    refuse_if_locked(db, clock, list(limits))
    count(db, clock, {name: allowed - 1 for name, allowed in limits.items()})


def clear(db: Session, keys: list[str]) -> None:
    db.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys)))
    db.commit()
