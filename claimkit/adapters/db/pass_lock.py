"""One holder at a time for a periodic pass (the reminder scheduler), across processes and machines.

Why: the scheduler may run on two machines for availability. The reminders outbox already keeps each mail
single under concurrent senders, but only while a sender finishes within its lease; serialising whole passes
also covers a slow SMTP server that outlasts the lease. A pass that finds the lock taken is skipped, not
queued: the holder is doing the same work.

- PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`) on a connection kept for the pass; the
  server releases it if the process or its machine dies, so a crash never leaves it stuck.
- SQLite (one machine by nature): `flock` on a file next to the database, released by the kernel at exit.
"""

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text


def _key(name: str) -> int:
    """A stable 32-bit key per pass name (advisory locks are keyed by integers)."""
    return zlib.crc32(f"claimkit:{name}".encode())


def lock_file(engine: Engine, name: str) -> Path | None:
    """The lock file of an SQLite database file; None for an in-memory database (one process only)."""
    database = engine.url.database
    if not database or database == ":memory:":
        return None
    return Path(f"{database}.{name}.lock")


@contextmanager
def _postgres(engine: Engine, name: str) -> Iterator[bool]:
    with engine.connect() as conn:
        got = bool(conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": _key(name)}).scalar_one())
        conn.commit()  # no transaction stays open while the pass runs
        try:
            yield got
        finally:
            if got:
                try:
                    conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _key(name)})
                    conn.commit()
                except Exception:
                    conn.invalidate()  # closing the connection drops the lock: never back into the pool held
                    raise


@contextmanager
def _file(path: Path | None) -> Iterator[bool]:
    if path is None:
        yield True
        return
    with path.open("a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def exclusive(engine: Engine, name: str) -> Iterator[bool]:
    """`with exclusive(engine, "reminders") as mine:` — `mine` is False when another process holds the pass."""
    if engine.dialect.name == "postgresql":
        with _postgres(engine, name) as got:
            yield got
    else:
        with _file(lock_file(engine, name)) as got:
            yield got
