"""The filing deadline: the earlier of start + 60 days and start + 2 calendar months."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimkit.domain.deadlines import (
    Urgency,
    add_months,
    days_left,
    deadline_status,
    filing_deadline,
    local_today,
    urgency,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@given(days)
def test_never_after_60_days_never_before_59(start: date) -> None:
    due = filing_deadline(start)
    assert start + timedelta(days=59) <= due <= start + timedelta(days=60)


@given(days, days)
def test_monotone_in_start(a: date, b: date) -> None:
    if a <= b:
        assert filing_deadline(a) <= filing_deadline(b)


@given(days)
def test_never_after_two_calendar_months(start: date) -> None:
    due = filing_deadline(start)
    two_months = (start.month - 1 + 2) % 12 + 1
    assert (due.year, due.month) <= (start.year + (start.month + 1) // 12, two_months)
    assert due <= add_months(start, 2)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 12, 31), date(2027, 2, 28)),  # the worked example in docs/deadlines.md
        (date(2027, 12, 31), date(2028, 2, 29)),  # leap year: 2 months clamps to 29 Feb, 60 days is 29 Feb
        (date(2026, 1, 31), date(2026, 3, 31)),  # 60 days = 1 Apr; 2 months = 31 Mar
        (date(2026, 6, 1), date(2026, 7, 31)),  # 60 days = 31 Jul; 2 months = 1 Aug
        (date(2028, 2, 29), date(2028, 4, 29)),
    ],
)
def test_worked_examples(start: date, due: date) -> None:
    assert filing_deadline(start) == due


def test_add_months_across_year() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)


def test_days_left_uses_casablanca_calendar() -> None:
    # 23:30 UTC on 1 November 2026 is 00:30 on 2 November in Casablanca (UTC+1)…
    late_evening = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)
    assert local_today(late_evening) == date(2026, 11, 2)
    assert days_left(date(2026, 11, 10), late_evening) == 8
    # …but Morocco drops to UTC+0 during Ramadan (1 March 2026): still 1 March there.
    assert local_today(datetime(2026, 3, 1, 23, 30, tzinfo=UTC)) == date(2026, 3, 1)


@pytest.mark.parametrize(
    ("days", "level"),
    [(-1, Urgency.HORS_DELAI), (0, Urgency.URGENT), (7, Urgency.URGENT), (8, Urgency.BIENTOT),
     (21, Urgency.BIENTOT), (22, Urgency.A_JOUR)],
)  # fmt: skip
def test_urgency_thresholds(days: int, level: Urgency) -> None:
    assert urgency(days) is level


def test_status_bundles_everything() -> None:
    status = deadline_status(date(2026, 12, 1), datetime(2026, 11, 25, 12, tzinfo=UTC))
    assert (status.due, status.days_left, status.urgency, status.label) == (
        date(2026, 12, 1), 6, Urgency.URGENT, "Urgent",
    )  # fmt: skip
