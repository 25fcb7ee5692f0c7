"""On a phone, in French and in Arabic: the document count of a checklist line is saved as it is typed (ticks.js),
survives a reload and gives the sheet's "Nombre de pièces jointes"; the values-only link shows once an official
sheet is in force; the profile's printer offset refuses 20 mm with a message and keeps the saved one."""

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.conftest import FakeClock
from tests.e2e.conftest import sign_up_with_profile
from tests.integration.test_official_sheets import load
from tests.official_sheets import Sheet

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("locale", ["fr", "ar"])
def test_counts_values_only_link_and_offset(
    app: Flask, clock: FakeClock, live_server: str, phone: Page, shots: Path, tmp_path: Path, locale: str
) -> None:
    assert load(app, tmp_path, Sheet(), "2020-01-01").exit_code == 0
    sign_up_with_profile(phone, live_server, app, clock)
    phone.goto(live_server + "/dossiers/nouveau")
    phone.get_by_label("Nom du dossier").fill("Angine Dr Alaoui")
    phone.get_by_role("button", name="Créer le dossier").tap()
    phone.get_by_label("Date de l'acte").fill("2026-11-02")
    phone.get_by_label("Montant payé (DH)").fill("150")
    phone.get_by_role("button", name="Ajouter l'acte").tap()
    phone.get_by_text("Ajouter un acte").tap()
    phone.get_by_label("Acte", exact=True).select_option("analyses")
    phone.get_by_label("Montant payé (DH)").fill("300")
    phone.get_by_role("button", name="Ajouter l'acte").tap()
    expect(phone.get_by_text("300,00 DH")).to_be_visible()
    claim_url = phone.url.split("#")[0]
    if locale == "ar":
        phone.goto(live_server + "/profil/")
        phone.locator("#locale").select_option("ar")
        phone.locator("form[action$='/langue'] button").tap()
        expect(phone.locator("html")).to_have_attribute("dir", "rtl")
        phone.goto(claim_url)

    expect(phone.locator("#valeurs-seules")).to_be_visible()  # an official sheet is in force for the claim
    phone.locator("input[name=piece][value=ordonnance]").check()
    count = phone.locator("input[name=nombre-ordonnance]")
    expect(count).to_have_value("1")  # ticking a line shows one document
    phone.locator("input[name=piece][value=facture_medecin]").check()
    expect(phone.locator("#pieces-attachments")).to_have_text("2")
    count.fill("3")
    count.blur()
    expect(phone.locator("#pieces-attachments")).to_have_text("4")  # saved by the page's script, sum shown back
    phone.locator("input[name=nombre-facture_medecin]").fill("60")
    phone.locator("input[name=nombre-facture_medecin]").blur()
    expect(phone.locator("#pieces-status")).to_contain_text("50")  # refused, said beside the list
    phone.reload()
    expect(phone.locator("input[name=nombre-ordonnance]")).to_have_value("3")  # survives a reload
    expect(phone.locator("input[name=nombre-facture_medecin]")).to_have_value("1")  # the refused 60 saved nothing
    expect(phone.locator("#pieces-attachments")).to_have_text("4")
    phone.locator("input[name=nombre-ordonnance]").scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / f"pieces-jointes-count-{locale}.png"))
    phone.goto(claim_url)
    phone.screenshot(path=str(shots / f"values-only-link-{locale}.png"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto(live_server + "/profil/#impression")
    phone.locator("#offset_x").fill("1,5")
    phone.locator("#offset_y").fill("-2")
    phone.locator("#impression button[type=submit]").tap()
    expect(phone.locator("#offset_x")).to_have_value("1,5")
    phone.locator("#offset_x").fill("20")
    phone.locator("#impression button[type=submit]").tap()
    expect(phone.locator(".flash-warning")).to_contain_text("15")
    expect(phone.locator("#offset_x")).to_have_value("1,5")  # the saved offset is kept
    expect(phone.locator("#offset_y")).to_have_value("-2,0")
    phone.locator(".flash-warning").scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / f"print-offset-message-{locale}.png"))
    phone.locator("#impression").scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / f"print-offset-refused-{locale}.png"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
