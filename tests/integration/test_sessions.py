"""Issue 18: server-side sessions expire (idle and absolute), old rows are purged, "se déconnecter partout"
signs every device out, and a new password retires every outstanding reset link."""

import html
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from claimkit.adapters.db.models import UserSession
from claimkit.config import settings_from_env
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, FakeClock, Student, csrf_token, post_form, send_outbox
from tests.integration.test_throttle_and_reset import ListMailer, login


@pytest.fixture(autouse=True)
def production_limits(app: Flask, tmp_path: Path) -> None:
    """The defaults an operator gets without setting anything (conftest lengthens them for other tests)."""
    defaults = settings_from_env(tmp_path, {})
    app.config.update(SESSION_IDLE_HOURS=defaults["SESSION_IDLE_HOURS"], SESSION_MAX_DAYS=defaults["SESSION_MAX_DAYS"])


def signed_in(client: FlaskClient) -> bool:
    return client.get("/profil/").status_code == 200


def test_idle_session_expires(app: Flask, client: FlaskClient, student: Student, clock: FakeClock) -> None:
    clock.advance(days=6, hours=23)
    assert signed_in(client)  # used within the idle limit: still signed in, and the use counts as activity
    clock.advance(days=6, hours=23)
    assert signed_in(client)
    clock.advance(days=7, minutes=1)
    assert not signed_in(client)
    assert not signed_in(client)  # and it stays refused


def test_absolute_lifetime_ends_a_busy_session(app: Flask, client: FlaskClient, student: Student,
                                               clock: FakeClock) -> None:  # fmt: skip
    for _ in range(29):
        clock.advance(days=1)
        assert signed_in(client)
    clock.advance(days=1, minutes=1)
    assert not signed_in(client)


def test_session_limits_come_from_config(app: Flask, client: FlaskClient, student: Student, clock: FakeClock) -> None:
    app.config["SESSION_IDLE_HOURS"] = 1
    clock.advance(minutes=59)
    assert signed_in(client)
    clock.advance(hours=1, minutes=1)
    assert not signed_in(client)


def test_aged_and_revoked_rows_are_purged(app: Flask, client: FlaskClient, student: Student) -> None:
    old = datetime(2020, 1, 1, tzinfo=UTC)
    with deps(app).sessions() as db:
        db.add(UserSession(user_id=1, token_hash="a" * 64, created_at=old, last_seen_at=old))
        db.commit()
    student.log_out()  # revokes the current row
    student.log_in()
    with deps(app).sessions() as db:
        assert db.scalar(select(func.count()).select_from(UserSession)) == 1  # only the new session is left


def test_log_out_everywhere(app: Flask, client: FlaskClient, student: Student) -> None:
    phone = app.test_client()
    Student(phone, student.email).log_in()
    assert signed_in(phone)
    page = client.get("/compte/mot-de-passe").get_data(as_text=True)
    assert "Se déconnecter partout" in page
    response = client.post("/compte/deconnexion-partout", data={"csrf_token": csrf_token(client, "/profil/")},
                           follow_redirects=True)  # fmt: skip
    assert "déconnecté(e) de tous vos appareils" in html.unescape(response.get_data(as_text=True))
    assert not signed_in(client) and not signed_in(phone)


def _reset_link(app: Flask, mailer: ListMailer, email: str) -> str:
    post_form(app.test_client(), "/compte/mot-de-passe-oublie", {"email": email})
    send_outbox(app)
    body = mailer.messages[-1].get_body(("plain",))
    assert body is not None
    match = re.search(r"(/compte/reinitialiser/\S+)", body.get_content())
    assert match
    return match.group(1)


def test_reset_or_password_change_retires_every_outstanding_link(app: Flask, student: Student,
                                                                clock: FakeClock) -> None:  # fmt: skip
    mailer = ListMailer()
    deps(app).mailer = mailer
    older, newer = _reset_link(app, mailer, student.email), _reset_link(app, mailer, student.email)
    data = {"new": "un tout nouveau secret", "confirm": "un tout nouveau secret"}
    assert post_form(app.test_client(), newer, data).status_code == 302
    other = {"new": "autre secret 42", "confirm": "autre secret 42"}
    refused = html.unescape(post_form(app.test_client(), older, other).get_data(as_text=True))
    assert "invalide, déjà utilisé ou expiré" in refused
    assert login(app.test_client(), "un tout nouveau secret") == "OK"
    # A password change from the settings retires links sent before it too.
    pending = _reset_link(app, mailer, student.email)
    browser = app.test_client()
    Student(browser, student.email).log_in("un tout nouveau secret")
    change = {"current": "un tout nouveau secret", "new": PASSWORD + " 2", "confirm": PASSWORD + " 2"}
    changed = post_form(browser, "/compte/mot-de-passe", change)
    assert changed.status_code == 302
    stale = post_form(app.test_client(), pending, other)
    assert "invalide, déjà utilisé ou expiré" in html.unescape(stale.get_data(as_text=True))
