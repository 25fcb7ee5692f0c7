"""Issue 18: sign-up, forgot-password, the confirmation resend and current-password checks are limited in the
database, like the sign-in throttle (15 reset mails in a row used to go out)."""

import html

from flask import Flask
from flask.testing import FlaskClient

from claimkit.web.deps import deps
from tests.conftest import PASSWORD, FakeClock, Student, csrf_token, post_form, send_outbox
from tests.integration.test_reminders import unconfirm_all
from tests.integration.test_throttle_and_reset import ListMailer

LOCKED = "Trop de tentatives"


def _page(response: object) -> str:
    return html.unescape(response.get_data(as_text=True))  # type: ignore[attr-defined]


def test_forgot_password_sends_at_most_three_mails(app: Flask, student: Student, clock: FakeClock) -> None:
    mailer = ListMailer()
    deps(app).mailer = mailer
    pages = [_page(post_form(app.test_client(), "/compte/mot-de-passe-oublie", {"email": student.email},
                             follow_redirects=True)) for _ in range(15)]  # fmt: skip
    send_outbox(app)
    assert len(mailer.messages) == 3
    assert all(LOCKED in page for page in pages[3:])
    unknown = [_page(post_form(app.test_client(), "/compte/mot-de-passe-oublie", {"email": "x@example.ma"},
                               follow_redirects=True)) for _ in range(4)]  # fmt: skip
    assert LOCKED not in unknown[2] and LOCKED in unknown[3]  # the same answer for an address with no account
    clock.advance(minutes=16)
    post_form(app.test_client(), "/compte/mot-de-passe-oublie", {"email": student.email})
    send_outbox(app)
    assert len(mailer.messages) == 3 + 3 + 1  # the unknown address got its 3 "no account" mails


def test_sign_ups_per_address(app: Flask) -> None:
    for i in range(10):
        assert Student(app.test_client(), f"etudiant{i}@example.ma").sign_up().status_code == 302
    refused = post_form(app.test_client(), "/compte/inscription", {"email": "onzieme@example.ma"})
    assert refused.status_code == 200 and LOCKED in _page(refused)


def test_confirmation_resend_is_limited(app: Flask, client: FlaskClient, student: Student) -> None:
    mailer = ListMailer()
    deps(app).mailer = mailer
    unconfirm_all(app)  # an account from before the mail-first sign-up
    for _ in range(5):
        client.post("/rappels/confirmation", data={"csrf_token": csrf_token(client, "/rappels/")})
    send_outbox(app)
    assert len(mailer.messages) == 3
    page = _page(client.get("/rappels/"))
    assert LOCKED in page


def test_current_password_checks_are_limited(app: Flask, client: FlaskClient, student: Student) -> None:
    wrong = {"current": "pas le bon du tout", "new": "nouveau secret 123", "confirm": "nouveau secret 123"}
    for _ in range(5):
        assert "Le mot de passe actuel est incorrect." in _page(post_form(client, "/compte/mot-de-passe", wrong))
    right = {**wrong, "current": PASSWORD}
    assert LOCKED in _page(post_form(client, "/compte/mot-de-passe", right))
    deletion = post_form(client, "/donnees/suppression", {"password": PASSWORD})
    assert LOCKED in _page(deletion)  # the same counter guards account deletion
    assert client.get("/profil/").status_code == 200  # nothing was deleted
