"""Issue 18: sign-up and forgot-password do not show who has an account. Both paths of each form answer alike
(status, headers, body, save the CSRF token and the CSP nonce) and write the same rows: one outbox row and the
rate-limit counters; the scheduler, not the page, looks the address up and sends (services/account_mails.py)."""

import html
import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete, func, select

from claimkit.adapters import tokens
from claimkit.adapters.db import models as m
from claimkit.adapters.db.models import Base
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, Student, csrf_token, mail_link, outbox_mails, post_form, send_outbox

_VARYING = [
    re.compile(r'(name="csrf_token" (?:type="hidden" )?value=")[^"]+'),
    re.compile(r"(nonce-?=?\"?)[A-Za-z0-9_\-+/=]{8,}"),
]


def _scrub(text: str) -> str:
    for pattern in _VARYING:
        text = pattern.sub(r"\1…", text)
    return text


def _counts(app: Flask) -> dict[str, int]:
    with deps(app).sessions() as db:
        return {t.name: db.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables}


def _outbox_rows(app: Flask) -> list[dict[str, Any]]:
    """The account-mail rows without what must differ (id, the address typed)."""
    with deps(app).sessions() as db:
        rows = db.scalars(select(m.Reminder).where(m.Reminder.claim_id.is_(None)).order_by(m.Reminder.id))
        return [
            {c.key: getattr(r, c.key) for c in m.Reminder.__table__.columns if c.key not in ("id", "to_address")}
            for r in rows
        ]


def _long_ago(app: Flask, clock: Any) -> None:
    """The account was made a while ago: its own sign-up's counters are gone (a window later they count from 0)."""
    clock.advance(hours=1)
    with deps(app).sessions() as db:
        db.execute(delete(m.LoginThrottle))
        db.commit()


def _answer(app: Flask, path: str, email: str, client_address: str) -> dict[str, Any]:
    """One request as a new visitor from its own address (the counters per client address then behave alike);
    returns what the visitor can observe of the answer and of the page it leads to, and the rows it wrote."""
    browser = app.test_client()
    environ = {"REMOTE_ADDR": client_address}
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"',
        browser.get(path, environ_base=environ).get_data(as_text=True),
    )
    assert token
    before, outbox_before = _counts(app), len(_outbox_rows(app))
    response = browser.post(path, data={"csrf_token": token.group(1), "email": email}, environ_base=environ)
    after = _counts(app)
    headers = sorted(
        (name, _scrub(value) if name != "Set-Cookie" else value.split("=", 1)[0] + "=…; " + value.split(";", 1)[1])
        for name, value in response.headers.items()
    )
    followed = browser.get(response.headers["Location"], environ_base=environ)
    return {
        "status": response.status_code,
        "headers": headers,
        "body": response.get_data(as_text=True),
        "next": (followed.status_code, _scrub(html.unescape(followed.get_data(as_text=True)))),
        "rows written": {name: after[name] - before[name] for name in after if after[name] != before[name]},
        "outbox row": _outbox_rows(app)[outbox_before:],
    }


@pytest.mark.parametrize(
    ("path", "kind", "page_says"),
    [
        ("/compte/inscription", "signup", "Vérifiez votre boîte mail"),
        ("/compte/mot-de-passe-oublie", "reset", "Si un compte existe avec cette adresse"),
    ],
)
def test_both_paths_answer_and_write_alike(
    app: Flask, student: Student, clock: Any, path: str, kind: str, page_says: str
) -> None:
    _long_ago(app, clock)
    existing = _answer(app, path, student.email, "192.0.2.1")
    without_account = _answer(app, path, "nouvelle@example.ma", "192.0.2.2")
    assert existing == without_account
    # One outbox row and the two rate-limit counters, nothing else (no reset row yet: the sender makes it).
    assert existing["status"] == 302 and existing["rows written"] == {"reminders": 1, "login_throttles": 2}
    assert page_says in existing["next"][1]
    assert existing["outbox row"][0]["kind"] == kind and existing["outbox row"][0]["status"] == "pending"


def test_the_scheduler_sends_which_mail_each_address_needs(app: Flask, student: Student) -> None:
    for path, email in [
        ("/compte/inscription", student.email),
        ("/compte/inscription", "nouvelle@example.ma"),
        ("/compte/mot-de-passe-oublie", student.email),
        ("/compte/mot-de-passe-oublie", "personne@example.ma"),
    ]:
        assert post_form(app.test_client(), path, {"email": email}).status_code == 302
    assert outbox_mails(app, "personne@example.ma") == []  # the page sent nothing itself
    result = app.test_cli_runner().invoke(args=["send-reminders"])  # what `flask run-scheduler` runs
    assert "envoyés : 4" in result.output, result.output
    subjects = {(str(msg["To"]), str(msg["Subject"])) for msg in outbox_mails(app, student.email)}
    assert (student.email, "Vous avez déjà un compte claimkit") in subjects
    assert (student.email, "Réinitialiser votre mot de passe claimkit") in subjects
    assert [str(msg["Subject"]) for msg in outbox_mails(app, "nouvelle@example.ma")] == [
        "Terminez votre inscription à claimkit"
    ]
    assert [str(msg["Subject"]) for msg in outbox_mails(app, "personne@example.ma")] == [
        "Aucun compte claimkit avec cette adresse"
    ]
    with deps(app).sessions() as db:
        assert db.scalar(select(func.count()).select_from(m.PasswordReset)) == 1  # made when the mail left
        assert db.scalar(select(func.count()).select_from(m.User)) == 1
    assert app.test_cli_runner().invoke(args=["send-reminders"]).output.startswith("envoyés : 0")


