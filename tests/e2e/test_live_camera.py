"""Live camera scanning in a real browser: chromium's fake camera films a real barcode (see the `browser`
fixture); the page reads it with BarcodeDetector where the browser has it, else with the @zxing/browser build
served by claimkit from its package data (claimkit/static/vendor/)."""

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from claimkit.services import claims
from claimkit.web.deps import deps
from tests.conftest import FakeClock
from tests.e2e.conftest import PHONE, sign_up_by_mail

pytestmark = pytest.mark.e2e


def test_live_camera_reads_a_box(app: Flask, clock: FakeClock, live_server: str, browser: Browser,
                                 shots: Path) -> None:  # fmt: skip
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="fr-FR")
    context.grant_permissions(["camera"], origin=live_server)
    phone = context.new_page()
    sign_up_by_mail(phone, live_server, app, "camera@example.ma")
    with deps(app).sessions() as db:
        claims.create_claim(db, clock, 1, "maladie", "Rhume")
    phone.goto(f"{live_server}/dossiers/1/scanner")
    expect(phone.locator("#camera")).to_be_visible()
    phone.get_by_role("button", name="Démarrer la caméra").tap()
    expect(phone.get_by_text("ZADRYL", exact=True)).to_be_visible(timeout=15000)
    expect(phone.get_by_text("6 118000 120698")).to_be_visible()
    context.close()
