"""profile version (optimistic locking of the profile form, issue 17)

Revision ID: 0017
Revises: 0008
Create Date: 2026-12-02 00:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_column("version")
