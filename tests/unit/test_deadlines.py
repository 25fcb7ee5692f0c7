"""The filing deadline: the earlier of start + 60 days and start + 2 calendar months, counted in Casablanca."""

from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimkit.domain.deadlines import (
    SOON_DAYS,
    URGENCY_LABELS,
    URGENT_DAYS,
    DeadlineStatus,
    Urgency,
    add_months,
    days_left,
    deadline_status,
    filing_deadline,
    local_today,
    urgency,
)

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))
CASABLANCA = ZoneInfo("Africa/Casablanca")


def two_calendar_months_later(start: date) -> date:
    """An oracle written differently from add_months: walk to the 1st of the month after next, step back."""
    first_of_next = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
    first_of_target = (first_of_next + timedelta(days=32)).replace(day=1)
    last_of_target = (first_of_target + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first_of_target.replace(day=min(start.day, last_of_target.day))


# --- properties -------------------------------------------------------------------------------------------------


@given(days)
def test_never_after_60_days_never_before_59(start: date) -> None:
    due = filing_deadline(start)
    assert start + timedelta(days=59) <= due <= start + timedelta(days=60)


@given(days)
def test_safe_under_both_readings_and_no_earlier_than_needed(start: date) -> None:
    due = filing_deadline(start)
    sixty, months = start + timedelta(days=60), two_calendar_months_later(start)
    assert due <= sixty and due <= months  # posting on the due date satisfies both readings
    assert due in (sixty, months)  # …and no day is taken away that neither reading requires


@given(days)
def test_at_most_two_days_before_the_calendar_reading(start: date) -> None:
    # Two calendar months span 59 to 62 days, so the 60-day reading can cut at most 2 days from it.
    gap = (two_calendar_months_later(start) - filing_deadline(start)).days
    assert 0 <= gap <= 2


@given(days)
def test_lands_one_or_two_months_after_the_start_month(start: date) -> None:
    due = filing_deadline(start)
    months_after = (due.year - start.year) * 12 + due.month - start.month
    assert months_after in (1, 2)


@given(days, days)
def test_monotone_in_start(a: date, b: date) -> None:
    if a <= b:
        assert filing_deadline(a) <= filing_deadline(b)
    else:
        assert filing_deadline(a) >= filing_deadline(b)


@given(days)
def test_a_day_later_moves_the_deadline_by_zero_to_two_days(start: date) -> None:
    step = (filing_deadline(start + timedelta(days=1)) - filing_deadline(start)).days
    assert 0 <= step <= 2


@given(days, st.integers(min_value=-36, max_value=36))
def test_add_months_agrees_with_month_arithmetic(start: date, months: int) -> None:
    result = add_months(start, months)
    assert result.year * 12 + result.month == start.year * 12 + start.month + months
    assert result.day == start.day or (result.day < start.day and (result + timedelta(days=1)).day == 1)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)))
def test_casablanca_day_is_the_utc_day_or_the_next(now: datetime) -> None:
    # Morocco is at UTC+0 or UTC+1 (Ramadan / rest of the year): never behind UTC, never two days ahead.
    assert local_today(now) - now.date() in (timedelta(0), timedelta(days=1))


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_the_servers_zone_does_not_matter(now: datetime, offset_minutes: int) -> None:
    elsewhere = now.astimezone(timezone(timedelta(minutes=offset_minutes)))
    assert local_today(elsewhere) == local_today(now)


