"""The reminders outbox carries account mails too; users and claims ids are never reused on SQLite

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 00:00:00

Issue 18. Sign-up and forgot-password write a row in the outbox instead of sending inline (`kind`, `to_address`,
`locale`; no claim). SQLite gives a deleted row's id to the next insert unless the table is AUTOINCREMENT, which
only a table rebuild can change (batch recreate, run with foreign keys off by env.py so that dropping the old
table cascades nothing). PostgreSQL sequences never reuse an id: nothing to do there.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

IDS_IN_LINKS = ("users", "claims")


def _autoincrement(enabled: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in IDS_IN_LINKS:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": enabled}):
            pass


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=20), server_default="reminder", nullable=False))
        batch_op.add_column(sa.Column("to_address", sa.String(length=254), server_default="", nullable=False))
        batch_op.add_column(sa.Column("locale", sa.String(length=5), server_default="", nullable=False))
        batch_op.alter_column("claim_id", existing_type=sa.Integer(), nullable=True)
    _autoincrement(True)


def downgrade() -> None:
    _autoincrement(False)
    op.execute("DELETE FROM reminders WHERE claim_id IS NULL")  # account mails have no place in the old table
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.alter_column("claim_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("locale")
        batch_op.drop_column("to_address")
        batch_op.drop_column("kind")
