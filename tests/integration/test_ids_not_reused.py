"""Issue 18: SQLite gave a deleted account's id to the next sign-up (an old unsubscribe link then named the new
account). users and claims are AUTOINCREMENT since migration 0018; PostgreSQL sequences never reuse an id."""

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import select

from claimkit.adapters.db import migrate
from claimkit.adapters.db.engine import make_engine
from claimkit.adapters.db.models import Claim, User
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, Student, post_form
from tests.integration.test_claims_flow import new_claim


def _id_of(app: Flask, email: str) -> int:
    with deps(app).sessions() as db:
        found = db.scalar(select(User.id).where(User.email == email))
    assert found is not None
    return found


def test_the_last_deleted_account_id_is_not_given_again(app: Flask) -> None:
    first = Student(app.test_client(), "premiere@example.ma")
    first.sign_up()
    last = Student(app.test_client(), "derniere@example.ma")
    last.sign_up()
    deleted_id = _id_of(app, last.email)
    claim_id = new_claim(last.client)
    assert post_form(last.client, "/donnees/suppression", {"password": PASSWORD}).status_code == 302
    with deps(app).sessions() as db:
        assert db.get(User, deleted_id) is None and db.get(Claim, claim_id) is None

    newcomer = Student(app.test_client(), "nouvelle@example.ma")
    newcomer.sign_up()
    assert _id_of(app, newcomer.email) not in (deleted_id, _id_of(app, first.email))
    assert new_claim(newcomer.client) != claim_id  # the deleted account's claim id is not reused either


def _insert(conn: sa.Connection, table: str, **values: object) -> None:
    """A row as the old schema takes it: every other NOT NULL column without a default gets 0 or ""."""
    reflected = sa.Table(table, sa.MetaData(), autoload_with=conn)
    for column in reflected.columns:
        required = not column.nullable and column.server_default is None and not column.primary_key
        if column.name not in values and required:
            values[column.name] = 0 if isinstance(column.type, (sa.Integer, sa.Boolean, sa.Numeric)) else ""
    conn.execute(reflected.insert().values(**values))


def test_migration_0018_keeps_every_row_of_an_existing_database(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The tables are rebuilt on SQLite: with foreign keys on, dropping the old users table would have cascaded
    to every profile and claim. An old database keeps all its rows, and its ids are not reused afterwards."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    migrate.upgrade(url, "0008")
    engine = make_engine(url)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with engine.begin() as conn:
        _insert(conn, "users", id=1, email="a@example.ma", created_at=now, health_data_consent_at=now)
        _insert(conn, "users", id=2, email="b@example.ma", created_at=now, health_data_consent_at=now)
        _insert(conn, "claims", id=7, user_id=2, kind="maladie", state="brouillon", created_at=now, updated_at=now)
        _insert(conn, "reminders", claim_id=7, days_before=7, due_at=now, status="pending")
    engine.dispose()
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM claims WHERE user_id = 2")).scalar() == 1
        assert conn.execute(sa.text("SELECT kind FROM reminders")).scalar() == "reminder"
        conn.execute(sa.text("DELETE FROM users WHERE id = 2"))  # cascades now, as foreign keys are back on
        assert conn.execute(sa.text("SELECT count(*) FROM claims")).scalar() == 0
        _insert(conn, "users", email="c@example.ma", created_at=now, health_data_consent_at=now)
        assert conn.execute(sa.text("SELECT id FROM users WHERE email = 'c@example.ma'")).scalar() == 3
    engine.dispose()
