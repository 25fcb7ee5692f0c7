"""Issue 17: an Arabic subject lost a space where the mail folded it ("الإلكتروني لتلقي" read back as
"الإلكترونيلتلقي"): the generated .eml is parsed back with email.policy.default and its subject compared."""

import email.policy
import re
from email.parser import BytesParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.email_templates import render_email
from claimkit.adapters.l10n import translations
from tests.conftest import send_outbox


def read_back(raw: bytes) -> tuple[str, list[bytes]]:
    """The decoded subject and the raw (folded) lines of the Subject header."""
    headers = raw.split(b"\n\n", 1)[0].replace(b"\r\n", b"\n")
    folded = re.search(rb"^Subject:.*(?:\n[ \t].*)*", headers, re.M)
    assert folded
    return str(BytesParser(policy=email.policy.default).parsebytes(raw)["Subject"]), folded.group(0).split(b"\n")


def test_the_arabic_sign_up_eml_keeps_every_space(app: Flask, client: FlaskClient) -> None:
    """The first mail a student gets (mail-first sign-up, issue 18), in Arabic, written to the outbox folder."""
    arabic = {"Accept-Language": "ar-MA,ar;q=0.9"}
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      client.get("/compte/inscription", headers=arabic).get_data(as_text=True))  # fmt: skip
    assert token
    data = {"csrf_token": token.group(1), "email": "laila@example.ma"}
    assert client.post("/compte/inscription", data=data, headers=arabic).status_code == 302
    send_outbox(app)
    [eml] = Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")
    subject, lines = read_back(eml.read_bytes())
    expected = translations("ar").gettext("Terminez votre inscription à claimkit")
    assert " " in expected and subject == expected
    assert all(len(line) <= 78 for line in lines)  # the long subjects below are the folded ones


@pytest.mark.parametrize("locale", ["ar", "fr"])
@pytest.mark.parametrize(
    "title", ["Carie molaire · 28", "Soins de l'œil droit après l'accident de la route du 3 novembre", "ألم الأسنان"]
)
def test_long_subjects_in_both_languages_read_back_the_same(locale: str, title: str) -> None:
    context = {"days_left": 14, "title": title, "prenom": "Élodie", "deadline": "2 janvier 2027",
               "claim_url": "http://x/dossiers/1", "unsubscribe_url": "http://x/d/1"}  # fmt: skip
    message = render_email("reminder", context, locale=locale, to="a@example.ma", sender="c@example.ma",
                           message_id="<1@example.ma>")  # fmt: skip
    subject, lines = read_back(message.as_bytes())
    assert subject == str(message["Subject"]) and title in subject
    assert all(len(line) <= 78 for line in lines)
