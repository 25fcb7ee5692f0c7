from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from claimkit.domain.reminders import PlannedReminder, backoff, follow_up, plan


def test_four_reminders_at_nine_casablanca() -> None:
    planned = plan(date(2026, 12, 31), datetime(2026, 11, 1, tzinfo=UTC))
    assert [p.days_before for p in planned] == [14, 7, 2, 0]
    # Casablanca is UTC+1 in December: 09:00 local is 08:00 UTC.
    assert planned[0].due_at == datetime(2026, 12, 17, 8, 0, tzinfo=UTC)
    assert planned[-1].due_at == datetime(2026, 12, 31, 8, 0, tzinfo=UTC)


def test_past_times_are_dropped() -> None:
    planned = plan(date(2026, 12, 31), datetime(2026, 12, 27, tzinfo=UTC))
    assert [p.days_before for p in planned] == [2, 0]
    assert plan(date(2026, 12, 31), datetime(2027, 1, 1, tzinfo=UTC)) == []


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 1, 1)), st.lists(st.integers(0, 30), max_size=5))
def test_reminders_never_after_the_deadline_day(deadline: date, offsets: list[int]) -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    planned = plan(deadline, now, offsets, hour=9)
    assert len(planned) == len(set(offsets))
    assert all(p.due_at.date() <= deadline for p in planned)
    assert [p.due_at for p in planned] == sorted(p.due_at for p in planned)


def test_backoff_doubles_then_caps() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]
    assert backoff(20) == timedelta(hours=6)


def test_follow_up_is_60_days_after_sending_at_nine_local() -> None:
    sent = date(2026, 11, 24)
    planned = follow_up(sent, datetime(2026, 11, 25, tzinfo=UTC))
    assert planned == PlannedReminder(-60, datetime(2027, 1, 23, 8, tzinfo=UTC))  # Casablanca is UTC+1
    assert follow_up(sent, datetime(2027, 1, 23, 8, tzinfo=UTC)) is None  # that moment has passed
    assert follow_up(sent, datetime(2026, 11, 25, tzinfo=UTC), days=30).days_before == -30  # type: ignore[union-attr]
