"""Issue 18: control characters, odd amounts and extreme dates get a clear message (never a 500, on SQLite and
PostgreSQL), and a URL token holding NUL is a plain 404."""

import html

import pytest
from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.db.models import Profile
from claimkit.domain import formats, limits
from claimkit.web.deps import deps
from tests.conftest import Student, post_form
from tests.integration.test_claims_flow import add_act, claim_row, new_claim
from tests.integration.test_profile import VALID
from tests.integration.test_tracking_and_data import act, row, sent_claim

CONTROL = "Ce champ contient un caractère invisible non autorisé"


def _page(response: object) -> str:
    return html.unescape(response.get_data(as_text=True))  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["ami\x00na@example.ma", "amina@example.ma\x07", "\x1bamina@example.ma"])
def test_control_characters_in_anonymous_forms_get_a_message(client: FlaskClient, value: str) -> None:
    for path, data in (
        ("/compte/inscription", {"email": value, "password": "x" * 12, "confirm": "x" * 12, "consent": "y"}),
        ("/compte/connexion", {"email": value, "password": "x\x00" * 6}),
        ("/compte/mot-de-passe-oublie", {"email": value}),
    ):
        response = post_form(client, path, data)
        assert response.status_code == 200, (path, response.status_code)
        assert CONTROL in _page(response), path


def test_control_characters_in_profile_and_claim_fields(app: Flask, client: FlaskClient, student: Student) -> None:
    response = post_form(client, "/profil/", {**VALID, "adresse": "12 rue\x00 Oued Fès"})
    assert response.status_code == 200 and CONTROL in _page(response)
    with deps(app).sessions() as db:
        assert db.get(Profile, 1) is None  # nothing saved
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    assert CONTROL in add_act(client, claim_id, practitioner="Dr\x00 Alami")
    assert claim_row(app, claim_id).acts == []
    multi_line = post_form(client, "/profil/", {**VALID, "adresse": "12 rue Oued Fès\r\nAgdal\tRabat"})
    assert multi_line.status_code == 302  # line ends and tabs typed in a textarea stay allowed


@pytest.mark.parametrize(
    "path",
    [
        "/calendrier/%00.ics",
        "/calendrier/abc%00def.ics",
        "/compte/reinitialiser/%00",
        "/rappels/confirmer/a%00b",
        "/desabonnement/%00",
    ],
)
def test_nul_in_url_tokens_is_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_nul_in_posted_url_token_is_404(client: FlaskClient) -> None:
    assert client.post("/desabonnement/%00").status_code == 404


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("1e5", "sans exposant (1e5) ni NaN"),
        ("1E5", "sans exposant (1e5) ni NaN"),
        ("NaN", "sans exposant (1e5) ni NaN"),
        ("sNaN", "sans exposant (1e5) ni NaN"),
        ("-NaN", "sans exposant (1e5) ni NaN"),
        ("Infinity", "sans exposant (1e5) ni NaN"),
        ("-5", "il doit être positif"),
        ("12,345", "au plus 2 décimales"),
        ("1000000,01", f"au plus {formats.amount(limits.MAX_AMOUNT)}"),  # "1 000 000,00 DH", from domain/limits.py
        ("1e309", "sans exposant (1e5) ni NaN"),
    ],
)
def test_amounts_only_plain_decimals_on_act_and_payment_forms(
    app: Flask, client: FlaskClient, student: Student, amount: str, reason: str
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = sent_claim(client)
    before = len(claim_row(app, claim_id).acts)
    page = act(client, claim_id, "actes", performed_on="2026-11-20", type="consultation_generaliste", amount=amount)
    assert reason in html.unescape(page), amount
    assert len(claim_row(app, claim_id).acts) == before
    page = act(client, claim_id, "paiement", paid_on="2026-11-20", paid_amount=amount, method="virement")
    assert reason in html.unescape(page), amount
    assert row(app, claim_id).payments == []


def test_arabic_indic_digits_and_bound_are_accepted(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id, amount="٣٤٫٩٠")
    add_act(client, claim_id, amount="1 000 000,00")
    assert [str(a.amount) for a in claim_row(app, claim_id).acts] == ["34.90", "1000000.00"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2029-01-01"])
def test_dates_out_of_range_get_a_message(app: Flask, client: FlaskClient, student: Student, day: str) -> None:
    response = post_form(client, "/profil/", {**VALID, "date_naissance": day})
    assert response.status_code == 200 and "Date hors limites" in _page(response), day
    claim_id = new_claim(client)
    token_page = post_form(client, f"/dossiers/{claim_id}/details", {"treatment_start": day, "label": "x"},
                           follow_redirects=True)  # fmt: skip
    assert "Date hors limites" in _page(token_page), day
    assert claim_row(app, claim_id).treatment_start is None
