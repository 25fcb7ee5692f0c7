"""Sheet offsets: a student's nudge (mm) of each value written on their own official sheet

Revision ID: 0014
Revises: 0016
Create Date: 2026-12-02 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sheet_offsets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=30), nullable=False),
        sa.Column("dx_mm", sa.Integer(), nullable=False),
        sa.Column("dy_mm", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sheet_id"],
            ["official_sheets.id"],
            name=op.f("fk_sheet_offsets_sheet_id_official_sheets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sheet_offsets")),
        sa.UniqueConstraint("sheet_id", "key", name=op.f("uq_sheet_offsets_sheet_id")),
    )
    op.create_index(op.f("ix_sheet_offsets_sheet_id"), "sheet_offsets", ["sheet_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_sheet_offsets_sheet_id"), table_name="sheet_offsets")
    op.drop_table("sheet_offsets")
