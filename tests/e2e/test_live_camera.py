"""Live camera scanning in a real browser: chromium's fake camera plays a video of a real barcode; the page
reads it (BarcodeDetector where the browser has it, else the @zxing/browser build served by claimkit)."""

import io
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import Browser, expect

from claimkit.services import claims
from tests.conftest import FakeClock
from tests.e2e.conftest import CHROMIUM, PHONE, ROOT
from tests.e2e.test_claim_phone import sign_up
from tests.integration.test_scan_route import rendered_barcode

pytestmark = pytest.mark.e2e


def barcode_video(path: Path, tmp_path: Path) -> None:
    """A few YUV 4:2:0 frames (y4m) of a rendered EAN-13, the format chromium's fake camera accepts."""
    width, height = 640, 480
    frame = Image.new("RGB", (width, height), "white")
    code = Image.open(io.BytesIO(rendered_barcode("611800012069", tmp_path))).convert("RGB")
    code.thumbnail((600, 440))
    frame.paste(code, ((width - code.width) // 2, (height - code.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    chroma = b"".join(c.resize((width // 2, height // 2)).tobytes() for c in (cb, cr))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            out.write(b"FRAME\n" + y.tobytes() + chroma)


@pytest.mark.skipif(not (ROOT / "node_modules" / "@zxing" / "browser").exists(), reason="npm ci not run")
def test_live_camera_reads_a_box(app: Flask, clock: FakeClock, live_server: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    video = tmp_path / "camera.y4m"
    barcode_video(video, tmp_path)
    with sync_playwright() as p:
        browser: Browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])  # fmt: skip
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
        context.grant_permissions(["camera"], origin=live_server)
        phone = context.new_page()
        sign_up(phone, live_server, "camera@example.ma")
        with app.extensions["claimkit.sessions"]() as db:
            claims.create_claim(db, clock, 1, "maladie", "Rhume")
        phone.goto(f"{live_server}/dossiers/1/scanner")
        expect(phone.locator("#camera")).to_be_visible()
        phone.get_by_role("button", name="Démarrer la caméra").tap()
        expect(phone.get_by_text("ZADRYL", exact=True)).to_be_visible(timeout=15000)
        expect(phone.get_by_text("6 118000 120698")).to_be_visible()
        browser.close()
