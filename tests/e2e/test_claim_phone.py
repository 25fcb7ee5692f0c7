"""A claim on a phone: create, add an act with a French amount, tick the checklist, see the dashboard."""

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.conftest import FakeClock
from tests.e2e.conftest import sign_up_with_profile

pytestmark = pytest.mark.e2e


def test_claim_on_a_phone(app: Flask, clock: FakeClock, live_server: str, phone: Page, shots: Path) -> None:
    sign_up_with_profile(phone, live_server, app, clock)
    phone.goto(live_server + "/")
    expect(phone.get_by_text("Comment ça marche")).to_be_visible()
    phone.get_by_role("link", name="+ Nouvelle feuille").tap()
    phone.get_by_label("Nom du dossier").fill("Angine")
    phone.get_by_role("button", name="Créer le dossier").tap()

    phone.get_by_label("Date de l'acte").fill("2026-11-02")
    phone.get_by_label("Montant payé (DH)").fill("150")
    phone.get_by_label("Médecin, pharmacie ou laboratoire").fill("Dr Alaoui")
    phone.get_by_role("button", name="Ajouter l'acte").tap()
    expect(phone.get_by_text("Acte ajouté.")).to_be_visible()

    phone.get_by_text("Ajouter un acte").tap()
    phone.get_by_label("Acte", exact=True).select_option("pharmacie")
    phone.get_by_label("Montant payé (DH)").fill("34,90")
    phone.get_by_role("button", name="Ajouter l'acte").tap()
    expect(phone.get_by_text("34,90 DH")).to_be_visible()
    expect(phone.get_by_text("Il reste 37 jours").first).to_be_visible()  # 2 Nov + 60 days = 1 Jan; 25 Nov → 37 days

    phone.locator("#pieces").scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / "claim-checklist-fr.png"))
    phone.get_by_role("checkbox", name="Feuille de soins maladie").check()
    phone.get_by_role("checkbox", name="Ordonnance originale").check()
    phone.get_by_role("checkbox", name="Facture ou note d'honoraires du médecin").check()
    phone.get_by_role("checkbox", name="Codes des médicaments").check()  # required: docs/domain.md#checklist
    # each tick is saved as it is made (static/ticks.js); the page reloads once the claim becomes ready
    expect(phone.get_by_text("le dossier est prêt à envoyer")).to_be_visible()
    phone.goto(phone.url.split("#")[0])
    phone.screenshot(path=str(shots / "claim-fr.png"))

    phone.goto(live_server + "/")
    expect(phone.get_by_text("Prête à envoyer")).to_be_visible()
    phone.screenshot(path=str(shots / "dashboard-fr.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
