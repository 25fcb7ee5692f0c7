"""Checklist: documents per ticked line; users: the print offset of a values-only print

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 00:00:00

A tick written before this migration counts one document (the former rule: one per ticked line); the offset of
an account that never printed a calibration page is 0 mm (docs/domain.md, "Official sheets and the student's part").
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checklist_ticks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("documents", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("print_offset_x_mm", sa.Numeric(3, 1), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("print_offset_y_mm", sa.Numeric(3, 1), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("print_offset_y_mm")
        batch_op.drop_column("print_offset_x_mm")
    with op.batch_alter_table("checklist_ticks", schema=None) as batch_op:
        batch_op.drop_column("documents")
