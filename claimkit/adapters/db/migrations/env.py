"""Alembic environment: online migrations only, batch mode so ALTERs work on SQLite too."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext

from claimkit.adapters.db.engine import make_engine
from claimkit.adapters.db.models import Base, UTCDateTime


def render_item(type_: str, obj: Any, _context: AutogenContext) -> str | Literal[False]:
    """Migrations must not import application types: UTCDateTime is stored as a plain timestamptz."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
