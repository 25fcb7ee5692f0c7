"""Engine and session factory. SQLite gets WAL, foreign keys, a busy timeout and `secure_delete` on every
connection (deleted rows are overwritten with zeros, so an erased account's CNIE and RIB do not linger in free
pages). `hide_parameters=True`: a failed statement's error text never carries the row's values (CNIE, RIB,
health details) into a log."""

from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from claimkit.adapters.db import reference_cache, revisions


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"), hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose flushes bump the content revisions the packet's ETag reads (adapters/db/revisions.py), sharing
    one cache of the reference rows keyed by that counter (adapters/db/reference_cache.py)."""
    return reference_cache.install(revisions.track(sessionmaker(bind=engine, expire_on_commit=False)))


def forget_deleted(db: Session) -> None:
    """After an erasure: SQLite's write-ahead log still holds the deleted rows until a checkpoint; TRUNCATE
    copies it into the (secure_delete) main file and empties it. PostgreSQL needs nothing here."""
    bind = db.get_bind()
    if bind.dialect.name == "sqlite":
        db.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
