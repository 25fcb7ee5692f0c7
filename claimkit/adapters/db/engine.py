"""Engine and session factory. SQLite gets WAL, foreign keys, a busy timeout and `secure_delete` on every
connection (deleted rows are overwritten with zeros, so an erased account's CNIE and RIB do not linger in free
pages). `hide_parameters=True`: a failed statement's error text never carries the row's values (CNIE, RIB,
health details) into a log.

Every connection also notes whether its transaction ran anything but a SELECT (or failed): `end` commits a
transaction that only read instead of rolling it back. The outcome is the same; PostgreSQL's ROLLBACK costs more
than its COMMIT, and nearly every request is a read (bench/round_trips.py: 228 µs of CPU per request, issue 20)."""

from typing import Any

from sqlalchemy import Connection, Engine, ExceptionContext, create_engine, event, text
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from claimkit.adapters.db import reference_cache, revisions


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


_WROTE = "claimkit.wrote"  # Connection.info: this transaction ran a statement other than a SELECT, or one failed
_CONNECTION = "claimkit.connection"  # Session.info: the connection of the session's current transaction


def _begun(conn: Connection) -> None:
    conn.info.pop(_WROTE, None)  # the info dict lives as long as the DBAPI connection, across checkouts


def _statement(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if statement.lstrip()[:6].upper() != "SELECT":  # INSERT, UPDATE, DELETE, WITH …, SAVEPOINT, PRAGMA, locks
        conn.info[_WROTE] = True


def _failed(context: ExceptionContext) -> None:
    if context.connection is not None:
        context.connection.info[_WROTE] = True  # an aborted transaction is rolled back, never committed


def make_engine(url: str) -> Engine:
    engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"), hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _begun)
    event.listen(engine, "before_cursor_execute", _statement)
    event.listen(engine, "handle_error", _failed)
    return engine


def _joined(session: Session, _transaction: SessionTransaction, connection: Connection) -> None:
    session.info[_CONNECTION] = connection


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CONNECTION, None)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose flushes bump the content revisions the packet's ETag reads (adapters/db/revisions.py), sharing
    one cache of the reference rows keyed by that counter (adapters/db/reference_cache.py)."""
    factory = reference_cache.install(revisions.track(sessionmaker(bind=engine, expire_on_commit=False)))
    event.listen(factory, "after_begin", _joined)
    event.listen(factory, "after_transaction_end", _ended)
    return factory


def only_read(session: Session) -> bool:
    """The session's open transaction ran SELECTs only, none failed, and no ORM change waits for a flush: committing
    it changes nothing in the database. False when no transaction holds a connection."""
    connection: Connection | None = session.info.get(_CONNECTION)
    if connection is None or connection.closed or not connection.in_transaction():
        return False
    return not (connection.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def end(session: Session) -> None:
    """Ends a request's session: a transaction that only read is committed (cheaper, same outcome), any other is
    rolled back as `close()` always did, whatever the view left unfinished."""
    try:
        if only_read(session):
            session.commit()
    finally:
        session.close()


def forget_deleted(db: Session) -> None:
    """After an erasure: SQLite's write-ahead log still holds the deleted rows until a checkpoint; TRUNCATE
    copies it into the (secure_delete) main file and empties it. PostgreSQL needs nothing here."""
    bind = db.get_bind()
    if bind.dialect.name == "sqlite":
        db.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
