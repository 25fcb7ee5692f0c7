"""A claim's « Note personnelle »: the student's own reminder about the claim (who still owes a paper, where the
originals are), saved from the claim page, kept when the rest of the details change, copied by "nouvel envoi",
exported with the student's data, and never written on a sheet, the packet or a mail to the insurer."""

import html
import io
import re
import zipfile
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.conftest import post_form
from tests.integration.test_claims_flow import claim_row
from tests.integration.test_packet import claim_id, text_of  # noqa: F401 — the packet's fixture

EXPORT = "/donnees/export.zip"
NOTE = "Originaux chez maman — ordonnance à redemander au Dr Alaoui (طلب الوصفة)"


def test_the_note_is_kept_on_the_claim_and_never_printed(
    app: Flask,
    client: FlaskClient,
    claim_id: int,  # noqa: F811 — the fixture imported above
    tmp_path: Path,
) -> None:
    page = html.unescape(client.get(f"/dossiers/{claim_id}").get_data(as_text=True))
    assert 'name="personal_note"' in page and "Note personnelle" in page  # drawn on every kind of claim

    saved = post_form(client, f"/dossiers/{claim_id}/details", {"label": "Angine", "personal_note": NOTE})
    assert saved.status_code == 302
    assert claim_row(app, claim_id).personal_note == NOTE
    page = html.unescape(client.get(f"/dossiers/{claim_id}").get_data(as_text=True))
    shown = re.search(r'<textarea([^>]*)name="personal_note"([^>]*)>\s*' + re.escape(NOTE) + "</textarea>", page)
    assert shown and 'dir="auto"' in shown.group(0)  # shown back in its field; Arabic words read right

    too_long = post_form(client, f"/dossiers/{claim_id}/details", {"label": "Angine", "personal_note": "x" * 1001})
    assert too_long.status_code == 422 and claim_row(app, claim_id).personal_note == NOTE  # refused, nothing lost

    packet = text_of(client.get(f"/dossiers/{claim_id}/packet.pdf").data, tmp_path)
    assert "Angine" in packet and "maman" not in packet and "Alaoui (" not in packet
    sheet = PdfReader(io.BytesIO(client.get(f"/dossiers/{claim_id}/feuilles/maladie.pdf").data)).get_fields() or {}
    assert not any("maman" in str(f.get("/V", "")) for f in sheet.values())
    archive = zipfile.ZipFile(io.BytesIO(client.get(EXPORT).data))
    assert NOTE in archive.read("dossiers.json").decode()  # the student's data export carries it
