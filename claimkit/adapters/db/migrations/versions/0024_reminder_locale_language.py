"""reminders.locale mapped on Language: NULL, not "", for the rows with no language of their own

Revision ID: 0024
Revises: 0020
Create Date: 2026-12-02 06:10:00

The outbox column is mapped on the domain's `Language` (models.stored_as_value), as users.locale is, so a value
outside the enum is refused. Account mails keep their "fr" / "ar" (unchanged). A claim's reminder has no language of
its own (it is written in its student's `User.locale` when sent) and was stored "", which is no language: NULL
says so, and the column becomes nullable.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.alter_column(
            "locale", existing_type=sa.String(length=5), nullable=True, server_default=None, existing_server_default=""
        )
    op.execute(sa.text("UPDATE reminders SET locale = NULL WHERE locale = ''"))


def downgrade() -> None:
    op.execute(sa.text("UPDATE reminders SET locale = '' WHERE locale IS NULL"))
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.alter_column("locale", existing_type=sa.String(length=5), nullable=False, server_default="")
