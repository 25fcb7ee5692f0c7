"""Refund rules: a medicine line keeps the reference's own rate; the unsourced 90 % ALD row goes; dental acts
carry the dentist's IF (the ICE is 0011's acts.ice) and the n° d'entente préalable; dated posting margin and
public holidays

Revision ID: 0009
Revises: 0012
Create Date: 2026-12-01 20:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0012"
branch_labels = None
depends_on = None

ALD_2024 = (
    "Communiqué CNOPS de janvier 2024 (docs/domain.md#refund-estimate) : médicaments ALD/ALC à 100 % (base générique)"
)


def upgrade() -> None:
    with op.batch_alter_table("medicine_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rate_percent", sa.Integer(), nullable=True))
    with op.batch_alter_table("acts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dentist_if", sa.String(20), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("entente", sa.String(40), nullable=False, server_default=""))
    op.create_table(
        "posting_margins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
    )
    op.create_table(
        "public_holidays",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("islamic", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
    )
    op.create_index("ix_public_holidays_day", "public_holidays", ["day"])
    # Lines already entered take the reference's rate of their barcode (0 = non remboursable).
    op.execute(
        "UPDATE medicine_lines SET rate_percent = (SELECT m.rate_percent FROM medicines m "
        "WHERE m.ean13 = medicine_lines.ean13 AND m.ean13 <> '') WHERE ean13 <> ''"
    )
    # The 90 % private-sector ALD figure has no source (docs/domain.md#refund-estimate): the row goes.
    op.execute("DELETE FROM refund_rates WHERE basis = 'ald_prive'")
    # The ALD row now covers medicines only, from the communiqué that says so.
    refund_rates = sa.table("refund_rates", sa.column("basis"), sa.column("source"), sa.column("valid_from"))
    op.execute(
        refund_rates.update()
        .where(refund_rates.c.basis == "ald", refund_rates.c.source.like("⚠ Sources publiques%"))
        .values(source=ALD_2024)
    )


def downgrade() -> None:
    op.drop_index("ix_public_holidays_day", table_name="public_holidays")
    op.drop_table("public_holidays")
    op.drop_table("posting_margins")
    with op.batch_alter_table("acts", schema=None) as batch_op:
        for column in ("entente", "dentist_if"):
            batch_op.drop_column(column)
    with op.batch_alter_table("medicine_lines", schema=None) as batch_op:
        batch_op.drop_column("rate_percent")
