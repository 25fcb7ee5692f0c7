"""claims.personal_note: the student's own note about a claim, never printed (ClaimDetails.personal_note)

Revision ID: 0020
Revises: 0021
Create Date: 2026-12-02 03:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0021"  # main's head when this was written (0022 → 0021); the lead re-chains at merge
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("personal_note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("personal_note")
