"""After posting: received, partial payments, rejection and copy; "Mes chiffres"; exports; deletion; logs."""

import csv
import io
import json
import logging
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select

from claimkit.adapters import storage
from claimkit.adapters.db.models import Base, Claim
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, REFERENCE_TABLES, Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, add_medicine, new_claim, tick
from tests.integration.test_profile import RIB, VALID


def sent_claim(client: FlaskClient, label: str = "Angine", day: str = "2026-11-03") -> int:
    claim_id = new_claim(client, label=label)
    add_act(client, claim_id, performed_on=day)
    add_medicine(client, claim_id, ean13="6118000120698", ppv="34,90", pbr="20.00")
    tick(client, claim_id, ["feuille_maladie", "facture_medecin", "ordonnance", "codes_barres"])
    token = csrf_token(client, f"/dossiers/{claim_id}")
    client.post(f"/dossiers/{claim_id}/envoyer", data={"csrf_token": token, "sent_on": "2026-11-05"})
    return claim_id


def act(client: FlaskClient, claim_id: int, path: str, **data: str) -> str:
    token = csrf_token(client, f"/dossiers/{claim_id}")
    return client.post(f"/dossiers/{claim_id}/{path}", data={"csrf_token": token, **data},
                       follow_redirects=True).get_data(as_text=True)  # fmt: skip


def row(app: Flask, claim_id: int) -> Claim:
    with deps(app).sessions() as db:
        claim = db.get(Claim, claim_id)
        assert claim is not None
        _ = (claim.payments, claim.events, claim.acts, claim.medicines, claim.ticks)
        return claim


