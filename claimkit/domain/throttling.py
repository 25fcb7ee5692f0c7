"""Throttling policy: a few free attempts, then an exponential lock.

Sign-in failures are counted per account, per (address, account) pair and per address, in the database, so it
holds across web workers and restarts. The address alone gets a much higher ceiling: a whole campus behind one
NAT, or every visitor behind a proxy that is not declared, shares one address, and one student's typos must
not lock the others out (issue 18). The same counters limit sign-ups, reset mails, confirmation mails and
current-password checks, each with its own ceiling.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

FREE_ATTEMPTS = 5
ADDRESS_FREE_ATTEMPTS = 100
# Actions that send mail or check a password, per WINDOW (issue 18: 15 reset mails in a row went out).
SIGN_UPS_PER_ADDRESS = 10
SIGN_UPS_PER_EMAIL = 3  # sign-up mails to one typed address (mail-first sign-up: each request mails it)
RESETS_PER_ACCOUNT = 3
RESETS_PER_ADDRESS = 20
CONFIRMATIONS_PER_ACCOUNT = 3
PASSWORD_CHECKS_PER_ACCOUNT = 5
WINDOW = timedelta(minutes=15)
FIRST_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(hours=1)


@dataclass(frozen=True)
class Counter:
    failures: int
    window_start: datetime
    locked_until: datetime | None


def after_failure(counter: Counter | None, now: datetime, free_attempts: int = FREE_ATTEMPTS) -> Counter:
    """Failures older than the window are forgotten; past `free_attempts`, each one doubles the lock."""
    if counter is None or now - counter.window_start > WINDOW:
        counter = Counter(0, now, None)
    failures = counter.failures + 1
    locked_until = None
    if failures > free_attempts:
        lock = min(FIRST_LOCK * (1 << min(failures - free_attempts - 1, 20)), MAX_LOCK)
        locked_until = now + lock
    return Counter(failures, counter.window_start, locked_until)


def wait_seconds(counter: Counter | None, now: datetime) -> int:
    """Seconds before another attempt is allowed (0: go ahead)."""
    if counter is None or counter.locked_until is None or counter.locked_until <= now:
        return 0
    return math.ceil((counter.locked_until - now).total_seconds())
