"""The filing deadline and how close it is.

DOMAIN.md: two months (60 days) from the first act, or from the end of a continuous treatment. Whether the
postmark or the receipt counts, and whether "two months" means 60 days or 2 calendar months, is not settled,
so the due date is the EARLIER of the two readings: a student who posts by then is safe under both.

Days are counted on Morocco's calendar (Africa/Casablanca: UTC+1, UTC+0 during Ramadan), never the server's:
at 23:30 UTC the student's day has often already changed.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from claimkit.domain.messages import N_

CASABLANCA = ZoneInfo("Africa/Casablanca")
FILING_DAYS = 60
FILING_MONTHS = 2
# Urgency thresholds, in whole days left on the Casablanca calendar (0 = due today, negative = past due).
URGENT_DAYS = 7  # 0…7 days: one week is about what a recommandé needs to be prepared and posted
SOON_DAYS = 21  # 8…21 days: time to gather the missing pieces from doctors and laboratories


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the last day of a shorter month (31 Dec + 2 → 28/29 Feb).

    Clamping rather than overflowing into the next month keeps "2 calendar months" from ever exceeding the
    reading a CNOPS agent would make with a calendar in hand.
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def filing_deadline(start: date) -> date:
    """The last day to post a claim whose deadline counts from `start` (first act, or end of treatment).

    Contract relied on by other checks: min(start + 60 days, start + 2 calendar months clamped), so the result
    always lies between start + 59 and start + 60 days.
    """
    return min(start + timedelta(days=FILING_DAYS), add_months(start, FILING_MONTHS))


class Urgency(StrEnum):
    A_JOUR = "a_jour"
    BIENTOT = "bientot"
    URGENT = "urgent"
    HORS_DELAI = "hors_delai"


URGENCY_LABELS = {
    Urgency.A_JOUR: N_("À jour"),
    Urgency.BIENTOT: N_("Bientôt"),
    Urgency.URGENT: N_("Urgent"),
    Urgency.HORS_DELAI: N_("Hors délai"),
}


def local_today(now: datetime) -> date:
    """The student's calendar day: Morocco's, whatever the server's time zone.

    A naive datetime would silently be read in the server's zone, so it is refused rather than guessed.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime (the service clock returns UTC)")
    return now.astimezone(CASABLANCA).date()


def days_left(deadline: date, now: datetime) -> int:
    """Whole days from the student's today to the due date: 0 on the day itself, negative once it has passed."""
    return (deadline - local_today(now)).days


def urgency(days: int) -> Urgency:
    """The level the dashboard sorts and colours by; the due day itself is still "urgent", not late."""
    if days < 0:
        return Urgency.HORS_DELAI
    if days <= URGENT_DAYS:
        return Urgency.URGENT
    if days <= SOON_DAYS:
        return Urgency.BIENTOT
    return Urgency.A_JOUR


@dataclass(frozen=True)
class DeadlineStatus:
    due: date
    days_left: int
    urgency: Urgency

    @property
    def label(self) -> str:
        return URGENCY_LABELS[self.urgency]


def deadline_status(deadline: date, now: datetime) -> DeadlineStatus:
    """Everything the dashboard shows about a deadline, computed once from the same `now`."""
    days = days_left(deadline, now)
    return DeadlineStatus(deadline, days, urgency(days))
