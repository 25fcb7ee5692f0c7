"""Official sheets: the insurer's own feuilles, dated per insurer and kind, and students' own sheets per claim

Revision ID: 0008
Revises: 0010
Create Date: 2026-12-01 20:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "official_sheets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("insurer", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_official_sheets_claim_id", "official_sheets", ["claim_id"])
    op.create_index("ix_official_sheets_user_id", "official_sheets", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_official_sheets_user_id", table_name="official_sheets")
    op.drop_index("ix_official_sheets_claim_id", table_name="official_sheets")
    op.drop_table("official_sheets")
