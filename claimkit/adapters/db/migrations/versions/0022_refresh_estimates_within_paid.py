"""Claims: the stored estimates are recomputed (the medicines' estimate is now bounded by what the pharmacy received)

Revision ID: 0022
Revises: 0018
Create Date: 2026-12-02 03:00:00

The estimator changed (docs/domain.md#refund-estimate: boxes priced above the pharmacy acts are scaled to the
paid share). The stored `estimate_total` of every claim is set to NULL here, and `flask db-upgrade` refills it
with the domain's rules right after the migrations (a migration must not import them).
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text("UPDATE claims SET estimate_total = NULL"))


def downgrade() -> None:
    op.execute(sa.text("UPDATE claims SET estimate_total = NULL"))  # the older rules refill them just as well
