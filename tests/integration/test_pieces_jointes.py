# ruff: noqa: F811 - claim_id is the fixture of test_packet, requested by name
""" "Nombre de pièces jointes" is the documents the student puts in the envelope: a count per ticked checklist
line, set on the claim page (with or without its script), never the sheet itself; the packet writes their sum on
the official sheet, on the "feuille officielle à joindre" page and under the cover's checklist (read back with
pdftotext)."""

import html
import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.db.models import ChecklistTick
from claimkit.web.deps import deps
from tests.conftest import csrf_token
from tests.integration.test_official_sheets import load
from tests.integration.test_packet import claim_id, text_of  # noqa: F401 - a fixture, requested by name
from tests.official_sheets import Sheet

LABEL = "Nombre de pièces jointes"


def post_pieces(client: FlaskClient, claim: int, data: dict[str, object], json: bool = False) -> tuple[int, str]:
    token = csrf_token(client, f"/dossiers/{claim}")
    headers = {"Accept": "application/json"} if json else {}
    response = client.post(
        f"/dossiers/{claim}/pieces", data={"csrf_token": token, **data}, headers=headers, follow_redirects=not json
    )
    return response.status_code, html.unescape(response.get_data(as_text=True))


def count_input(page: str, key: str) -> str:
    match = re.search(rf'name="nombre-{key}"[^>]*value="([^"]*)"', page, re.S)
    assert match, f"no count input for {key}"
    return match.group(1)


def after_label(text: str) -> list[str]:
    """Each figure pdftotext reads right after "Nombre de pièces jointes" (on the sheet, the guide, the cover)."""
    return re.findall(LABEL + r"[^\n0-9]*?(\d+)", text)


def stored(app: Flask, claim: int) -> dict[str, int]:
    with deps(app).sessions() as db:
        return {t.item_key: t.documents for t in db.query(ChecklistTick).filter_by(claim_id=claim)}


def test_counts_per_line_are_summed_on_the_official_sheet_and_the_cover(
    app: Flask, client: FlaskClient, claim_id: int, tmp_path: Path
) -> None:
    assert load(app, tmp_path, Sheet(combs=False), "2020-01-01").exit_code == 0
    pieces = ["feuille_maladie", "ordonnance", "facture_laboratoire", "resultats_analyses"]
    status, page = post_pieces(
        client,
        claim_id,
        {"piece": pieces, "nombre-ordonnance": "2", "nombre-facture_laboratoire": "3", "nombre-resultats_analyses": ""},
    )
    assert status == 200 and "Pièces enregistrées." in page
    assert stored(app, claim_id) == {"feuille_maladie": 1, "ordonnance": 2, "facture_laboratoire": 3,
                                     "resultats_analyses": 1}  # fmt: skip
    # survives a reload: the page shows each count and the sum; an unticked line shows none
    page = html.unescape(client.get(f"/dossiers/{claim_id}").get_data(as_text=True))
    assert [count_input(page, k) for k in pieces[1:]] == ["2", "3", "1"]
    assert count_input(page, "codes_barres") == "" and 'name="nombre-feuille_maladie"' not in page
    assert re.search(r'id="pieces-attachments"[^>]*>6<', page)
    text = text_of(client.get(f"/dossiers/{claim_id}/packet.pdf").data, tmp_path)
    sheet_line = next(ln for ln in text.splitlines() if re.search(LABEL + r"\s*:", ln) and "(écrit" not in ln)
    assert re.search(LABEL + r"\s*:\s*6\b", sheet_line), sheet_line  # 2 + 3 + 1, the sheet itself not counted
    assert "Nombre de pièces jointes (écrit sur la feuille) : 6" in text  # under the cover's checklist
    assert re.search(r"Ordonnance[^\n]*× 2", text) and re.search(r"laboratoire[^\n]*× 3", text)


def test_the_guide_page_without_an_official_sheet_says_the_sum(
    client: FlaskClient, claim_id: int, tmp_path: Path
) -> None:
    post_pieces(client, claim_id, {"piece": ["feuille_maladie", "ordonnance"], "nombre-ordonnance": "4"})
    text = text_of(client.get(f"/dossiers/{claim_id}/packet.pdf").data, tmp_path)
    assert "Feuille officielle à joindre" in text
    assert set(after_label(text)) == {"4"}, after_label(text)  # the where-to-write table and the cover


def test_a_count_out_of_range_is_refused_and_nothing_saved_is_lost(
    app: Flask, client: FlaskClient, claim_id: int
) -> None:
    post_pieces(client, claim_id, {"piece": ["feuille_maladie", "ordonnance"], "nombre-ordonnance": "3"})
    for bad in ("51", "-1", "deux", "2.5"):
        status, page = post_pieces(client, claim_id, {"piece": ["ordonnance", "codes_barres"],
                                                      "nombre-ordonnance": bad})  # fmt: skip
        assert status == 200 and "Nombre de documents pour « Ordonnance originale, signée" in page
        assert "» : un nombre entier de 0 à 50." in page
        assert stored(app, claim_id) == {"feuille_maladie": 1, "ordonnance": 3}, bad
    client.post("/langue", data={"csrf_token": csrf_token(client, "/profil/"), "locale": "ar"})
    status, body = post_pieces(client, claim_id, {"piece": ["ordonnance"], "nombre-ordonnance": "500"}, json=True)
    assert status == 400 and "50" in body and "Nombre" not in body  # said in Arabic to the script
    assert stored(app, claim_id) == {"feuille_maladie": 1, "ordonnance": 3}
    status, body = post_pieces(client, claim_id, {"piece": ["ordonnance"], "nombre-ordonnance": "0"}, json=True)
    assert status == 200 and '"attachments":0' in body.replace(" ", "")
    assert stored(app, claim_id) == {"ordonnance": 0}
