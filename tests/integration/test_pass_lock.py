"""The scheduler's pass lock on the test database's engine (SQLite lock file, or PostgreSQL advisory lock)."""

from claimkit.adapters.db import pass_lock
from claimkit.adapters.db.engine import make_engine


def test_a_held_pass_is_refused_to_others_and_free_again_after(database_url: str) -> None:
    first, second = make_engine(database_url), make_engine(database_url)  # two pools: two "machines"
    try:
        with pass_lock.exclusive(first, "reminders") as mine:
            assert mine
            with pass_lock.exclusive(second, "reminders") as theirs:
                assert not theirs
            with pass_lock.exclusive(second, "backups") as other_pass:
                assert other_pass, "each pass name has its own lock"
        with pass_lock.exclusive(second, "reminders") as theirs:
            assert theirs, "released at the end of the pass"
    finally:
        first.dispose()
        second.dispose()


def test_in_memory_sqlite_has_no_lock_file() -> None:
    engine = make_engine("sqlite://")
    assert pass_lock.lock_file(engine, "reminders") is None
    with pass_lock.exclusive(engine, "reminders") as mine:
        assert mine
