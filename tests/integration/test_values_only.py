# ruff: noqa: F811 - claim_id is the fixture of test_packet, requested by name
"""Printing onto a paper feuille bought in a bookshop: the values-only PDF read back with pdfplumber has the
student's values at the official sheet's slots (official_forms.slots), moved exactly by the offset set in the
profile, and nothing else; the calibration page's rulers read back in millimetres; a bad offset keeps the saved
one; another student's claim is a 404."""

import html
import io
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pytest
from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.db.models import User
from claimkit.adapters.official_forms import slots
from claimkit.domain.printing import POINTS_PER_MM
from claimkit.web.deps import deps
from tests.conftest import Student, csrf_token
from tests.integration.test_official_sheets import load
from tests.integration.test_packet import claim_id  # noqa: F401 - a fixture, requested by name
from tests.official_sheets import Sheet, sheet_pdf

VALUES = {  # the profile of tests/integration/test_profile.VALID and the acts of test_packet's claim
    "nom_prenom": "BENJELLOUN-ÇELIK Élodie",
    "immatriculation": "AB123456",
    "cin": "AB123456",
    "adresse": "12 rue Oued Fès, Agdal, Rabat",
    "montant_frais": "576,40",
    "pieces_jointes": "1",
}


def set_offset(client: FlaskClient, x: str, y: str) -> str:
    token = csrf_token(client, "/profil/")
    page = client.post("/profil/impression", data={"csrf_token": token, "offset_x": x, "offset_y": y},
                       follow_redirects=True)  # fmt: skip
    return html.unescape(page.get_data(as_text=True))


def stored_offset(app: Flask) -> tuple[Decimal, Decimal]:
    with deps(app).sessions() as db:
        user = db.query(User).filter_by(email="amina@example.ma").one()
        return Decimal(user.print_offset_x_mm), Decimal(user.print_offset_y_mm)


def lines_of(pdf: bytes) -> tuple[pdfplumber.page.Page, dict[float, list[dict]]]:  # type: ignore[type-arg]
    page = pdfplumber.open(io.BytesIO(pdf)).pages[0]
    lines: dict[float, list[dict]] = {}  # type: ignore[type-arg]
    for char in page.chars:
        baseline = round(page.height - char["matrix"][5], 1)  # top-down, as Slot.y
        lines.setdefault(baseline, []).append(char)
    return page, lines


def written(lines: dict[float, list[dict]], y: float) -> list[dict]:  # type: ignore[type-arg]
    """The characters whose baseline is within 1 pt of `y`."""
    return sorted((c for base, chars in lines.items() if abs(base - y) <= 1 for c in chars), key=lambda c: c["x0"])


@pytest.mark.parametrize("combs", [False, True], ids=["dotted-lines", "comb-boxes"])
def test_values_at_the_slots_moved_by_the_offset_and_nothing_else(
    app: Flask, client: FlaskClient, claim_id: int, tmp_path: Path, combs: bool
) -> None:
    sheet = Sheet(combs=combs)
    assert load(app, tmp_path, sheet, "2020-01-01").exit_code == 0
    where = slots(sheet_pdf(sheet, "text"))
    by_offset = {}
    for x_mm, y_mm in (("0", "0"), ("2,5", "-3")):
        assert "Décalage d'impression enregistré." in set_offset(client, x_mm, y_mm)
        response = client.get(f"/dossiers/{claim_id}/valeurs-seules.pdf")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        by_offset[(x_mm, y_mm)] = response.data
    for (x_mm, y_mm), pdf in by_offset.items():
        dx, dy = float(x_mm.replace(",", ".")) * POINTS_PER_MM, float(y_mm) * POINTS_PER_MM
        page, lines = lines_of(pdf)
        assert (page.width, page.height) == pytest.approx((595.28, 841.89), abs=0.5)  # the sheet's own size
        assert not page.rects and not page.lines and not page.curves and not page.images  # no background
        seen = []
        for key, value in VALUES.items():
            slot = where[key]
            chars = written(lines, slot.y + dy)
            text = "".join(c["text"] for c in chars if c["x0"] >= slot.x + dx - 1 and c["x1"] <= slot.end + dx + 1)
            assert text.replace(" ", "") == value.replace(" ", ""), (key, text)
            if slot.cells and key in ("immatriculation", "cin"):  # one character per box, centred in it
                for (a, b), char in zip(slot.cells, chars, strict=False):
                    assert (char["x0"] + char["x1"]) / 2 == pytest.approx((a + b) / 2 + dx, abs=1.0)
            else:
                assert chars[0]["x0"] == pytest.approx(slot.x + dx, abs=1.0), key
            seen += chars
        assert len(seen) == len(page.chars)  # no other text than the values
    # "exactly" the offset: every glyph of the shifted print is the unshifted one moved by (2.5 mm, -3 mm)
    plain = pdfplumber.open(io.BytesIO(by_offset[("0", "0")])).pages[0].chars
    moved = pdfplumber.open(io.BytesIO(by_offset[("2,5", "-3")])).pages[0].chars
    assert [c["text"] for c in plain] == [c["text"] for c in moved]
    for a, b in zip(plain, moved, strict=True):
        assert b["x0"] - a["x0"] == pytest.approx(2.5 * POINTS_PER_MM, abs=0.01)
        assert b["top"] - a["top"] == pytest.approx(-3 * POINTS_PER_MM, abs=0.01)


