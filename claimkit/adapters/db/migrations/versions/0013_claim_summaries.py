"""Claims: derived figures stored for the dashboard (first act, pieces, estimate, paid)

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-01 20:30:00

The columns are NULL until `flask db-upgrade` fills them (claimkit.services.summaries.backfill, with the domain's
rules, which a migration must not import); the dashboard computes a NULL row on the fly meanwhile.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("first_act_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("pieces_required", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pieces_ticked", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("estimate_total", sa.Numeric(10, 2), nullable=True))
        batch_op.add_column(sa.Column("paid_total", sa.Numeric(10, 2), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        for column in ("paid_total", "estimate_total", "pieces_ticked", "pieces_required", "first_act_on"):
            batch_op.drop_column(column)
