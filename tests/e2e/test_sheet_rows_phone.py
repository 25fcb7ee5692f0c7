"""A claim's acts against its sheet's rows on a 390 px phone, in French and Arabic with Latin user text
(docs/domain.md#acts-on-one-sheet): a full sheet offers a new claim instead of the act form; a claim holding more
is blocked, and its button moves the extra act to a new claim. `CLAIMKIT_SCREENSHOTS=1` writes the screens to
docs/screenshots/."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect

from claimkit.adapters import l10n
from claimkit.adapters.db.models import Act
from claimkit.domain.claims import Act as ActData
from claimkit.domain.claims import ActType
from claimkit.services import claims, profiles
from claimkit.web.deps import deps
from tests.conftest import FakeClock
from tests.e2e.conftest import KARIM, PHONE, sign_up_by_mail

pytestmark = pytest.mark.e2e


def _claim_with_six_acts(app: Flask, clock: FakeClock, label: str) -> int:
    with deps(app).sessions() as db:
        claim_id = claims.create_claim(db, clock, 1, "maladie", label).id
        for day in range(10, 16):
            act = ActData(date(2026, 11, day), ActType.CONSULTATION_GENERALISTE, Decimal("150"), "Dr Benani")
            claims.add_act(db, clock, 1, claim_id, act)
    return claim_id


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_full_and_overflowing_sheets_on_a_phone(
    app: Flask, clock: FakeClock, live_server: str, browser: Browser, shots: Path, lang: str
) -> None:
    t = l10n.translations(lang).gettext
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale=f"{lang}-MA"
    )
    page = context.new_page()
    sign_up_by_mail(page, live_server, app, f"karim.{lang}@example.ma", lang)
    with deps(app).sessions() as db:
        profiles.save_profile(db, clock, 1, KARIM)
    full = _claim_with_six_acts(app, clock, "Grippe Agdal")
    page.goto(f"{live_server}/dossiers/{full}#actes")
    expect(page.locator("#feuille-pleine")).to_be_visible()
    assert page.locator("#feuille-pleine").get_attribute("role") == "note"
    expect(page.locator("#feuille-pleine a")).to_have_text(t("Nouveau dossier"))
    page.locator("#actes").scroll_into_view_if_needed()
    page.locator("#feuille-pleine").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"sheet-rows-{lang}-01-full.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    over = _claim_with_six_acts(app, clock, "Angine Hay Riad")
    with deps(app).sessions() as db:  # as a claim made before the rule holds it
        db.add(Act(claim_id=over, performed_on=date(2026, 11, 20), type="radiologie", amount=Decimal("400")))
        db.commit()
    page.goto(f"{live_server}/dossiers/{over}")
    box = page.locator("#actes-en-trop")
    expect(box).to_be_visible()
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"sheet-rows-{lang}-02-blocked.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box.get_by_role("button", name=t("Déplacer les actes en trop dans un nouveau dossier")).tap()
    moved = t("Les actes en trop sont maintenant dans ce nouveau dossier, avec sa propre feuille de soins.")
    expect(page.locator(".flash").filter(has_text=moved)).to_be_visible()
    expect(page.locator("#actes-en-trop")).to_have_count(0)
    page.screenshot(path=str(shots / f"sheet-rows-{lang}-03-moved.png"))
    context.close()
