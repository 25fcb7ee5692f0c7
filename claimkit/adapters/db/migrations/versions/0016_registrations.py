"""registrations: the student's immatriculation status, rights dates and attestation file (issue 15)

Revision ID: 0016
Revises: 0008
Create Date: 2026-12-02 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registrations",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="", nullable=False),
        sa.Column("traditional_final_cycle", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("cnops_letter_on", sa.Date(), nullable=True),
        sa.Column("studies_interrupted_on", sa.Date(), nullable=True),
        sa.Column("attestation_name", sa.String(length=64), server_default="", nullable=False),
        sa.Column("attestation_type", sa.String(length=40), server_default="", nullable=False),
        sa.Column("attestation_size", sa.Integer(), server_default="0", nullable=False),
        sa.Column("attestation_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_registrations_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_registrations")),
    )


def downgrade() -> None:
    op.drop_table("registrations")
