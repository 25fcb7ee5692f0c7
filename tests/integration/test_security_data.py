"""Issue 18: CSV cells are never formulas, the export holds everything kept about the student, and deletion
leaves nothing in the outbox folder or SQLite's write-ahead log."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from claimkit.adapters.db.models import Reminder
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, PG_URL, Student, post_form, send_outbox
from tests.integration.test_claims_flow import add_act, new_claim
from tests.integration.test_profile import RIB, VALID
from tests.integration.test_tracking_and_data import act, sent_claim


@pytest.mark.parametrize("label", ['=HYPERLINK("http://x.example","ok")', "+212 6", "-2+3", "@SUM(A1)", "-"])
def test_csv_cells_are_never_formulas(client: FlaskClient, student: Student, label: str) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client, label=label)
    add_act(client, claim_id)
    act(client, claim_id, "details", label=label)
    rows = list(csv.reader(io.StringIO(client.get("/donnees/export.csv").data.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][2] == "'" + label


def test_export_holds_reminders_sessions_and_reset_requests(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    sent_claim(client)
    claim_id = new_claim(client, label="Dentiste")
    add_act(client, claim_id, performed_on="2026-11-20")
    post_form(app.test_client(), "/compte/mot-de-passe-oublie", {"email": student.email})
    send_outbox(app)  # the reset request is made when its mail leaves
    archive = zipfile.ZipFile(io.BytesIO(client.get("/donnees/export.zip").data))
    sessions = json.loads(archive.read("sessions.json"))
    resets = json.loads(archive.read("reinitialisations.json"))
    reminders = json.loads(archive.read("rappels.json"))
    assert len(sessions) == 1 and "token_hash" not in sessions[0] and sessions[0]["created_at"]
    assert len(resets) == 1 and "token_hash" not in resets[0] and resets[0]["expires_at"]
    with deps(app).sessions() as db:
        assert len(reminders) == db.scalar(select(func.count()).select_from(Reminder))


def test_deletion_purges_outbox_mails_and_the_wal(app: Flask, client: FlaskClient, student: Student,
                                                  tmp_path: Path) -> None:  # fmt: skip
    post_form(client, "/profil/", VALID)
    sent_claim(client)
    post_form(app.test_client(), "/compte/mot-de-passe-oublie", {"email": student.email})
    Student(app.test_client(), "voisin@example.ma").sign_up()  # sends the outbox (the reset mail too)
    outbox = Path(app.config["MAIL_OUTBOX_DIR"])
    mails = {p.name: p.read_bytes() for p in outbox.glob("*.eml")}
    assert sum(b"amina@example.ma" in m for m in mails.values()) >= 2  # sign-up link and reset
    response = post_form(client, "/donnees/suppression", {"password": PASSWORD})
    assert response.status_code == 302
    left = [p.read_bytes() for p in outbox.glob("*.eml")]
    assert left and all(b"amina@example.ma" not in m for m in left)  # the neighbour's mail stays
    if PG_URL:
        return
    database = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    for path in (database, Path(f"{database}-wal")):
        if path.exists():
            raw = path.read_bytes()
            for secret in (b"AB123456", RIB.encode(), b"amina@example.ma", b"Benjelloun"):
                assert secret not in raw, (path.name, secret)
