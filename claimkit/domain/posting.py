"""When to post: the legal date stays, and a "poster avant" date leaves the recommandé time to arrive.

No text says whether the CNOPS counts the postmark or the receipt (the communiqué speaks of the "dépôt"), so
claimkit keeps the legal date and adds a transit margin before it; both the margin and the closed days are dated
rows (docs/domain.md#deadline-and-posting). The Islamic holidays move with the moon: their rows are estimates an
operator replaces with the official announcement.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from claimkit.domain.dated import in_force
from claimkit.domain.messages import N_, Message

SATURDAY, SUNDAY = 5, 6
WEEKDAYS = {SATURDAY: N_("samedi"), SUNDAY: N_("dimanche")}
HOLIDAY_SOURCE = "⚠ Calendrier public des fêtes nationales (non confirmé par un texte dans le dépôt)"
ISLAMIC_SOURCE = "⚠ Estimation astronomique : à remplacer par l'annonce officielle du ministère des Habous"
MARGIN_SOURCE = "⚠ Hypothèse : délai d'acheminement d'un recommandé national (docs/domain.md#deadline-and-posting)"


@dataclass(frozen=True)
class MarginRow:
    """Days a recommandé may need to reach the CNOPS, in force from `valid_from`."""

    days: int
    valid_from: date
    valid_to: date | None = None
    source: str = ""


@dataclass(frozen=True)
class HolidayRow:
    day: date
    name: str  # a msgid for the defaults; an operator's own row is shown as typed
    islamic: bool = False
    source: str = ""


DEFAULT_MARGINS = (MarginRow(5, date(2006, 1, 1), None, MARGIN_SOURCE),)

_FIXED = (
    (1, 1, N_("Nouvel an")),
    (1, 11, N_("Manifeste de l'indépendance")),
    (1, 14, N_("Nouvel an amazigh")),
    (5, 1, N_("Fête du travail")),
    (7, 30, N_("Fête du Trône")),
    (8, 14, N_("Allégeance Oued Eddahab")),
    (8, 20, N_("Révolution du Roi et du peuple")),
    (8, 21, N_("Fête de la jeunesse")),
    (10, 31, N_("Fête de l'Unité")),
    (11, 6, N_("Marche verte")),
    (11, 18, N_("Fête de l'indépendance")),
)
_FITR, _ADHA = N_("Aïd al-Fitr"), N_("Aïd al-Adha")
_HIJRI, _MAWLID = N_("Nouvel an de l'Hégire"), N_("Aïd al-Mawlid")
_ISLAMIC = (
    (date(2026, 3, 21), _FITR), (date(2026, 3, 22), _FITR), (date(2026, 5, 27), _ADHA), (date(2026, 5, 28), _ADHA),
    (date(2026, 6, 17), _HIJRI), (date(2026, 8, 26), _MAWLID), (date(2026, 8, 27), _MAWLID),
    (date(2027, 3, 10), _FITR), (date(2027, 3, 11), _FITR), (date(2027, 5, 17), _ADHA), (date(2027, 5, 18), _ADHA),
    (date(2027, 6, 6), _HIJRI), (date(2027, 8, 15), _MAWLID), (date(2027, 8, 16), _MAWLID),
)  # fmt: skip
DEFAULT_HOLIDAYS = tuple(
    HolidayRow(date(year, month, day), name, False, HOLIDAY_SOURCE)
    for year in (2026, 2027, 2028)
    for month, day, name in _FIXED
) + tuple(HolidayRow(day, name, True, ISLAMIC_SOURCE) for day, name in _ISLAMIC)


def closed_reason(day: date, holidays: Iterable[HolidayRow]) -> Message | None:
    """Why the CNOPS's offices (and many post offices) are closed on `day`, or None on a working day."""
    for holiday in holidays:
        if holiday.day == day:
            return Message(N_("jour férié (%(name)s)"), {"name": Message(holiday.name)})
    if day.weekday() in WEEKDAYS:
        return Message(WEEKDAYS[day.weekday()])
    return None


@dataclass(frozen=True)
class PostingPlan:
    due: date  # the legal date (docs/domain.md#deadline-and-posting), never moved
    post_before: date  # the last working day that leaves the margin before `due`
    margin_days: int
    due_closed: Message | None  # the legal date falls on a closed day: say so


def posting_plan(due: date, margins: Iterable[MarginRow], holidays: Iterable[HolidayRow]) -> PostingPlan:
    """The legal date with its "poster avant": `margin` days earlier, then back to the previous working day.

    Without a margin row for the period, the margin is 0: the "poster avant" is the legal date's working day.
    """
    holidays = tuple(holidays)
    row = in_force(margins, due)
    margin = row.days if row else 0
    post_before = due - timedelta(days=margin)
    while closed_reason(post_before, holidays) is not None:
        post_before -= timedelta(days=1)
    return PostingPlan(due, post_before, margin, closed_reason(due, holidays))
