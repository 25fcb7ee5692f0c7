"""Accounts through the real app and database: server-side sessions, CSRF, argon2id."""

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from claimkit.adapters.db.models import User, UserSession
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, Student, csrf_token, mail_link, post_form


def session_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_signup_stores_argon2id_hash_and_consent(app: Flask, student: Student) -> None:
    with deps(app).sessions() as db:
        user = db.scalar(select(User))
    assert user is not None
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert user.health_data_consent_at is not None


def test_signup_of_an_existing_address_mails_the_owner_and_creates_nothing(app: Flask, student: Student) -> None:
    other = app.test_client()
    sent = post_form(other, "/compte/inscription", {"email": student.email.upper()})
    assert sent.status_code == 302 and sent.headers["Location"] == "/compte/inscription/envoye"
    link = mail_link(app, student.email, "/compte/connexion")  # "vous avez déjà un compte"
    assert link == "/compte/connexion"
    with deps(app).sessions() as db:
        assert db.scalar(select(func.count()).select_from(User)) == 1


def test_signup_refuses_short_password(app: Flask) -> None:
    body = Student(app.test_client(), "b@example.ma").sign_up("court").get_data(as_text=True)
    assert "au moins 10 caractères" in body


def test_signup_requires_consent(app: Flask) -> None:
    newcomer = Student(app.test_client(), "c@example.ma")
    post_form(newcomer.client, "/compte/inscription", {"email": newcomer.email})
    body = newcomer.finish_sign_up(consent=False).get_data(as_text=True)
    assert "Votre accord est nécessaire" in body


def test_login_wrong_password_is_refused_in_french(client: FlaskClient, student: Student) -> None:
    student.log_out()
    body = student.log_in("wrong password!").get_data(as_text=True)
    assert "Adresse ou mot de passe incorrect." in body
    assert student.log_in().status_code == 302


def test_cookie_copied_before_logout_is_refused_after(app: Flask, client: FlaskClient, student: Student) -> None:
    copied = session_cookie(client)
    assert client.get("/profil/").status_code == 200
    assert student.log_out().status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", copied, domain="localhost")
    response = thief.get("/profil/")
    assert response.status_code == 302
    assert "/compte/connexion" in response.headers["Location"]
    with deps(app).sessions() as db:
        assert db.scalar(select(func.count()).where(UserSession.revoked_at.is_(None))) == 0


def test_password_change_kills_other_sessions(app: Flask, client: FlaskClient, student: Student) -> None:
    phone = app.test_client()
    Student(phone, student.email).log_in()
    copied = session_cookie(client)
    response = post_form(
        client,
        "/compte/mot-de-passe",
        {"current": PASSWORD, "new": "a new long secret", "confirm": "a new long secret"},
    )
    assert response.status_code == 302
    assert client.get("/profil/").status_code == 200  # this browser got a fresh session
    assert phone.get("/profil/").status_code == 302  # the other phone is out
    replay = app.test_client()
    replay.set_cookie("session", copied, domain="localhost")
    assert replay.get("/profil/").status_code == 302


def test_password_change_with_wrong_current_password(client: FlaskClient, student: Student) -> None:
    body = post_form(
        client,
        "/compte/mot-de-passe",
        {"current": "not it at all", "new": "a new long secret", "confirm": "a new long secret"},
    ).get_data(as_text=True)
    assert "Le mot de passe actuel est incorrect." in body


def test_post_without_csrf_token_is_refused_and_saves_nothing(app: Flask, client: FlaskClient) -> None:
    response = client.post(
        "/compte/inscription",
        data={"email": "d@example.ma", "password": PASSWORD, "confirm": PASSWORD, "consent": "y"},
    )
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    with deps(app).sessions() as db:
        assert db.scalar(select(func.count()).select_from(User)) == 0


def test_logout_requires_csrf(client: FlaskClient, student: Student) -> None:
    assert client.post("/compte/deconnexion").status_code == 400
    assert client.get("/profil/").status_code == 200
    assert csrf_token(client, "/profil/")


def test_security_headers(client: FlaskClient) -> None:
    headers = client.get("/compte/connexion").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_anonymous_home_sends_to_signup(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/compte/inscription")
    assert client.get("/nulle-part").status_code == 404
