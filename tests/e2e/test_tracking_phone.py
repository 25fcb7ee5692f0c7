"""After posting, on a phone: record a payment, see the timeline, "Mes chiffres" and the data page."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from claimkit.domain.claims import Act, ActType
from claimkit.services import claims, profiles, tracking
from claimkit.services.profiles import ProfileInput
from claimkit.web.deps import deps
from tests.conftest import FakeClock
from tests.e2e.conftest import sign_up_by_mail

pytestmark = pytest.mark.e2e


def test_tracking_figures_and_data_pages(app: Flask, clock: FakeClock, live_server: str, phone: Page,
                                         shots: Path) -> None:  # fmt: skip
    sign_up_by_mail(phone, live_server, app, "salma@example.ma")
    with deps(app).sessions() as db:
        profiles.save_profile(db, clock, 1, ProfileInput("Idrissi", "Salma", "CD654321", "", None, "",
                                                         "8 av. Hassan II, Fès", "", "mandat", "", False))  # fmt: skip
        for month, (label, amount) in enumerate((("Grippe", "150"), ("Lunettes", "420"), ("Angine", "230")), 8):
            claim = claims.create_claim(db, clock, 1, "maladie", label)
            claims.add_act(db, clock, 1, claim.id, Act(date(2026, month, 3), ActType.CONSULTATION_SPECIALISTE,
                                                                   Decimal(amount), "Dr Tazi"))  # fmt: skip
            claims.set_ticks(db, clock, 1, claim.id, {"feuille_maladie", "facture_medecin"})
            claims.mark_sent(db, clock, 1, claim.id, date(2026, month, 6), f"RR{month}MA")
        tracking.mark_received(db, clock, 1, 1, date(2026, 8, 20))
        tracking.record_payment(
            db, clock, 1, 1, tracking.PaymentInput(date(2026, 9, 28), Decimal("120"), "mandat", "M-88")
        )
        tracking.reject(db, clock, 1, 2, date(2026, 10, 1), "Ordonnance manquante")
    phone.goto(f"{live_server}/dossiers/3")
    phone.get_by_text("J'ai reçu un remboursement").tap()
    phone.get_by_label("Date du paiement").fill("2026-11-20")
    phone.get_by_label("Montant reçu (DH)").fill("96,00")
    phone.get_by_label("Virement sur mon RIB").check()
    phone.get_by_role("button", name="Enregistrer le remboursement").tap()
    expect(phone.get_by_text("Remboursement enregistré.")).to_be_visible()
    phone.locator("#suivi").scroll_into_view_if_needed()
    phone.screenshot(path=str(shots / "claim-timeline-fr.png"), full_page=True)

    phone.goto(f"{live_server}/chiffres")
    expect(phone.get_by_role("heading", name="Année 2026")).to_be_visible()
    expect(phone.locator("svg.chart")).to_be_visible()
    phone.screenshot(path=str(shots / "figures-fr.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    phone.goto(f"{live_server}/donnees")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Dossiers et paiements (tableur, CSV)").tap()
    assert download.value.suggested_filename == "claimkit-dossiers.csv"
    phone.screenshot(path=str(shots / "data-export-fr.png"), full_page=True)
