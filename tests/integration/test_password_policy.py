"""Issue 18: common and context-derived passwords are refused with a reason, in French and Arabic."""

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, Student, post_form
from tests.integration.test_profile import VALID


def sign_up(client: FlaskClient, email: str, password: str) -> str:
    """The password is chosen on the page of the link mailed at sign-up."""
    response = Student(client, email).sign_up(password)
    return "OK" if response.status_code == 302 else html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaa", "une répétition, une suite ou une date"),
        ("1234567890", "fait partie des plus courants"),
        ("azertyuiop", "fait partie des plus courants"),
        ("motdepasse123", "fait partie des plus courants"),
        ("amina.benjelloun@example.ma", "reprend votre adresse électronique"),
        ("benjellounamina", "reprend votre adresse électronique"),
        ("claimkit2026!", "reprend votre adresse électronique, votre nom ou le nom du site"),
    ],
)
def test_weak_passwords_refused_with_a_reason(client: FlaskClient, password: str, reason: str) -> None:
    assert reason in sign_up(client, "amina.benjelloun@example.ma", password)


def test_strong_passphrase_accepted(client: FlaskClient) -> None:
    assert sign_up(client, "amina.benjelloun@example.ma", "cactus violon marée 47") == "OK"


def test_reason_in_arabic(app: Flask) -> None:
    client = app.test_client()
    client.set_cookie("langue", "ar", domain="localhost")
    assert "من الأكثر شيوعًا" in sign_up(client, "salma@example.ma", "azertyuiop")


def test_change_refuses_the_profile_name(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    change = {"current": PASSWORD, "new": "elodie-benjelloun", "confirm": "elodie-benjelloun"}
    page = html.unescape(post_form(client, "/compte/mot-de-passe", change).get_data(as_text=True))
    assert "reprend votre adresse électronique, votre nom" in page
