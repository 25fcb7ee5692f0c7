"""Alembic environment: online migrations only, batch mode so ALTERs work on SQLite too."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import inspect

from claimkit.adapters.db import revisions
from claimkit.adapters.db.engine import make_engine
from claimkit.adapters.db.models import Base, UTCDateTime


def render_item(type_: str, obj: Any, _context: AutogenContext) -> str | Literal[False]:
    """Migrations must not import application types: UTCDateTime is stored as a plain timestamptz."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # A batch "recreate" drops the old table: with foreign keys on, SQLite would first delete its rows and
        # cascade to every child (0018 rebuilds users and claims). Off for the run, checked after it. The
        # pragma is a no-op inside a transaction, hence before the migrations' one.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=sqlite,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
        if inspect(connection).has_table("revisions"):  # not before migration 0021, nor after downgrading it
            revisions.bump_reference(connection)  # the migrations' raw SQL bypasses the flush listener
    if sqlite:
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()
        if broken:
            raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
engine.dispose()
