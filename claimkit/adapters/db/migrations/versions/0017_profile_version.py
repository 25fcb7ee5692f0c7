"""profile version (optimistic locking of the profile form, issue 17); a medicine line's DCI and strength,
copied from the reference (filled in for the lines already saved); claims.copied_from, so a copy's title says
"nouvel envoi" in the reader's language instead of storing the French words in its label

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-02 00:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("medicine_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dci", sa.String(200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("dosage", sa.String(100), nullable=False, server_default=""))
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("copied_from", sa.Integer(), nullable=True))
    for column in ("dci", "dosage"):  # fixed names, no user input in this SQL
        op.execute(
            f"UPDATE medicine_lines SET {column} = COALESCE((SELECT m.{column} FROM medicines m "  # nosec B608
            f"WHERE m.ean13 = medicine_lines.ean13 ORDER BY m.id LIMIT 1), '') WHERE ean13 <> ''"
        )


def downgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("copied_from")
    with op.batch_alter_table("medicine_lines", schema=None) as batch_op:
        batch_op.drop_column("dosage")
        batch_op.drop_column("dci")
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        batch_op.drop_column("version")
