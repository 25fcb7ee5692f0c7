"""The sign-up and profile pages on a phone, in a real browser."""

from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, mail_link

pytestmark = pytest.mark.e2e


def test_signup_then_profile_with_wrong_rib(app: Flask, live_server: str, phone: Page, shots: Path) -> None:
    phone.goto(live_server + "/")
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Remboursez vos soins")
    phone.get_by_label("Adresse électronique").fill("yasmine@example.ma")
    phone.get_by_role("button", name="Recevoir le lien d'inscription").tap()
    phone.wait_for_url("**/compte/inscription/envoye")
    phone.goto(live_server + mail_link(app, "yasmine@example.ma", "/compte/inscription/"))
    phone.get_by_label("Mot de passe (10 caractères au moins)").fill(PASSWORD)
    phone.get_by_label("Confirmez le mot de passe").fill(PASSWORD)
    phone.get_by_label("J'accepte").check()
    phone.screenshot(path=str(shots / "signup-fr.png"), full_page=True)
    phone.get_by_role("button", name="Créer mon compte").tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Mon profil")
    phone.get_by_label("Nom (lettres latines").fill("El Amrani")
    phone.get_by_label("Prénom", exact=True).fill("Yasmine")
    phone.get_by_label("N° de CNIE").fill("bk 654321")
    phone.get_by_label("Virement sur mon compte (RIB)").check()
    phone.get_by_label("RIB (24 chiffres)").fill("011 780 0000012345678901 99")
    phone.get_by_role("button", name="Enregistrer").tap()

    error = phone.locator("#rib-err")
    expect(error).to_contain_text("La clé du RIB (2 derniers chiffres) ne correspond pas")
    expect(phone.get_by_label("Nom (lettres latines")).to_have_value("El Amrani")
    assert phone.get_by_label("RIB (24 chiffres)").get_attribute("aria-invalid") == "true"
    phone.locator("#rib").scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / "profile-rib-error-fr.png"))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone"
    button_height = phone.get_by_role("button", name="Enregistrer").bounding_box()
    assert button_height is not None and button_height["height"] >= 44
