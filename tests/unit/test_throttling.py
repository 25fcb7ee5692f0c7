from datetime import UTC, datetime, timedelta

from claimkit.domain.throttling import (
    ADDRESS_FREE_ATTEMPTS,
    FREE_ATTEMPTS,
    MAX_LOCK,
    Counter,
    after_failure,
    wait_seconds,
)

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


def test_free_attempts_then_doubling_lock() -> None:
    counter = None
    for _ in range(FREE_ATTEMPTS):
        counter = after_failure(counter, NOW)
        assert wait_seconds(counter, NOW) == 0
    locks = []
    for _ in range(4):
        counter = after_failure(counter, NOW)
        locks.append(wait_seconds(counter, NOW))
    assert locks == [30, 60, 120, 240]
    assert wait_seconds(counter, NOW + timedelta(seconds=239.5)) == 1
    assert wait_seconds(counter, NOW + timedelta(seconds=240)) == 0


def test_lock_is_capped_and_window_forgets() -> None:
    counter = Counter(40, NOW, None)
    assert after_failure(counter, NOW).locked_until == NOW + MAX_LOCK
    fresh = after_failure(counter, NOW + timedelta(minutes=16))
    assert (fresh.failures, fresh.locked_until) == (1, None)
    assert wait_seconds(None, NOW) == 0


def test_address_ceiling_is_much_higher() -> None:
    counter = Counter(ADDRESS_FREE_ATTEMPTS - 1, NOW, None)
    counter = after_failure(counter, NOW, ADDRESS_FREE_ATTEMPTS)
    assert wait_seconds(counter, NOW) == 0
    assert wait_seconds(after_failure(counter, NOW, ADDRESS_FREE_ATTEMPTS), NOW) == 30
    assert after_failure(Counter(10_000, NOW, None), NOW).locked_until == NOW + MAX_LOCK  # no huge shift
