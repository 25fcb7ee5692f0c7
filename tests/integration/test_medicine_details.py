"""Issue 17: a medicine shows its strength and active ingredient (DCI), from the reference, on the scan screen, on
the claim page and on the packet's medicines page (read back with pdftotext and pdfplumber)."""

import html
import io

import pdfplumber
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, add_medicine, claim_row, new_claim
from tests.integration.test_packet import text_of
from tests.integration.test_profile import VALID

ELOXATINE, ZADRYL = "6118001081103", "6118000120698"  # claimkit/data/medicines_ma.csv rows 3 and 5


def test_the_scan_screen_shows_strength_and_dci(client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    token = csrf_token(client, f"/dossiers/{claim_id}/scanner")
    response = client.post(f"/dossiers/{claim_id}/scanner", data={"csrf_token": token, "code": ELOXATINE})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert "ELOXATINE 5 MG/ML" in page and "100 MG · OXALIPLATINE" in page


def test_the_claim_page_shows_them_under_each_name_and_a_typed_box_shows_none(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    claim_id = new_claim(client)
    add_medicine(client, claim_id, ean13=ZADRYL, name="ZADRYL", ppv="91,50")
    page = add_medicine(client, claim_id, name="SIROP SANS CODE", ppv="15")
    assert '<bdi dir="ltr">10 MG · CETIRIZINE</bdi>' in page
    lines = claim_row(app, claim_id).medicines
    assert [(m.dci, m.dosage) for m in lines] == [("CETIRIZINE", "10 MG"), ("", "")]
    assert page.count('class="med-detail"') == 1  # nothing invented for the box typed by hand


def test_the_packet_medicines_page_prints_them_under_the_name(
    client: FlaskClient, student: Student, tmp_path: object
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    add_act(client, claim_id, type="pharmacie", amount="2297,50")
    add_medicine(client, claim_id, ean13=ELOXATINE, name="ELOXATINE 5 MG/ML", ppv="2206")
    add_medicine(client, claim_id, ean13=ZADRYL, name="ZADRYL", ppv="91,50")
    pdf = client.get(f"/dossiers/{claim_id}/packet.pdf").data
    text = text_of(pdf, tmp_path)  # type: ignore[arg-type]
    assert "100 MG · OXALIPLATINE" in text and "10 MG · CETIRIZINE" in text
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        page = next(p for p in document.pages if "OXALIPLATINE" in (p.extract_text() or ""))
        words = page.extract_words()
    name = next(w for w in words if w["text"] == "ELOXATINE")
    detail = next(w for w in words if w["text"] == "OXALIPLATINE")
    zadryl = next(w for w in words if w["text"] == "ZADRYL")
    assert name["top"] < detail["top"] < zadryl["top"]  # under its own name, inside its own row
    assert abs(detail["x0"] - name["x0"]) < 40  # in the name column
