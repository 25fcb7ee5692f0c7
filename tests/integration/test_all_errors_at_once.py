"""Issue 17: a form with several bad fields shows every message in one try, each next to its field (the input
has aria-invalid and aria-describedby pointing at it), and a summary at the top links to each field. Through
the real app: sign-up, profile, act, payment and the claim details forms."""

import html
import re
from html.parser import HTMLParser

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Student, csrf_token, mail_link, post_form
from tests.integration.test_claims_flow import claim_row, new_claim
from tests.integration.test_profile import VALID, saved
from tests.integration.test_tracking_and_data import sent_claim

FUTURE = "2027-01-10"  # the test clock is in November 2026


class _Page(HTMLParser):
    """Every element's attributes by id, the text of each error paragraph, and the summary's links."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.by_id: dict[str, dict[str, str]] = {}
        self.errors: dict[str, str] = {}
        self.summary_links: list[str] = []
        self._in_error: str | None = None
        self._in_summary = 0
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.by_id[values["id"]] = {"tag": tag, **values}
        if tag == "p" and values.get("class") == "error":
            self._in_error = values["id"]
            self.errors[self._in_error] = ""
        if tag == "div" and "errors-summary" in values.get("class", ""):
            self._in_summary = 1
        elif tag == "div" and self._in_summary:
            self._in_summary += 1
        if tag == "a" and self._in_summary:
            self.summary_links.append(values.get("href", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_error = None
        if tag == "div" and self._in_summary:
            self._in_summary -= 1

    def handle_data(self, data: str) -> None:
        if self._in_error:
            self.errors[self._in_error] += data


def assert_all_shown(text: str, expected: dict[str, str]) -> None:
    """Each field in `expected` has its message right under it, is marked invalid and described by that
    message, and is linked from the summary."""
    page = _Page(text)
    for field_id, message in expected.items():
        assert message in page.errors.get(f"{field_id}-err", ""), (field_id, page.errors)
        element = page.by_id[field_id]
        if element["tag"] == "fieldset":  # a radio group: the group is described, each option marked invalid
            assert f"{field_id}-err" in element["aria-describedby"]
            assert page.by_id[f"{field_id}-0"]["aria-invalid"] == "true"
        else:
            assert element.get("aria-invalid") == "true", field_id
            assert f"{field_id}-err" in element["aria-describedby"].split(), field_id
        assert f"#{field_id}" in page.summary_links, (field_id, page.summary_links)


def post(client: FlaskClient, url: str, form_page: str, data: dict[str, str]) -> tuple[int, str]:
    response = client.post(url, data={"csrf_token": csrf_token(client, form_page), **data})
    return response.status_code, response.get_data(as_text=True)


def finish_link(app: Flask, client: FlaskClient, email: str) -> str:
    """Sign-up's first step (the address only, issue 18), then the mailed link to its last step."""
    client.post("/compte/inscription", data={"csrf_token": csrf_token(client, "/compte/inscription"), "email": email})
    return mail_link(app, email, "/compte/inscription/")


def test_sign_up_with_three_bad_fields_shows_three_messages(app: Flask, client: FlaskClient) -> None:
    status, page = post(client, "/compte/inscription", "/compte/inscription", {"email": "pas-une-adresse"})
    assert status == 200
    assert_all_shown(html.unescape(page), {"email": "Adresse électronique invalide"})
    finish = finish_link(app, client, "trois@example.ma")
    status, page = post(client, finish, finish, {"password": "aaaaaaaaaa", "confirm": "autre chose"})
    assert status == 200
    assert_all_shown(
        html.unescape(page),
        {
            "password": "mot de passe",
            "confirm": "Les deux mots de passe diffèrent.",
            "consent": "Votre accord est nécessaire",
        },
    )


def test_a_weak_password_is_said_with_the_other_mistakes_not_after(app: Flask, client: FlaskClient) -> None:
    """Before issue 17 the strength rule ran only once every field was right: a second try to learn it."""
    finish = finish_link(app, client, "faible@example.ma")
    _, page = post(client, finish, finish, {"password": "1234567890", "confirm": "1234567890"})
    assert_all_shown(html.unescape(page), {"password": "mot de passe", "consent": "Votre accord est nécessaire"})


def test_profile_with_bad_fields_and_a_half_parent_block_shows_them_all(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    data = {**VALID, "cnie": "AB12#", "telephone": "12", "rib": "1234", "parent_adresse": "5 rue Ibn Sina, Rabat"}
    status, page = post(client, "/profil/", "/profil/", data)
    assert status == 200 and saved(app) is None
    text = html.unescape(page)
    assert_all_shown(
        text,
        {
            "cnie": "CNIE",
            "telephone": "",
            "rib": "RIB",
            "parent_nom_prenom": "Indiquez le nom et le prénom de votre parent",
            "parent_cin": "Saisissez le n° de CIN de votre parent.",
            "parent_immatriculation": "immatriculation",
        },
    )
    assert "5 rue Ibn Sina, Rabat</textarea>" in text and 'value="AB12#"' in text  # nothing typed is lost


def test_act_with_three_bad_fields_shows_three_messages_and_keeps_the_rest(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    claim_id = new_claim(client, kind="dentaire")
    status, page = post(
        client,
        f"/dossiers/{claim_id}/actes",
        f"/dossiers/{claim_id}",
        {"performed_on": FUTURE, "type": "soins_dentaires", "amount": "0", "practitioner": "Dr Tazi",
         "ice": "123456789012345"},
    )  # fmt: skip
    assert status == 422 and claim_row(app, claim_id).acts == []
    text = html.unescape(page)
    assert_all_shown(
        text,
        {"performed_on": "dans le futur", "amount": "supérieur à 0", "ice": "ICE"},
    )
    assert 'value="Dr Tazi"' in text and re.search(r'<details id="acte" open', text)


def test_payment_with_bad_fields_shows_each_message(app: Flask, client: FlaskClient, student: Student) -> None:
    from tests.integration.test_tracking_and_data import row

    post_form(client, "/profil/", VALID)
    claim_id = sent_claim(client)
    status, page = post(
        client,
        f"/dossiers/{claim_id}/paiement",
        f"/dossiers/{claim_id}",
        {"paid_on": FUTURE, "paid_amount": "1e5", "method": "cheque", "reference": "VIR 77"},
    )
    assert status == 422 and row(app, claim_id).payments == []
    text = html.unescape(page)
    assert_all_shown(text, {"paid_on": "dans le futur", "paid_amount": "sans exposant (1e5)", "method": ""})
    assert 'value="VIR 77"' in text


def test_claim_details_refused_in_place(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    status, page = post(
        client,
        f"/dossiers/{claim_id}/details",
        f"/dossiers/{claim_id}",
        {"label": "Kiné", "treatment_start": "2026-11-30", "treatment_end": "2026-11-02"},
    )
    assert status == 422
    assert_all_shown(html.unescape(page), {"treatment_end": "avant son début"})
    assert claim_row(app, claim_id).label == ""


def test_arabic_messages_sit_next_to_their_fields(app: Flask, client: FlaskClient) -> None:
    client.post("/langue", data={"locale": "ar", "csrf_token": csrf_token(client, "/compte/inscription")})
    finish = finish_link(app, client, "arabe@example.ma")
    _, page = post(client, finish, finish, {"password": "a"})
    parsed = _Page(html.unescape(page))
    assert {"password-err", "consent-err"} <= set(parsed.errors)
    assert all(re.search("[\u0600-\u06ff]", parsed.errors[key]) for key in ("password-err", "consent-err"))