def test_received_then_partial_payments(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = sent_claim(client)
    assert "Dossier marqué reçu" in act(client, claim_id, "recu", received_on="2026-11-12")
    page = act(
        client, claim_id, "paiement", paid_on="2026-11-20", paid_amount="50,00", method="virement", reference="VIR 1"
    )
    assert "Remboursement enregistré." in page
    assert row(app, claim_id).state == "partielle"  # until the student says the CNOPS paid all it will
    act(client, claim_id, "paiement", paid_on="2026-11-24", paid_amount="28", method="mandat", reference="M-77",
        final="y")  # fmt: skip
    claim = row(app, claim_id)
    assert claim.state == "remboursee"
    assert [(p.amount, p.method) for p in claim.payments] == [
        (Decimal("50.00"), "virement"),
        (Decimal("28.00"), "mandat"),
    ]
    timeline = [(e.occurred_on.isoformat(), e.kind) for e in claim.events if e.kind not in ("created", "prete")]
    assert timeline == [("2026-11-05", "envoyee"), ("2026-11-12", "recue"), ("2026-11-20", "partielle"),
                        ("2026-11-24", "remboursee")]  # fmt: skip
    page = client.get(f"/dossiers/{claim_id}").get_data(as_text=True)
    assert "78,00\u00a0DH" in page and "VIR 1" in page
    refused = act(client, claim_id, "paiement", paid_on="2026-12-24", paid_amount="5", method="virement")
    assert "dans le futur" in refused
    assert "Seul un dossier envoyé peut être marqué reçu" in act(client, claim_id, "recu", received_on="2026-11-24")


def test_rejection_copy_and_resubmission(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = sent_claim(client)
    assert "Ce champ est obligatoire." in act(client, claim_id, "rejet", rejected_on="2026-11-20", reason=" ")
    act(client, claim_id, "rejet", rejected_on="2026-11-20", reason="Ordonnance sans durée de traitement")
    assert row(app, claim_id).rejection_reason == "Ordonnance sans durée de traitement"
    response = client.post(f"/dossiers/{claim_id}/copie", data={"csrf_token": csrf_token(client, "/profil/")})
    copy_id = int(response.headers["Location"].rsplit("/", 1)[1])
    copy = row(app, copy_id)
    original = row(app, claim_id)
    assert copy.state == "prete" and (copy.label, copy.copied_from) == ("Angine", claim_id)  # no French stored
    assert "Angine (nouvel envoi)" in client.get(f"/dossiers/{copy_id}").get_data(as_text=True)  # said on the page
    assert [(a.performed_on, a.amount) for a in copy.acts] == [(a.performed_on, a.amount) for a in original.acts]
    assert [m.ean13 for m in copy.medicines] == ["6118000120698"]
    every = lambda rows: [  # noqa: E731 — every column but the keys: a field added later is carried too
        {c.key: getattr(r, c.key) for c in inspect(type(r)).column_attrs if c.key not in ("id", "claim_id")}
        for r in rows
    ]
    assert every(copy.acts) == every(original.acts) and every(copy.medicines) == every(original.medicines)
    assert {t.item_key for t in copy.ticks} == {t.item_key for t in original.ticks}
    assert "Seul un dossier rejeté peut être recopié" in act(client, copy_id, "copie")
    act(client, claim_id, "resoumission", resubmitted_on="2026-11-22", recommande="RR2")
    assert row(app, claim_id).state == "resoumise"


def test_mes_chiffres(client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = sent_claim(client)
    act(client, claim_id, "paiement", paid_on="2026-11-25", paid_amount="50", method="virement")
    page = client.get("/chiffres").get_data(as_text=True)
    assert "Année 2026" in page and "<svg" in page
    assert "Délai moyen entre l'envoi et le paiement : 20 jours." in page
    assert 'data-value="150.00"' in page  # spent in November
    assert 'data-value="50.00"' in page  # reimbursed in November


def test_exports_read_back(client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = sent_claim(client, label="Dentiste à Fès")
    act(client, claim_id, "paiement", paid_on="2026-11-25", paid_amount="50,5", method="mandat", reference="M-1")
    raw = client.get("/donnees/export.csv")
    assert raw.data.startswith(b"\xef\xbb\xbf") and raw.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(raw.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["ligne", "dossier", "titre"]
    assert rows[1][0] == "dossier" and rows[1][2] == "Dentiste à Fès" and rows[1][9] == "150,00"
    assert rows[2][0] == "paiement" and rows[2][11] == "50,50" and rows[2][13:] == ["mandat", "M-1"]
    archive = zipfile.ZipFile(io.BytesIO(client.get("/donnees/export.zip").data))
    names = set(archive.namelist())
    assert {"compte.json", "profil.json", "dossiers.json", "dossiers.csv", f"dossiers/dossier-{claim_id}.pdf"} <= names
    profile = json.loads(archive.read("profil.json"))
    assert profile["cnie"] == "AB123456" and profile["rib"] == RIB
    assert "password_hash" not in json.loads(archive.read("compte.json"))
    claims = json.loads(archive.read("dossiers.json"))
    assert claims[0]["paiements"][0]["amount"] == "50.50"
    assert archive.read(f"dossiers/dossier-{claim_id}.pdf").startswith(b"%PDF")


def test_deletion_leaves_nothing(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    sent_claim(client)
    uploads = Path(app.config["UPLOAD_DIR"])
    photo = storage.save(uploads, 1, b"\xff\xd8 fake photo", ".jpg")
    other = app.test_client()
    Student(other, "voisin@example.ma").sign_up()
    wrong = post_form(client, "/donnees/suppression", {"password": "pas le bon"})
    assert wrong.status_code == 400 and "Mot de passe incorrect" in wrong.get_data(as_text=True)
    assert "Clear-Site-Data" not in wrong.headers
    response = post_form(client, "/donnees/suppression", {"password": PASSWORD}, follow_redirects=True)
    assert "toutes ses données ont été supprimés" in response.get_data(as_text=True)
    assert response.history[0].headers["Clear-Site-Data"] == '"cache", "storage"'  # the phone's copies go too
    assert not photo.exists() and storage.files_of(uploads, 1) == []
    with deps(app).sessions() as db:
        dump = []
        for table in Base.metadata.sorted_tables:
            if table.name in REFERENCE_TABLES:
                continue
            for values in db.execute(select(table)).all():
                dump.append(" ".join(str(v) for v in values))
        assert db.scalar(select(func.count()).select_from(Claim)) == 0
    blob = "\n".join(dump)
    for secret in ("amina@example.ma", "AB123456", RIB, "Benjelloun", "Angine", "150.00", "6118000120698"):
        assert secret not in blob, secret
    assert "voisin@example.ma" in blob  # the other student is untouched
    assert client.get("/").status_code == 302  # signed out


def test_no_cnie_rib_or_health_detail_in_logs(client: FlaskClient, student: Student,
                                              caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    caplog.set_level(logging.DEBUG)
    post_form(client, "/profil/", VALID)
    claim_id = sent_claim(client, label="Psychiatre")
    act(client, claim_id, "paiement", paid_on="2026-11-25", paid_amount="50", method="virement")
    client.get(f"/dossiers/{claim_id}/packet.pdf")
    client.get("/donnees/export.zip")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert caplog.records, "the journey should log something for this check to mean anything"
    for secret in ("AB123456", "ab 123456", RIB, RIB[:3] + " " + RIB[3:6], "Psychiatre", "ZADRYL", "6118000120698"):
        assert secret not in logged, secret


def test_pages_need_login(app: Flask) -> None:
    anonymous = app.test_client()
    for path in ("/chiffres", "/donnees", "/donnees/export.csv", "/donnees/export.zip"):
        assert anonymous.get(path).status_code == 302
