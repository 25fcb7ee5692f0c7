"""Scanning through the upload route, with real rendered barcodes and hostile files."""

import html
import io
import re
import statistics
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.graphics.shapes import Drawing
from sqlalchemy import update

from claimkit.adapters.db.models import User
from claimkit.adapters.decoders import MSG_BAD_SHAPE, search_image
from claimkit.adapters.scan_worker import MSG_ONE_AT_A_TIME
from claimkit.web.deps import deps
from tests.conftest import Student, csrf_token, mail_link
from tests.integration.live_server import (
    HttpStudent,
    attack,
    dashboard_times,
    quantile,
    thin_png,
    threaded_server,
)
from tests.integration.test_claims_flow import claim_row, new_claim
from tests.integration.test_decoders import single_read_png


def rendered_barcode(code12: str, tmp_path: Path, rotate: int = 0) -> bytes:
    """A real EAN-13 drawn by reportlab, rasterised by poppler, saved as a phone-like JPEG."""
    barcode = createBarcodeDrawing("EAN13", value=code12, barHeight=60, barWidth=1.5)
    page = Drawing(barcode.width + 60, barcode.height + 60)
    barcode.translate(30, 30)
    page.add(barcode)
    renderPDF.drawToFile(page, str(tmp_path / "ean.pdf"))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "300", "-singlefile", str(tmp_path / "ean.pdf"), str(tmp_path / "ean")], check=True
    )
    image = Image.open(tmp_path / "ean.png").convert("RGB").rotate(rotate, expand=True, fillcolor="white")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def upload(client: FlaskClient, claim_id: int, data: bytes, name: str = "photo.jpg") -> tuple[int, str]:
    token = csrf_token(client, f"/dossiers/{claim_id}/scanner")
    response = client.post(
        f"/dossiers/{claim_id}/scanner",
        data={"csrf_token": token, "photo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    return response.status_code, html.unescape(response.get_data(as_text=True))


@pytest.fixture
def claim_id(client: FlaskClient, student: Student) -> int:
    return new_claim(client)


def test_photo_of_a_known_box_is_confirmed_then_added(
    app: Flask, client: FlaskClient, claim_id: int, tmp_path: Path
) -> None:
    status, page = upload(client, claim_id, rendered_barcode("611800012069", tmp_path, rotate=90))
    assert status == 200
    assert "ZADRYL" in page and "6 118000 120698" in page and "91,50\u00a0DH" in page
    assert "64,05\u00a0DH" in page  # 70 % of min(PPV 91.50, PBR 91.50)
    assert claim_row(app, claim_id).medicines == []  # nothing joins the claim before the student confirms
    token = csrf_token(client, f"/dossiers/{claim_id}")
    client.post(
        f"/dossiers/{claim_id}/medicaments",
        data={
            "csrf_token": token,
            "name": "ZADRYL",
            "ean13": "6118000120698",
            "ppv": "91,50",
            "pbr": "91,50",
            "quantity": "1",
        },
    )
    assert [m.ean13 for m in claim_row(app, claim_id).medicines] == ["6118000120698"]


def test_unknown_code_is_kept_for_manual_entry(client: FlaskClient, claim_id: int, tmp_path: Path) -> None:
    _, page = upload(client, claim_id, rendered_barcode("611800000000", tmp_path))
    assert "pas dans notre liste" in page and "6 118000 000006" in page
    assert 'value="6118000000006"' in page  # the code stays, the student types name and price


def test_typed_digits(client: FlaskClient, claim_id: int) -> None:
    token = csrf_token(client, f"/dossiers/{claim_id}/scanner")
    page = client.post(
        f"/dossiers/{claim_id}/scanner", data={"csrf_token": token, "code": "6118000 120698"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "ZADRYL" in page
    page = html.unescape(
        client.post(
            f"/dossiers/{claim_id}/scanner", data={"csrf_token": token, "code": "6118000120699"}, follow_redirects=True
        ).get_data(as_text=True)
    )
    assert "clé de contrôle" in page


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR claiming a huge image, then a truncated stream."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\x00\x00\x00\x00IDAT"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Le fichier est vide"),
        (b"%PDF-1.4 not an image at all", "n'est pas une image lisible"),
        (png_header_only(20000, 20000), "trop grande (plus de 100 mégapixels)"),
    ],
)
def test_hostile_files_get_a_french_message(client: FlaskClient, claim_id: int, data: bytes, message: str) -> None:
    status, page = upload(client, claim_id, data, "x.png")
    assert status == 200 and message in page


def test_truncated_jpeg_and_oversized_upload(client: FlaskClient, claim_id: int, tmp_path: Path) -> None:
    good = rendered_barcode("611800012069", tmp_path)
    _, page = upload(client, claim_id, good[: len(good) // 3])
    assert "incomplète ou endommagée" in page or "Aucun code-barres lu" in page
    token = csrf_token(client, f"/dossiers/{claim_id}/scanner")
    big = client.post(
        f"/dossiers/{claim_id}/scanner",
        content_type="multipart/form-data",
        data={"csrf_token": token, "photo": (io.BytesIO(b"\xff" * (21 * 1024 * 1024)), "big.jpg")},
    )
    assert big.status_code == 413 and "dépasse 20 Mo" in big.get_data(as_text=True)


def test_other_students_claim_cannot_be_scanned(app: Flask, claim_id: int) -> None:
    other = app.test_client()
    Student(other, "x@example.ma").sign_up()
    assert other.get(f"/dossiers/{claim_id}/scanner").status_code == 404


def test_a_single_read_of_a_reference_product_is_confirmed(client: FlaskClient, claim_id: int) -> None:
    data = single_read_png("6118000120698")
    assert search_image(data).reads == {"6118000120698": {("zxing", 1)}}  # one read only
    _, page = upload(client, claim_id, data, "p.png")
    assert "ZADRYL" in page and "6 118000 120698" in page and "À vérifier" not in page


def test_a_single_read_of_an_unknown_code_is_shown_to_check(client: FlaskClient, claim_id: int) -> None:
    data = single_read_png("6118000000006")
    assert search_image(data).reads == {"6118000000006": {("zxing", 1)}}
    _, page = upload(client, claim_id, data, "p.png")
    assert "À vérifier : comparez ces chiffres avec ceux sous les barres." in page
    assert '<p class="huge digits" dir="ltr" aria-label="6118000000006">6 118000 000006</p>' in page
    assert 'value="6118000000006"' in page  # kept in the form, to correct or confirm


def test_a_photo_without_code_says_what_helps_and_offers_the_digits_at_once(client: FlaskClient, claim_id: int) -> None:
    blank = io.BytesIO()
    Image.new("RGB", (800, 600), (230, 220, 200)).save(blank, "JPEG")
    status, page = upload(client, claim_id, blank.getvalue())
    assert status == 200 and "Aucun code-barres lu sur cette photo." in page
    assert "un tiers de la largeur" in page and "à plat" in page and "éclairez" in page
    assert page.index('id="code"') < page.index('id="photo"') and "autofocus" in page


def test_a_single_unknown_read_is_shown_to_check_in_arabic(app: Flask, claim_id: int, client: FlaskClient) -> None:
    with deps(app).sessions() as db:
        db.execute(update(User).values(locale="ar"))
        db.commit()
    _, page = upload(client, claim_id, single_read_png("6118000000006"), "p.png")
    assert 'dir="rtl"' in page and "À vérifier" not in page and 'dir="ltr" aria-label="6118000000006"' in page


def test_hostile_uploads_leave_another_dashboard_fast(app: Flask) -> None:
    """Issue 19 on a real threaded server: one account posts 1 × 99 M px PNGs and slow photos from 4 threads
    while another student loads her dashboard. Figures: bench/scan_attack.py (the bounds here are generous).

    What decides are the pages (every hostile PNG refused for its shape, a second photo of the account refused
    while one is analysed) and the victim's dashboard against the same dashboard timed just before on the same
    box. The times are judged on quantiles of 20 uploads, never on the slowest one alone: on this shared 2-core
    box the first round's 4 uploads once took 0.97-1.1 s each with nothing wrong. Removing the header checks or the
    one-scan-per-account rule still fails it (see the assertions)."""
    with threaded_server(app) as base:
        attacker, victim = HttpStudent(base, "attaque@example.ma"), HttpStudent(base, "lecture@example.ma")

        def link(email: str) -> str:
            return mail_link(app, email, "/compte/inscription/")

        claim = attacker.sign_up_with_claim(link)
        victim.sign_up_with_claim(link)
        alone = statistics.median(dashboard_times(victim, 20))  # this box's speed, just before the attack
        hostile = attack(attacker, claim, victim, thin_png(), parallel=4, rounds=5)
        # Parallel requests of one browser share its cookie, so a flashed message may show on a sibling's page.
        flashed = [message for page in hostile.pages for message in re.findall(r'class="flash[^>]*>([^<]*)', page)]
        assert flashed and set(flashed) == {MSG_BAD_SHAPE}, flashed  # the web process's header check, never a turn
        # Refused from the header, never decoded: decoding one takes 2.1 s on a quiet box, so a decoded flood has
        # every upload over 2 s. Judged on the median: the first parallel round is ~2.5x slower than the next ones
        # (220 ms vs 90 on a quiet box) and in CI, under load, all 4 of its uploads once took ~1 s (median 167 ms).
        assert statistics.median(hostile.upload_ms) < 1000, hostile.summary()
        slow = attack(attacker, claim, victim, single_read_png("6118000000006"), parallel=4, rounds=2)
        assert any(MSG_ONE_AT_A_TIME in page for page in slow.pages)  # one scan at a time per account
        for result in (hostile, slow):
            assert statistics.median(result.dashboard_ms) < 10 * alone + 200, (alone, result.summary())
            assert quantile(result.dashboard_ms, 0.9) < 1500, (alone, result.summary())
