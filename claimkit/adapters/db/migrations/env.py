"""Alembic environment: online migrations only, batch mode so ALTERs work on SQLite too."""

from alembic import context

from claimkit.adapters.db.engine import make_engine
from claimkit.adapters.db.models import Base

engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
