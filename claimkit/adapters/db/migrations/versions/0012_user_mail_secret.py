"""users.mail_secret: a per-account secret that unsubscribe and confirmation links are bound to

Revision ID: 0012
Revises: 0013
Create Date: 2026-12-01 20:35:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mail_secret", sa.String(length=32), nullable=True))
    users = sa.table("users", sa.column("id", sa.Integer()), sa.column("mail_secret", sa.String()))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(mail_secret=secrets.token_hex(16)))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("mail_secret")
