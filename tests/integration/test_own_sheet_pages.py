# ruff: noqa: F811 - claim_id is the fixture of test_packet, requested by name
"""« Ma feuille officielle » through the real app: a student uploads their own sheet (text and image-only PDF),
sees it filled (PNG decoded with Pillow), nudges a value (read back with pdfplumber in the packet), a sheet with a
missing label is refused in French and Arabic with nothing saved, and another student gets 404 everywhere."""

import html
import io
import re
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image, ImageChops
from sqlalchemy import select

from claimkit.adapters.db import models as db_models
from claimkit.adapters.official_forms import MM
from claimkit.web.deps import deps
from tests.conftest import Student, csrf_token
from tests.integration.test_email_languages import set_locale
from tests.integration.test_official_sheets import official_page
from tests.integration.test_packet import claim_id  # noqa: F401 - a fixture, requested by name
from tests.official_sheets import DOCTOR_HEADING, Sheet, sheet_pdf

NAME = "BENJELLOUN-ÇELIK"


def page_url(claim: int) -> str:
    return f"/dossiers/{claim}/feuille-officielle"


def upload(client: FlaskClient, claim: int, data: bytes, kind: str = "maladie", name: str = "perso.pdf") -> object:
    token = csrf_token(client, page_url(claim))
    return client.post(
        f"{page_url(claim)}/{kind}",
        data={"csrf_token": token, "feuille": (io.BytesIO(data), name, "application/pdf")},
        content_type="multipart/form-data",
    )


def sheet_id_of(response: object) -> int:
    match = re.search(r"/feuille-officielle/(\d+)$", response.headers["Location"])  # type: ignore[attr-defined]
    assert match, response.headers["Location"]  # type: ignore[attr-defined]
    return int(match.group(1))


def own_rows(app: Flask) -> list[db_models.OfficialSheet]:
    with deps(app).sessions() as db:
        return list(db.scalars(select(db_models.OfficialSheet).where(db_models.OfficialSheet.user_id.is_not(None))))


def word_box(packet: bytes, text: str) -> tuple[float, float, float, float, float, float]:
    """(x0, top, x1, bottom, page width, page height) of the first word starting with `text` on the sheet page."""
    doc = pdfplumber.open(io.BytesIO(packet))
    page = next(p for p in doc.pages if p.images or "Partie réservée à l'assuré(e)" in (p.extract_text() or ""))
    word = next(w for w in page.extract_words() if w["text"].startswith(text))
    return word["x0"], word["top"], word["x1"], word["bottom"], float(page.width), float(page.height)


def blank_render(sheet: bytes, width: int) -> Image.Image:
    document = pypdfium2.PdfDocument(sheet)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil().convert("L")
    finally:
        document.close()
    return image


@pytest.mark.parametrize("render", ["text", "image"])
def test_upload_then_preview_shows_each_value_in_place(
    app: Flask, client: FlaskClient, claim_id: int, render: str
) -> None:
    sheet = sheet_pdf(Sheet(), render)  # type: ignore[arg-type]
    response = upload(client, claim_id, sheet)
    assert response.status_code == 302
    sheet_id = sheet_id_of(response)
    shown_page = client.get(f"{page_url(claim_id)}/{sheet_id}").get_data(as_text=True)
    for label in ("Nom et prénom", "N° CIN", "Adresse", "Montant des frais"):
        assert label in shown_page
    assert 'name="sens" value="gauche"' in shown_page and 'value="remettre"' in shown_page
    shown = client.get(f"{page_url(claim_id)}/{sheet_id}/apercu.png")
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    preview = Image.open(io.BytesIO(shown.data))
    packet = client.get(f"/dossiers/{claim_id}/packet.pdf").data
    x0, top, x1, bottom, width, height = word_box(packet, NAME)
    assert preview.width == 1200 and abs(preview.height - 1200 * height / width) <= 1  # the page's size
    k = preview.width / width
    box = (int(x0 * k), int(top * k), int(x1 * k) + 1, int(bottom * k) + 1)
    grey = preview.convert("L")
    assert grey.crop(box).getextrema()[0] < 100  # the name's ink, where the packet has it
    before = blank_render(sheet, preview.width).crop(box)
    changed = ImageChops.difference(grey.crop(box), before).getbbox()
    assert changed is not None  # and it is the written value, not the sheet's own print
    # one value's line, enlarged: readable at 390 px (≥ 1.2 px per point once shown 358 px wide)
    line = Image.open(io.BytesIO(client.get(f"{page_url(claim_id)}/{sheet_id}/apercu.png?cle=nom_prenom").data))
    assert 358 / line.width * 3 >= 1.2 and line.convert("L").getextrema()[0] < 100
    assert client.get(f"{page_url(claim_id)}/{sheet_id}/apercu.png?cle=affiliation").status_code == 404


def nudge(client: FlaskClient, claim: int, sheet_id: int, key: str, move: str) -> object:
    url = f"{page_url(claim)}/{sheet_id}"
    return client.post(f"{url}/decaler", data={"csrf_token": csrf_token(client, url), "cle": key, "sens": move})


