"""Content revisions: claims.revision, users.revision and the "reference" counter, for the packet's ETag

Revision ID: 0021
Revises: 0022
Create Date: 2026-12-02 03:00:00

Bumped by adapters/db/revisions.py at every flush that changes what a packet shows (issue 20), so a repeated
download is answered from one read instead of loading and hashing the whole claim.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0022"  # after main's 0022 (refresh_estimates_within_paid), merged in
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
    revisions = op.create_table(
        "revisions",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_revisions")),
    )
    op.bulk_insert(revisions, [{"name": "reference", "value": 1}])


def downgrade() -> None:
    op.drop_table("revisions")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("revision")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_column("revision")
