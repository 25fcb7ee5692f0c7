"""ALD claims: exonération request and private-sector care

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 07:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ald_exoneration", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("ald_private_sector", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("ald_private_sector")
        batch_op.drop_column("ald_exoneration")
