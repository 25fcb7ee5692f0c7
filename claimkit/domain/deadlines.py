"""The 60-day filing deadline.

DOMAIN.md: two months (60 days) from the first act, or from the end of a continuous treatment. Whether the
postmark or the receipt counts, and whether "two months" means 60 days or 2 calendar months, is not settled,
so the due date is the EARLIER of the two readings: a student who posts by then is safe under both.
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
URGENT_DAYS = 7
SOON_DAYS = 21


def add_months(start: date, months: int) -> date:
    """Same day `months` later, clamped to the last day of a shorter month (31 Dec + 2 → 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def filing_deadline(start: date) -> date:
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
    """The student's calendar day: Morocco's, whatever the server's time zone."""
    return now.astimezone(CASABLANCA).date()


def days_left(deadline: date, now: datetime) -> int:
    return (deadline - local_today(now)).days


def urgency(days: int) -> Urgency:
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
    days = days_left(deadline, now)
    return DeadlineStatus(deadline, days, urgency(days))
