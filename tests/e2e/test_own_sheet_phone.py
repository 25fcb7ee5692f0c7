# ruff: noqa: F811 - lang is the fixture of test_journey_ayant_droit, requested by name
"""« Ma feuille officielle » on a phone without JavaScript, in French and in Arabic: from the claim page's packet
link, upload a personalised sheet (PDF), see it filled, tap a value and move it by 1 mm.

Screenshots land in docs/screenshots/own-sheet-{fr,ar}-*.png with CLAIMKIT_SCREENSHOTS=1, else in a temp dir.
"""

import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from claimkit.adapters import l10n
from claimkit.domain.claims import Act, ActType
from claimkit.services import claims, profiles
from claimkit.services.profiles import ProfileInput
from claimkit.web.deps import deps
from tests.conftest import FakeClock
from tests.e2e.conftest import PHONE, SHEET_LABEL, sign_up_by_mail
from tests.e2e.test_journey_ayant_droit import lang  # noqa: F401 - the fr/ar fixture, requested by name
from tests.official_sheets import Sheet, sheet_pdf

pytestmark = pytest.mark.e2e


@pytest.fixture
def page(browser: Browser, lang: str) -> Iterator[Page]:
    """A phone in that language with JavaScript off: every step here is a plain link or form."""
    phone = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
    context = browser.new_context(**phone, locale=f"{lang}-MA", java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_own_sheet_on_a_phone(
    app: Flask, clock: FakeClock, live_server: str, page: Page, lang: str, shots: Path, tmp_path: Path
) -> None:
    t = l10n.translations(lang).gettext
    sign_up_by_mail(page, live_server, app, f"nadia.{lang}@example.ma", lang)
    with deps(app).sessions() as db:
        profiles.save_profile(
            db, clock, 1,
            ProfileInput("El Idrissi", "Nadia", "BE123456", "", None, "", "7 rue Oued Sebou, Agdal, Rabat", "",
                         "mandat", "", False),
        )  # fmt: skip
        claim = claims.create_claim(db, clock, 1, "maladie", "Angine")
        act = Act(date(2026, 11, 3), ActType.CONSULTATION_GENERALISTE, Decimal("150"), "Dr Alaoui")
        claims.add_act(db, clock, 1, claim.id, act)
        claim_id = claim.id

    page.goto(f"{live_server}/dossiers/{claim_id}")
    link = t("Ma feuille officielle : chargez la vôtre (feuille personnalisée CNOPS ou scan)")
    page.get_by_role("link", name=link).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Ma feuille officielle"))
    sheet = tmp_path / "feuille-personnalisee.pdf"
    sheet.write_bytes(sheet_pdf(Sheet(), "text"))
    page.get_by_label(l10n.render(SHEET_LABEL, lang), exact=True).set_input_files(str(sheet))
    page.screenshot(path=str(shots / f"own-sheet-{lang}-1-upload.png"), full_page=True)
    page.get_by_role("button", name=t("Charger ma feuille"), exact=True).tap()

    expect(page.get_by_role("heading", level=1)).to_have_text(t("Ma feuille remplie"))
    expect(page.get_by_text(t("Feuille gardée : vérifiez où chaque valeur est écrite."))).to_be_visible()
    expect(page.locator("svg.sheet-preview")).to_be_visible()
    page.wait_for_load_state("networkidle")
    png = page.request.get(live_server + str(page.locator("svg.sheet-preview image").get_attribute("href")))
    assert png.ok and Image.open(io.BytesIO(png.body())).width == 1200  # the page's PNG, with the phone's cookies
    page.screenshot(path=str(shots / f"own-sheet-{lang}-2-preview.png"))
    # tap the written name on the picture: the page jumps to its arrows; → moves it by 1 mm
    page.get_by_role("link", name=t("Déplacer : %(label)s") % {"label": "Nom et prénom"}).tap()
    arrow = t("%(label)s : 1 mm à droite") % {"label": "Nom et prénom"}
    page.get_by_role("button", name=arrow, exact=True).tap()
    expect(page.locator("#valeur-nom_prenom .hint")).to_be_visible()
    page.locator("#valeur-nom_prenom").scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(shots / f"own-sheet-{lang}-3-nudged.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server}/dossiers/{claim_id}/feuille-officielle")
    page.screenshot(path=str(shots / f"own-sheet-{lang}-4-kept.png"), full_page=True)