def test_the_mailed_reset_link_sets_the_password(app: Flask, student: Student) -> None:
    student.log_out()
    post_form(app.test_client(), "/compte/mot-de-passe-oublie", {"email": student.email})
    link = mail_link(app, student.email, "/compte/reinitialiser/")
    new = "une autre phrase secrète 2026"
    assert post_form(student.client, link, {"new": new, "confirm": new}).status_code == 302
    assert student.log_in(new).status_code == 302


def test_the_sign_up_link_opens_a_confirmed_account_once(app: Flask, client: Any) -> None:
    newcomer = Student(client, "yasmine@example.ma")
    response = newcomer.sign_up()
    assert response.status_code == 302 and response.headers["Location"] == "/profil/"
    assert client.get("/profil/").status_code == 200  # signed in
    with deps(app).sessions() as db:
        user = db.scalar(select(m.User).where(m.User.email == newcomer.email))
        assert user is not None and user.email_confirmed_at is not None and user.health_data_consent_at is not None
    link = mail_link(app, newcomer.email, "/compte/inscription/")
    again = app.test_client().get(link)  # the same mail, opened again
    assert again.status_code == 302 and again.headers["Location"] == "/compte/connexion"
    with deps(app).sessions() as db:
        assert db.scalar(select(func.count()).select_from(m.User)) == 1


def test_a_forged_or_expired_sign_up_link_says_so(app: Flask, client: Any, monkeypatch: Any) -> None:
    forged = client.get("/compte/inscription/WyJ4QGV4YW1wbGUubWEiLCJmciJd.aw9d9Q.bad")
    assert forged.status_code == 200 and "invalide ou a expiré" in html.unescape(forged.get_data(as_text=True))
    post_form(client, "/compte/inscription", {"email": "tard@example.ma"})
    link = mail_link(app, "tard@example.ma", "/compte/inscription/")
    monkeypatch.setattr(tokens, "SIGN_UP_MAX_AGE", -1)  # older than its 3 days
    page = html.unescape(client.get(link).get_data(as_text=True))
    assert "invalide ou a expiré" in page and 'name="password"' not in page
    refused = client.post(link, data={"csrf_token": csrf_token(client, "/compte/inscription"), "password": PASSWORD})
    with deps(app).sessions() as db:
        assert refused.status_code == 200 and db.scalar(select(func.count()).select_from(m.User)) == 0


def test_arabic_sign_up_mail_and_account_are_arabic(app: Flask, client: Any) -> None:
    arabic = {"Accept-Language": "ar-MA,ar;q=0.9"}
    newcomer = Student(client, "laila@example.ma")
    assert newcomer.sign_up(headers=arabic).status_code == 302
    mail = outbox_mails(app, newcomer.email)[0]
    assert mail["Subject"] != "Terminez votre inscription à claimkit"
    body = mail.get_body(("html",))
    assert body is not None and '<html lang="ar" dir="rtl">' in body.get_content()
    with deps(app).sessions() as db:
        user = db.scalar(select(m.User).where(m.User.email == newcomer.email))
        assert user is not None and user.locale == "ar"


def test_sign_up_mails_to_one_address_are_limited(app: Flask) -> None:
    for n in range(4):
        browser = app.test_client()
        response = browser.post(
            "/compte/inscription",
            data={"csrf_token": csrf_token(browser, "/compte/inscription"), "email": "cible@example.ma"},
            environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
        )
        assert response.status_code == (302 if n < 3 else 200)
    assert "Trop de tentatives" in html.unescape(response.get_data(as_text=True))
    assert send_outbox(app).sent == 3


def test_deleting_the_account_removes_its_account_mails(app: Flask, student: Student) -> None:
    with deps(app).sessions() as db:
        assert db.scalar(select(func.count()).where(m.Reminder.to_address == student.email)) == 1
    response = post_form(student.client, "/donnees/suppression", {"password": PASSWORD})
    assert response.status_code == 302
    with deps(app).sessions() as db:
        assert db.scalar(select(func.count()).where(m.Reminder.to_address == student.email)) == 0


def test_mail_links_shows_a_newcomer_the_link_to_click(app: Flask) -> None:
    """`make mails` (flask mail-links) in development: the sign-up link of the outbox folder, readable."""
    runner = app.test_cli_runner()
    assert "Aucun courriel" in runner.invoke(args=["mail-links"]).output
    post_form(app.test_client(), "/compte/inscription", {"email": "nouvelle@example.ma"})
    send_outbox(app)
    output = runner.invoke(args=["mail-links"]).output
    assert "nouvelle@example.ma — Terminez votre inscription à claimkit" in output
    link = mail_link(app, "nouvelle@example.ma", "/compte/inscription/")
    assert f"http://127.0.0.1:5000{link}" in output.split()
