"""When to remind a student of a claim's deadline.

At 14, 7 and 2 days before the due date and on the day itself (configurable), at a sensible local hour in
Africa/Casablanca. Times already past when planning are dropped: a student who creates a claim 5 days before
its deadline gets the 2-day and same-day reminders, not three at once.

Once the claim is posted, one follow-up: if the CNOPS has given no news 60 days after sending, the student is asked
to check the dossier on the CNOPS portal or SMART CNOPS (docs/domain.md#advice-contacts-and-the-students-status).
Follow-ups are stored as reminders with a negative `days_before` (days after sending).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from claimkit.domain.deadlines import CASABLANCA


class ReminderStatus(StrEnum):
    """An outbox row's life (services/reminders.py): waiting, leased by a sender, then one of the three ends."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the last attempt
    SKIPPED = "skipped"  # no longer wanted when its time came (claim posted, account gone, opted out)


FINISHED = frozenset({ReminderStatus.SENT, ReminderStatus.FAILED, ReminderStatus.SKIPPED})
WAITING = frozenset({ReminderStatus.PENDING, ReminderStatus.SENDING})

DEFAULT_OFFSETS = (14, 7, 2, 0)
DEFAULT_HOUR = 9
FOLLOW_UP_DAYS = 60


@dataclass(frozen=True)
class PlannedReminder:
    days_before: int
    due_at: datetime  # aware, UTC


def plan(
    deadline: date, now: datetime, offsets: Sequence[int] = DEFAULT_OFFSETS, hour: int = DEFAULT_HOUR
) -> list[PlannedReminder]:
    planned = []
    for days_before in sorted(set(offsets), reverse=True):
        local = datetime.combine(deadline - timedelta(days=days_before), time(hour), tzinfo=CASABLANCA)
        due_at = local.astimezone(UTC)
        if due_at > now:
            planned.append(PlannedReminder(days_before, due_at))
    return planned


def follow_up(
    sent_on: date, now: datetime, days: int = FOLLOW_UP_DAYS, hour: int = DEFAULT_HOUR
) -> PlannedReminder | None:
    """The "no news yet?" reminder, `days` after sending at `hour` local time; None when that moment is past."""
    local = datetime.combine(sent_on + timedelta(days=days), time(hour), tzinfo=CASABLANCA)
    due_at = local.astimezone(UTC)
    return PlannedReminder(-days, due_at) if due_at > now else None


def backoff(attempts: int, base: timedelta = timedelta(minutes=2), cap: timedelta = timedelta(hours=6)) -> timedelta:
    """Retry delay after a failed send: 2, 4, 8… minutes, at most 6 hours."""
    return min(base * (1 << max(attempts - 1, 0)), cap)
