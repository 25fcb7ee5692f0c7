"""Login throttling kept in the database (holds across workers) and the emailed password reset."""

import html
import re
from email.message import EmailMessage
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.db.models import LoginThrottle
from claimkit.domain.throttling import ADDRESS_FREE_ATTEMPTS
from claimkit.services import throttles
from claimkit.web import create_app
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, FakeClock, Student, csrf_token, post_form, send_outbox


class ListMailer:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.messages.append(message)


def login(client: FlaskClient, password: str, email: str = "amina@example.ma") -> str:
    response = post_form(client, "/compte/connexion", {"email": email, "password": password})
    return "OK" if response.status_code == 302 else html.unescape(response.get_data(as_text=True))


def test_lock_after_five_failures_holds_across_workers(app: Flask, student: Student, clock: FakeClock,
                                                      database_url: str, tmp_path: Path) -> None:  # fmt: skip
    student.log_out()
    browser = app.test_client()
    for _ in range(5):
        assert "Adresse ou mot de passe incorrect." in login(browser, "mauvais mot de passe")
    assert "Adresse ou mot de passe incorrect." in login(browser, "encore faux !!")  # 6th: now locked for 30 s
    assert "Trop de tentatives : réessayez dans 1 min." in login(browser, PASSWORD)  # even the right one waits
    other_worker = create_app({"INSTANCE_PATH": tmp_path / "w2", "DATABASE_URL": database_url, "TESTING": True,
                               "CLOCK": clock, "SERVER_NAME": "localhost"})  # fmt: skip
    assert "Trop de tentatives" in login(other_worker.test_client(), PASSWORD)
    deps(other_worker).engine.dispose()
    clock.advance(seconds=31)
    assert login(browser, PASSWORD) == "OK"


def test_other_accounts_failures_do_not_lock_a_correct_password(app: Flask, student: Student) -> None:
    """Issue 18: six wrong passwords on other accounts from one address used to lock every account there."""
    student.log_out()
    browser = app.test_client()
    for i in range(6):
        login(browser, "x" * 12, email=f"inconnu{i}@example.ma")
        login(browser, "x" * 12, email="voisin@example.ma")
    assert "Trop de tentatives" in login(browser, "x" * 12, email="voisin@example.ma")  # that account is locked
    assert login(browser, PASSWORD) == "OK"


def forwarded(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return client


def _address_near_ceiling(app: Flask, clock: FakeClock, address: str) -> None:
    with deps(app).sessions() as db:
        db.add(LoginThrottle(key=throttles.key("address", address), failures=ADDRESS_FREE_ATTEMPTS,
                             window_start=clock(), locked_until=None))  # fmt: skip
        db.commit()


def test_per_address_ceiling_then_lock_and_proxy_fix(app: Flask, student: Student, clock: FakeClock,
                                                     database_url: str, tmp_path: Path) -> None:  # fmt: skip
    student.log_out()
    behind_proxy = create_app({"INSTANCE_PATH": tmp_path / "p", "DATABASE_URL": database_url, "TESTING": True,
                               "CLOCK": clock, "SERVER_NAME": "localhost", "TRUSTED_PROXIES": 1})  # fmt: skip
    campus, elsewhere = forwarded(behind_proxy, "198.51.100.7"), forwarded(behind_proxy, "203.0.113.9")
    _address_near_ceiling(app, clock, "198.51.100.7")
    assert "Adresse ou mot de passe incorrect." in login(campus, "x" * 12, email="autre@example.ma")  # the 101st
    assert "Trop de tentatives" in login(campus, PASSWORD)  # the address as a whole is now locked
    assert login(elsewhere, PASSWORD) == "OK"  # the proxy's other clients are not
    deps(behind_proxy).engine.dispose()
    # Without a declared proxy, a forged X-Forwarded-For changes nothing: the socket's address counts.
    _address_near_ceiling(app, clock, "127.0.0.1")
    direct = forwarded(app, "192.0.2.1")
    login(direct, "x" * 12, email="autre@example.ma")
    assert "Trop de tentatives" in login(app.test_client(), PASSWORD)


def test_success_clears_the_account_counters(app: Flask, student: Student) -> None:
    student.log_out()
    browser = app.test_client()
    for _ in range(4):
        login(browser, "mauvais mot de passe")
    assert login(browser, PASSWORD) == "OK"
    browser.post("/compte/deconnexion", data={"csrf_token": csrf_token(browser, "/profil/")})
    for _ in range(5):  # a fresh budget of 5: the 4 earlier failures were forgotten
        assert "Adresse ou mot de passe incorrect." in login(browser, "mauvais mot de passe")
    assert login(browser, PASSWORD) == "OK"


def test_reset_by_email_single_use_and_revokes_sessions(app: Flask, student: Student, clock: FakeClock) -> None:
    mailer = ListMailer()
    deps(app).mailer = mailer
    phone = app.test_client()
    Student(phone, student.email).log_in()
    anonymous = app.test_client()
    page = post_form(anonymous, "/compte/mot-de-passe-oublie", {"email": "personne@example.ma"}, follow_redirects=True)
    assert "Si un compte existe avec cette adresse" in html.unescape(page.get_data(as_text=True))
    assert mailer.messages == []  # same answer; the page itself sends nothing
    send_outbox(app)  # the scheduler: no reset link for an address without an account
    assert [m["Subject"] for m in mailer.messages] == ["Aucun compte claimkit avec cette adresse"]
    post_form(anonymous, "/compte/mot-de-passe-oublie", {"email": "AMINA@example.ma"})
    send_outbox(app)
    body = mailer.messages[-1].get_body(("plain",))
    assert body is not None
    match = re.search(r"https?://\S+(/compte/reinitialiser/\S+)", body.get_content())
    assert match
    link = match.group(1)
    data = {"new": "un tout nouveau secret", "confirm": "un tout nouveau secret"}
    done = post_form(anonymous, link, data, follow_redirects=True)
    assert "Mot de passe changé" in done.get_data(as_text=True)
    assert phone.get("/profil/").status_code == 302  # every session was revoked
    again = html.unescape(post_form(anonymous, link, data).get_data(as_text=True))
    assert "invalide, déjà utilisé ou expiré" in again
    assert login(app.test_client(), "un tout nouveau secret") == "OK"


def test_reset_link_expires(app: Flask, student: Student, clock: FakeClock) -> None:
    mailer = ListMailer()
    deps(app).mailer = mailer
    anonymous = app.test_client()
    post_form(anonymous, "/compte/mot-de-passe-oublie", {"email": student.email})
    send_outbox(app)
    body = mailer.messages[0].get_body(("plain",))
    assert body is not None
    link = re.search(r"(/compte/reinitialiser/\S+)", body.get_content())
    assert link
    clock.advance(hours=1, seconds=1)
    page = html.unescape(
        post_form(anonymous, link.group(1), {"new": "x" * 12, "confirm": "x" * 12}).get_data(as_text=True)
    )
    assert "expiré" in page
    assert login(app.test_client(), PASSWORD) == "OK"