def test_the_link_shows_only_when_an_official_sheet_is_in_force(
    app: Flask, client: FlaskClient, claim_id: int, tmp_path: Path
) -> None:
    page = client.get(f"/dossiers/{claim_id}").get_data(as_text=True)
    assert 'id="valeurs-seules"' not in page
    response = client.get(f"/dossiers/{claim_id}/valeurs-seules.pdf", follow_redirects=True)
    assert "Aucune feuille officielle n" in html.unescape(response.get_data(as_text=True))
    assert load(app, tmp_path, Sheet(), "2027-01-01").exit_code == 0  # not yet in force on the date of care
    assert 'id="valeurs-seules"' not in client.get(f"/dossiers/{claim_id}").get_data(as_text=True)
    assert load(app, tmp_path, Sheet(), "2020-01-01", name="g.pdf").exit_code == 0
    assert 'id="valeurs-seules"' in client.get(f"/dossiers/{claim_id}").get_data(as_text=True)


def test_an_offset_out_of_range_is_refused_and_the_saved_one_kept(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    assert "Décalage d'impression enregistré." in set_offset(client, "1,5", "-2")
    assert stored_offset(app) == (Decimal("1.5"), Decimal("-2.0"))
    for x, y, axis in (("16", "0", "X"), ("0", "-15,5", "Y"), ("deux", "1", "X"), ("1", "1e9", "Y")):
        page = set_offset(client, x, y)
        assert f"Décalage « {axis} » : un nombre de millimètres entre -15 et 15" in page, (x, y)
        assert stored_offset(app) == (Decimal("1.5"), Decimal("-2.0"))
    page = html.unescape(client.get("/profil/").get_data(as_text=True))
    assert 'value="1,5"' in page and 'value="-2,0"' in page  # the saved offset, shown back
    client.post("/langue", data={"csrf_token": csrf_token(client, "/profil/"), "locale": "ar"})
    assert "الإزاحة «X»" in set_offset(client, "99", "0")


def test_the_calibration_page_has_its_rulers_and_crosses(client: FlaskClient, student: Student) -> None:
    response = client.get("/profil/calibrage.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    page = pdfplumber.open(io.BytesIO(response.data)).pages[0]
    words = page.extract_words()
    numbers = [w for w in words if w["text"].isdigit()]
    top = {int(w["text"]): w for w in numbers if w["top"] < 40}  # the ruler along the top edge
    assert sorted(top) == list(range(10, 201, 10))
    for mm, word in top.items():  # each number centred on its tick, that far from the paper's left edge
        assert (word["x0"] + word["x1"]) / 2 == pytest.approx(mm * POINTS_PER_MM, abs=1.0)
    left = {int(w["text"]): w for w in numbers if w["x0"] < 45 and w["top"] >= 40}  # along the left edge
    assert sorted(left) == list(range(20, 281, 10))  # "10" left out: it would sit on the top ruler
    for mm, word in left.items():
        assert (word["top"] + word["bottom"]) / 2 == pytest.approx(mm * POINTS_PER_MM, abs=1.5)
    horizontal = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.1 and ln["x1"] - ln["x0"] > 30]
    for x_mm, y_mm in ((50, 50), (160, 50), (50, 250), (160, 250)):  # the crosses, where their labels say
        assert any(abs((ln["x0"] + ln["x1"]) / 2 - x_mm * POINTS_PER_MM) < 0.5
                   and abs(ln["top"] - y_mm * POINTS_PER_MM) < 0.5 for ln in horizontal), (x_mm, y_mm)  # fmt: skip
        assert f"{x_mm} mm du bord gauche, {y_mm} mm du bord haut" in page.extract_text()
    assert "Imprimez cette page à 100 %" in page.extract_text()


def test_another_students_claim_is_a_404(app: Flask, client: FlaskClient, claim_id: int, tmp_path: Path) -> None:
    assert load(app, tmp_path, Sheet(), "2020-01-01").exit_code == 0
    intruder = app.test_client()
    Student(intruder, "intrus@example.ma").sign_up()
    assert intruder.get(f"/dossiers/{claim_id}/valeurs-seules.pdf").status_code == 404
    assert client.get(f"/dossiers/{claim_id}/valeurs-seules.pdf").status_code == 200