def test_a_nudge_moves_the_value_in_the_packet_by_whole_mm(app: Flask, client: FlaskClient, claim_id: int) -> None:
    sheet_id = sheet_id_of(upload(client, claim_id, sheet_pdf(Sheet(combs=False), "text")))
    before = word_box(client.get(f"/dossiers/{claim_id}/packet.pdf").data, NAME)
    for move in ("droite", "droite", "droite", "bas", "bas", "gauche", "haut", "bas"):
        response = nudge(client, claim_id, sheet_id, "nom_prenom", move)
        assert response.status_code == 302 and response.headers["Location"].endswith("#valeur-nom_prenom")  # type: ignore[attr-defined]
    after = word_box(client.get(f"/dossiers/{claim_id}/packet.pdf").data, NAME)
    assert after[0] - before[0] == pytest.approx(2 * MM, abs=0.05)  # 3 right, 1 left
    assert after[1] - before[1] == pytest.approx(2 * MM, abs=0.05)  # 3 down, 1 up
    page = client.get(f"{page_url(claim_id)}/{sheet_id}").get_data(as_text=True)
    assert "Décalée de" in page
    # the value never goes into the doctor's part, however far it is pushed: at most 15 mm, then a message
    for _ in range(14):
        nudge(client, claim_id, sheet_id, "nom_prenom", "bas")
    refused = nudge(client, claim_id, sheet_id, "nom_prenom", "bas")
    assert "Décalage limité à 15 mm" in client.get(refused.headers["Location"]).get_data(as_text=True)  # type: ignore[attr-defined]
    packet = official_page(client.get(f"/dossiers/{claim_id}/packet.pdf").data)
    heading = next(w for w in packet.extract_words() if w["text"] == DOCTOR_HEADING.split()[0])
    name = next(w for w in packet.extract_words() if w["text"].startswith(NAME))
    assert name["top"] - before[1] == pytest.approx(15 * MM, abs=0.05) and name["bottom"] < heading["top"]
    nudge(client, claim_id, sheet_id, "nom_prenom", "remettre")
    assert word_box(client.get(f"/dossiers/{claim_id}/packet.pdf").data, NAME)[:2] == pytest.approx(before[:2])


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        ("fr", "Étiquette « N° d'immatriculation » introuvable sur la feuille officielle"),
        ("ar", "لم يتم العثور على الخانة « N° d'immatriculation » في الورقة الرسمية"),
    ],
)
def test_a_sheet_with_a_missing_label_is_refused_and_nothing_is_saved(
    app: Flask, client: FlaskClient, claim_id: int, locale: str, message: str
) -> None:
    set_locale(app, locale)
    response = upload(client, claim_id, sheet_pdf(Sheet(omit="immatriculation"), "text"))
    assert response.status_code == 302
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))  # type: ignore[attr-defined]
    assert message in page, page
    assert own_rows(app) == []
    assert not list((Path(app.config["UPLOAD_DIR"])).rglob("*.pdf"))
    whole = sheet_pdf(Sheet(), "text")
    for broken in (b"GIF89a not a sheet", whole[: len(whole) // 2], whole.replace(b"/Page", b"/Pagx"), b"%PDF-1.4"):
        refused = upload(client, claim_id, broken)
        assert refused.status_code == 302, broken[:20]  # a message on the page, never a 500
        shown = html.unescape(client.get(refused.headers["Location"]).get_data(as_text=True))  # type: ignore[attr-defined]
        assert "PDF lisible" in shown or "PDF مقروءًا" in shown or "introuvable" in shown or "العثور" in shown, shown
        assert own_rows(app) == []


def test_a_new_upload_replaces_and_remove_takes_it_away(app: Flask, client: FlaskClient, claim_id: int) -> None:
    first = sheet_id_of(upload(client, claim_id, sheet_pdf(Sheet(), "text")))
    second = sheet_id_of(upload(client, claim_id, sheet_pdf(Sheet(with_d=True), "text"), name="deux.pdf"))
    assert [row.id for row in own_rows(app)] == [second] != [first]
    url = f"{page_url(claim_id)}/{second}/retirer"
    response = client.post(url, data={"csrf_token": csrf_token(client, page_url(claim_id))})
    assert response.status_code == 302 and own_rows(app) == []
    assert not list((Path(app.config["UPLOAD_DIR"])).rglob("*.pdf"))
    assert "Charger ma feuille" in client.get(page_url(claim_id)).get_data(as_text=True)


def test_another_student_cannot_see_preview_nudge_or_remove_your_sheet(
    app: Flask, client: FlaskClient, claim_id: int
) -> None:
    sheet_id = sheet_id_of(upload(client, claim_id, sheet_pdf(Sheet(), "text")))
    other = app.test_client()
    assert Student(other, "karim@example.ma").sign_up().status_code == 302
    token = csrf_token(other, "/profil/")
    base = f"{page_url(claim_id)}/{sheet_id}"
    assert other.get(page_url(claim_id)).status_code == 404
    assert other.get(base).status_code == 404
    assert other.get(f"{base}/apercu.png").status_code == 404
    assert other.get(f"{base}/apercu.png?cle=cin").status_code == 404
    assert other.post(f"{base}/decaler", data={"csrf_token": token, "cle": "cin", "sens": "bas"}).status_code == 404
    assert other.post(f"{base}/retirer", data={"csrf_token": token}).status_code == 404
    upload_other = other.post(
        f"{page_url(claim_id)}/maladie",
        data={"csrf_token": token, "feuille": (io.BytesIO(sheet_pdf(Sheet(), "text")), "x.pdf")},
        content_type="multipart/form-data",
    )
    assert upload_other.status_code == 404
    assert [row.id for row in own_rows(app)] == [sheet_id]
    with deps(app).sessions() as db:
        assert db.scalars(select(db_models.SheetOffset)).all() == []