# --- worked examples (derived by hand from a calendar) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (date(2026, 12, 31), date(2027, 2, 28)),  # docs/deadlines.md: 60 days = 1 Mar; 2 months = "31 Feb" → 28 Feb
        (date(2027, 12, 31), date(2028, 2, 29)),  # leap year: both readings give 29 Feb 2028
        (date(2026, 1, 31), date(2026, 3, 31)),  # 60 days = 1 Apr; 2 months = 31 Mar
        (date(2027, 1, 31), date(2027, 3, 31)),  # 60 days = 1 Apr (Feb has 28 days); 2 months = 31 Mar
        (date(2028, 1, 31), date(2028, 3, 31)),  # 60 days = 31 Mar (Feb has 29 days); 2 months = 31 Mar
        (date(2028, 2, 29), date(2028, 4, 29)),  # leap day: 60 days = 29 Apr; 2 months = 29 Apr
        (date(2027, 2, 28), date(2027, 4, 28)),  # 60 days = 29 Apr; 2 months = 28 Apr
        (date(2026, 6, 1), date(2026, 7, 31)),  # 60 days = 31 Jul; 2 months = 1 Aug (Jun + Jul = 61 days)
        (date(2026, 7, 1), date(2026, 8, 30)),  # Jul + Aug = 62 days: the 60-day reading is 2 days earlier
        (date(2026, 11, 3), date(2027, 1, 2)),  # 60 days = 2 Jan; 2 months = 3 Jan
    ],
)
def test_worked_examples(start: date, due: date) -> None:
    assert filing_deadline(start) == due


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
    ],
)
def test_add_months_across_years_and_backwards(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


# --- Casablanca calendar ----------------------------------------------------------------------------------------


def test_late_evening_utc_is_already_tomorrow_in_casablanca() -> None:
    late_evening = datetime(2026, 11, 1, 23, 30, tzinfo=UTC)  # 00:30 on 2 November in Casablanca (UTC+1)
    assert local_today(late_evening) == date(2026, 11, 2)
    assert days_left(date(2026, 11, 10), late_evening) == 8
    a_minute_before_midnight = datetime(2026, 11, 1, 22, 59, tzinfo=UTC)  # 23:59 on 1 November there
    assert days_left(date(2026, 11, 10), a_minute_before_midnight) == 9


def test_during_ramadan_casablanca_is_on_utc() -> None:
    # Morocco drops to UTC+0 during Ramadan (1 March 2026 falls inside it): still 1 March there.
    assert local_today(datetime(2026, 3, 1, 23, 30, tzinfo=UTC)) == date(2026, 3, 1)


def test_the_due_day_itself_counts_zero_days_then_negative() -> None:
    due = date(2027, 2, 28)
    morning = datetime.combine(due, time(8), tzinfo=CASABLANCA)
    assert days_left(due, morning) == 0
    assert days_left(due, morning + timedelta(days=1)) == -1


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_today(datetime(2026, 11, 1, 23, 30))


# --- urgency ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "level"),
    [(-30, Urgency.HORS_DELAI), (-1, Urgency.HORS_DELAI), (0, Urgency.URGENT), (7, Urgency.URGENT),
     (8, Urgency.BIENTOT), (21, Urgency.BIENTOT), (22, Urgency.A_JOUR), (60, Urgency.A_JOUR)],
)  # fmt: skip
def test_urgency_thresholds(days: int, level: Urgency) -> None:
    assert urgency(days) is level


def test_thresholds_are_the_documented_ones() -> None:
    assert (URGENT_DAYS, SOON_DAYS) == (7, 21)  # docs/deadlines.md promises these figures to students


@given(st.integers(min_value=-400, max_value=400), st.integers(min_value=-400, max_value=400))
def test_urgency_never_relaxes_as_days_run_out(a: int, b: int) -> None:
    order = [Urgency.HORS_DELAI, Urgency.URGENT, Urgency.BIENTOT, Urgency.A_JOUR]
    if a <= b:
        assert order.index(urgency(a)) <= order.index(urgency(b))


def test_every_urgency_has_a_french_label() -> None:
    assert set(URGENCY_LABELS) == set(Urgency)
    assert URGENCY_LABELS[Urgency.HORS_DELAI] == "Hors délai"
    assert URGENCY_LABELS[Urgency.A_JOUR] == "À jour"


def test_status_bundles_everything() -> None:
    status = deadline_status(date(2026, 12, 1), datetime(2026, 11, 25, 12, tzinfo=UTC))
    assert status == DeadlineStatus(date(2026, 12, 1), 6, Urgency.URGENT)
    assert status.label == "Urgent"
