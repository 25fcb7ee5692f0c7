"""Scanning a box on a phone: the page works without JavaScript (file input with camera capture), the photo is
decoded by the worker process and the student confirms before the medicine joins the claim."""

from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import Page, expect
from sqlalchemy import update

from claimkit.adapters.db.models import User
from claimkit.services import claims
from claimkit.web.deps import deps
from tests.conftest import FakeClock
from tests.e2e.conftest import sign_up_by_mail
from tests.integration.test_decoders import single_read_png
from tests.integration.test_scan_route import rendered_barcode

pytestmark = pytest.mark.e2e


def test_scan_a_photo_and_confirm(app: Flask, clock: FakeClock, live_server: str, phone: Page, shots: Path,
                                  tmp_path: Path) -> None:  # fmt: skip
    sign_up_by_mail(phone, live_server, app, "nora@example.ma")
    with deps(app).sessions() as db:
        claims.create_claim(db, clock, 1, "maladie", "Allergie")
    phone.goto(f"{live_server}/dossiers/1")
    phone.get_by_role("link", name="Scanner une boîte").tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Scanner un médicament")
    file_input = phone.get_by_label("Prendre ou choisir une photo")
    assert file_input.get_attribute("capture") == "environment" and file_input.get_attribute("accept") == "image/*"
    phone.screenshot(path=str(shots / "scan-fr.png"), full_page=True)
    photo = tmp_path / "boite.jpg"
    photo.write_bytes(rendered_barcode("611800012069", tmp_path, rotate=90))
    file_input.set_input_files(str(photo))
    phone.get_by_role("button", name="Lire le code-barres").tap()
    expect(phone.get_by_text("ZADRYL", exact=True)).to_be_visible()
    expect(phone.get_by_text("6 118000 120698")).to_be_visible()
    phone.screenshot(path=str(shots / "scan-confirm-fr.png"), full_page=True)
    phone.get_by_role("button", name="C'est bien ce médicament : l'ajouter").tap()
    expect(phone.get_by_text("Médicament ajouté.")).to_be_visible()
    expect(phone.locator("#medicaments")).to_contain_text("ZADRYL")


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_a_single_read_is_shown_to_check_and_a_missed_photo_says_what_helps(
    app: Flask, clock: FakeClock, live_server: str, phone: Page, shots: Path, tmp_path: Path, locale: str
) -> None:
    sign_up_by_mail(phone, live_server, app, "samir@example.ma")
    with deps(app).sessions() as db:
        claims.create_claim(db, clock, 1, "maladie", "Angine")
        db.execute(update(User).values(locale=locale))
        db.commit()
    photo = tmp_path / "boite.png"
    photo.write_bytes(single_read_png("6118000000006"))
    phone.goto(f"{live_server}/dossiers/1/scanner")
    phone.locator("#photo").set_input_files(str(photo))
    phone.locator("form[enctype] button[type=submit]").tap()
    digits = phone.locator(".huge.digits")
    expect(digits).to_have_text("6 118000 000006")
    expect(phone.locator("p.missing[role=alert]").first).to_be_visible()
    if locale == "fr":
        expect(phone.get_by_text("À vérifier : comparez ces chiffres avec ceux sous les barres.")).to_be_visible()
    box = digits.bounding_box()
    assert box is not None and box["height"] >= 30  # large enough to compare digit by digit
    phone.screenshot(path=str(shots / f"scan-to-check-{locale}.png"), full_page=True)

    blank = tmp_path / "blank.jpg"
    Image.new("RGB", (800, 600), (230, 220, 200)).save(blank, "JPEG")
    phone.goto(f"{live_server}/dossiers/1/scanner")
    phone.locator("#photo").set_input_files(str(blank))
    phone.locator("form[enctype] button[type=submit]").tap()
    expect(phone.locator("#missed li")).to_have_count(3)
    expect(phone.locator("#code")).to_be_focused()
    phone.screenshot(path=str(shots / f"scan-missed-{locale}.png"), full_page=True)
