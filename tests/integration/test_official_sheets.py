# ruff: noqa: F811 - claim_id is the fixture of test_packet, requested by name
"""Official sheets as dated data: loaded with `flask forms add-official`, chosen by the date of care, a student's
own sheet first, and carried in the packet with only the student's part written (read back with pdftotext)."""

import io
import re
from datetime import date
from pathlib import Path

import pdfplumber
from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.db.models import OfficialSheet
from claimkit.domain.sheets import SheetKind
from claimkit.services import official_sheets
from claimkit.web.deps import deps
from tests.integration.test_packet import claim_id, text_of  # noqa: F401 - a fixture, requested by name
from tests.official_sheets import DOCTOR_HEADING, Sheet, sheet_pdf

STUDENT_TEXT = ("BENJELLOUN", "Élodie", "AB123456", "Oued", "576,40", "150,00", "126,40", "03/11/2026")


def load(app: Flask, tmp_path: Path, sheet: Sheet, valid_from: str, kind: str = "maladie", name: str = "f.pdf"):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(sheet_pdf(sheet, "text"))
    args = ["forms", "add-official", str(path), "--kind", kind, "--insurer", "CNOPS", "--valid-from", valid_from]
    return app.test_cli_runner().invoke(args=args)


def official_page(packet: bytes) -> pdfplumber.page.Page:
    doc = pdfplumber.open(io.BytesIO(packet))
    return next(p for p in doc.pages if "Partie réservée à l'assuré(e)" in (p.extract_text() or ""))


def test_add_official_stores_the_file_and_says_what_it_found(app: Flask, tmp_path: Path) -> None:
    result = load(app, tmp_path, Sheet(), "2020-01-01")
    assert result.exit_code == 0, result.output
    assert (
        "Étiquettes trouvées : nom_prenom, immatriculation, cin, adresse, montant_frais, pieces_jointes"
        in result.output
    )
    with deps(app).sessions() as db:
        (row,) = db.query(OfficialSheet).all()
        assert (row.insurer, row.kind, row.valid_from, row.claim_id) == ("CNOPS", "maladie", date(2020, 1, 1), None)
        assert (Path(app.config["UPLOAD_DIR"]) / row.path).read_bytes() == sheet_pdf(Sheet(), "text")


def test_add_official_refuses_a_file_that_is_not_a_pdf(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"hello")
    result = app.test_cli_runner().invoke(
        args=["forms", "add-official", str(path), "--kind", "ald", "--insurer", "CNOPS", "--valid-from", "2020-01-01"]
    )
    assert result.exit_code != 0 and "PDF lisible" in result.output


def test_packet_carries_the_official_sheet_with_only_the_students_part(
    app: Flask,
    client: FlaskClient,
    claim_id: int,
    tmp_path: Path,
) -> None:
    assert load(app, tmp_path, Sheet(combs=False, with_d=True), "2020-01-01").exit_code == 0
    packet = client.get(f"/dossiers/{claim_id}/packet.pdf").data
    text = text_of(packet, tmp_path)
    line = next(ln for ln in text.splitlines() if "immatriculation" in ln and "N°" in ln and "CNIE" not in ln)
    assert re.search(r"immatriculation\s*:\s*AB123456", line), line
    assert "Feuille officielle à joindre : Feuille de soins maladie" not in text  # the sheet is there, filled
    assert "NE PAS ENVOYER" not in text  # no claimkit drawing when the official sheet is loaded
    page = official_page(packet)
    heading = next(w for w in page.extract_words() if w["text"] == DOCTOR_HEADING.split()[0])
    below = " ".join(w["text"] for w in page.extract_words() if w["top"] >= heading["top"])
    assert not [t for t in STUDENT_TEXT if t in below], below  # nothing in the doctor's part nor the acts table
    above = " ".join(w["text"] for w in page.extract_words() if w["top"] < heading["top"])
    assert "BENJELLOUN-ÇELIK" in above and "576,40" in above


def test_the_sheet_in_force_on_the_date_of_care_is_chosen(
    app: Flask,
    client: FlaskClient,
    claim_id: int,
    tmp_path: Path,
) -> None:
    # care on 3 November 2026: the 2020 sheet applies, the 2027 one (CNSS change, say) not yet
    assert load(app, tmp_path, Sheet(with_d=False), "2020-01-01", name="old.pdf").exit_code == 0
    assert load(app, tmp_path, Sheet(with_d=True), "2027-01-01", name="new.pdf").exit_code == 0
    text = text_of(client.get(f"/dossiers/{claim_id}/packet.pdf").data, tmp_path)
    assert "N° Immatriculation" in text and "N° d'immatriculation :" not in text


def test_no_sheet_in_force_gives_the_where_to_get_it_page(
    app: Flask,
    client: FlaskClient,
    claim_id: int,
    tmp_path: Path,
) -> None:
    assert load(app, tmp_path, Sheet(), "2027-01-01").exit_code == 0
    text = text_of(client.get(f"/dossiers/{claim_id}/packet.pdf").data, tmp_path)
    assert "Feuille officielle à joindre : Feuille de soins maladie" in text and "cnops.org.ma" in text
    assert "NE PAS ENVOYER" in text


def test_a_students_own_sheet_wins_and_a_sheet_without_labels_is_carried_as_it_is(
    app: Flask,
    client: FlaskClient,
    claim_id: int,
    tmp_path: Path,
) -> None:
    assert load(app, tmp_path, Sheet(), "2020-01-01").exit_code == 0
    own = sheet_pdf(Sheet(layout="landscape", prefilled={"nom_prenom": "BENJELLOUN-ÇELIK Élodie"}), "text")
    clock = deps(app).clock
    root = Path(app.config["UPLOAD_DIR"])
    with deps(app).sessions() as db:
        from claimkit.adapters.db.models import Claim

        user_id = db.get(Claim, claim_id).user_id
        official_sheets.upload_own(db, clock, root, user_id, claim_id, own, SheetKind.MALADIE, "perso.pdf")
    packet = client.get(f"/dossiers/{claim_id}/packet.pdf").data
    page = official_page(packet)
    assert page.width > page.height  # the student's (landscape) sheet, not the operator's
    assert (page.extract_text() or "").count("BENJELLOUN-ÇELIK") == 1  # printed already: not written twice
    # a sheet on which no label can be read goes in as it is (the student writes by hand), never a 500
    with deps(app).sessions() as db:
        blank = sheet_pdf(Sheet(omit="nom_prenom"), "text")
        official_sheets.upload_own(db, clock, root, user_id, claim_id, blank, SheetKind.MALADIE, "autre.pdf")
    response = client.get(f"/dossiers/{claim_id}/packet.pdf")
    assert response.status_code == 200
    assert "AB123456" not in (official_page(response.data).extract_text() or "")


def test_loading_a_sheet_changes_the_packets_etag(
    app: Flask, client: FlaskClient, claim_id: int, tmp_path: Path
) -> None:
    before = client.get(f"/dossiers/{claim_id}/packet.pdf")
    assert load(app, tmp_path, Sheet(), "2020-01-01").exit_code == 0
    after = client.get(f"/dossiers/{claim_id}/packet.pdf", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    assert "Feuille officielle à joindre : Feuille de soins maladie" not in text_of(after.data, tmp_path)
