"""Law 54-23: insured parent on the profile, scheme of a sent claim, regime of the reference rows, cut-over date
and the notices told to students

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 20:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PARENT_COLUMNS = (
    ("parent_nom_prenom", sa.String(200)),
    ("parent_immatriculation", sa.String(20)),
    ("parent_cin", sa.String(20)),
    ("parent_insurer", sa.String(20)),
    ("parent_adresse", sa.Text()),
)
REFERENCE_TABLES = ("insurers", "refund_rates", "tariffs")


def upgrade() -> None:
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        for name, type_ in PARENT_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=False, server_default=""))
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scheme", sa.String(20), nullable=False, server_default=""))
    for table in REFERENCE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("regime", sa.String(20), nullable=False, server_default="cnops"))
    op.create_table(
        "config_dates",
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_config_dates")),
    )
    op.create_table(
        "scheme_notices",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(10), nullable=False),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_scheme_notices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "phase", name=op.f("pk_scheme_notices")),
    )


def downgrade() -> None:
    op.drop_table("scheme_notices")
    op.drop_table("config_dates")
    for table in REFERENCE_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("regime")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("scheme")
    with op.batch_alter_table("profiles", schema=None) as batch_op:
        for name, _type in reversed(PARENT_COLUMNS):
            batch_op.drop_column(name)
