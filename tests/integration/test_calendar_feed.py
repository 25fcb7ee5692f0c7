"""Issue 18: the iCal feed is valid RFC 5545 whatever a label holds (a bare CR used to go out raw), read back
with the `icalendar` parser."""

from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from claimkit.adapters.db.models import Claim, User
from claimkit.web.deps import deps
from tests.conftest import Student, post_form
from tests.integration.test_claims_flow import add_act, new_claim

LABELS = [
    "Angine\rmars",  # stored before issue 18 (the form now refuses a line break in a one-line field)
    "Dentiste; détartrage, \\ devis\r\nsuite",
    "é" * 119 + "😀",  # 240 octets: several folds, never inside a character
    "طبيب الأسنان، فاس",
    "soh\x01 et\x07 bip",  # (PostgreSQL cannot store NUL at all)
]


def test_feed_folds_and_escapes_per_rfc5545(app: Flask, client: FlaskClient, student: Student) -> None:
    ids = []
    for _ in LABELS:
        claim_id = new_claim(client)
        add_act(client, claim_id, performed_on="2026-11-20")
        ids.append(claim_id)
    with deps(app).sessions() as db:
        for claim_id, label in zip(ids, LABELS, strict=True):
            claim = db.get(Claim, claim_id)
            assert claim is not None
            claim.label = label  # as legacy data: straight into the row
        db.commit()
    post_form(client, "/rappels/calendrier", {})
    with deps(app).sessions() as db:
        user = db.get(User, 1)
        assert user is not None
        token = user.calendar_token
    raw = app.test_client().get(f"/calendrier/{token}.ics").data
    assert b"\r" not in raw.replace(b"\r\n", b"")  # no bare CR
    assert b"\n" not in raw.replace(b"\r\n", b"")  # no bare LF
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # octets, not characters
    raw.decode("utf-8")  # folding never split a character
    calendar = Calendar.from_ical(raw)
    summaries = {str(event["UID"]): str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    expected = {
        f"claim-{claim_id}@claimkit": "Dernier jour pour poster le dossier « "
        + label.replace("\r\n", "\n").replace("\r", "\n").replace("\x01", "").replace("\x07", "")
        + " »"
        for claim_id, label in zip(ids, LABELS, strict=True)
    }
    assert summaries == expected
    assert all(len(event.walk("VALARM")) == 3 for event in calendar.walk("VEVENT"))


def test_line_break_refused_in_a_one_line_field(app: Flask, client: FlaskClient, student: Student) -> None:
    response = post_form(client, "/dossiers/nouveau", {"kind": "maladie", "label": "Angine\rmars"})
    assert response.status_code == 200
    assert "caractère invisible non autorisé" in response.get_data(as_text=True)
