"""Login throttling policy: a few free attempts, then an exponential lock.

Kept per account and per client address, in the database, so it holds across web workers and restarts.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_ATTEMPTS = 5
WINDOW = timedelta(minutes=15)
FIRST_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(hours=1)


@dataclass(frozen=True)
class Counter:
    failures: int
    window_start: datetime
    locked_until: datetime | None


def after_failure(counter: Counter | None, now: datetime) -> Counter:
    """Failures older than the window are forgotten; from the 6th on, each doubles the lock."""
    if counter is None or now - counter.window_start > WINDOW:
        counter = Counter(0, now, None)
    failures = counter.failures + 1
    locked_until = None
    if failures > FREE_ATTEMPTS:
        lock = min(FIRST_LOCK * (1 << (failures - FREE_ATTEMPTS - 1)), MAX_LOCK)
        locked_until = now + lock
    return Counter(failures, counter.window_start, locked_until)


def wait_seconds(counter: Counter | None, now: datetime) -> int:
    """Seconds before another attempt is allowed (0: go ahead)."""
    if counter is None or counter.locked_until is None or counter.locked_until <= now:
        return 0
    return math.ceil((counter.locked_until - now).total_seconds())
