"""Issue 17's screens on a 390 px phone, in French and Arabic, with Latin user text inside the Arabic pages: every
error of a form at once (sign-up, profile, act), a medicine's strength and DCI (scan screen, claim page), the
timeline's stored words in the reader's language. `CLAIMKIT_SCREENSHOTS=1` writes them to docs/screenshots/."""

import re
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD, mail_link
from tests.e2e.conftest import PHONE

pytestmark = pytest.mark.e2e
ELOXATINE = "6118001081103"


def phone_in(browser: Browser, lang: str) -> Page:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="fr-MA" if lang == "fr" else "ar-MA")  # fmt: skip
    return context.new_page()


def post(page: Page, base: str, form_page: str, path: str, data: dict[str, str]) -> None:
    """A form sent with the browser's own cookies (the set-up steps a screen does not show)."""
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.request.get(base + form_page).text())
    assert token
    response = page.request.post(base + path, form={"csrf_token": token.group(1), **data}, max_redirects=0)
    assert response.status in (200, 302), (path, response.status)


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_issue17_screens(app: Flask, live_server: str, browser: Browser, shots: Path, lang: str) -> None:
    page, base = phone_in(browser, lang), live_server
    email = f"yasmine.{lang}@example.ma"
    page.goto(base + "/compte/inscription")  # mail-first (issue 18): the address, then the mailed link
    page.locator("#email").fill(email)
    page.locator("button.primary[type=submit]").tap()
    page.wait_for_url("**/compte/inscription/envoye")
    page.goto(base + mail_link(app, email, "/compte/inscription/"))
    page.locator("#password").fill("aaaaaaaaaa")
    page.locator("#confirm").fill("autre")
    page.locator("button.primary[type=submit]").tap()
    expect(page.locator("#password-err")).to_be_visible()
    assert page.locator("p.error").count() >= 3 and page.locator(".errors-summary a").count() >= 3
    page.screenshot(path=str(shots / f"issue17-{lang}-01-signup-all-errors.png"), full_page=True)

    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("#consent").check()
    page.locator("button.primary[type=submit]").tap()
    page.wait_for_url("**/profil/")
    page.locator("#nom").fill("El Amrani")
    page.locator("#prenom").fill("Yasmine")
    page.locator("#cnie").fill("bk#654321")
    page.locator("#telephone").fill("12")
    page.locator("#parent_adresse").fill("5 rue Ibn Sina, 10000 Rabat")
    page.locator("form[action$='/profil/'] button[type=submit]").tap()
    expect(page.locator("#cnie-err")).to_be_visible()
    page.screenshot(path=str(shots / f"issue17-{lang}-02-profile-all-errors.png"), full_page=True)
    page.locator("#cnie").fill("BK654321")
    page.locator("#telephone").fill("0612345678")
    page.locator("#parent_adresse").fill("")
    page.locator("#adresse").fill("12 rue Oued Fès, Agdal\n10090 Rabat")
    page.locator("form[action$='/profil/'] button[type=submit]").tap()
    expect(page.locator(".flash").first).to_be_visible()

    post(page, base, "/dossiers/nouveau", "/dossiers/nouveau", {"kind": "dentaire", "label": "Carie molaire · 28"})
    claim = base + "/dossiers/1"  # each run has its own database
    path = claim.removeprefix(base)
    act = {"performed_on": "2026-11-03", "type": "soins_dentaires", "amount": "400", "practitioner": "Dr Tazi"}
    post(page, base, path, path + "/actes", act)
    page.goto(claim + "/scanner")
    page.locator("input[name=code]").fill(ELOXATINE)
    page.locator("#code-form button[type=submit]").tap()
    expect(page.get_by_text("100 MG · OXALIPLATINE")).to_be_visible()
    page.screenshot(path=str(shots / f"issue17-{lang}-03-scan-strength-dci.png"), full_page=True)
    page.locator("form[action$='/medicaments'] button[type=submit]").tap()
    page.wait_for_url(re.compile(r"/dossiers/1(#.*)?$"))

    page.goto(claim + "#acte")
    if not page.locator("#acte[open]").count():
        page.locator("#acte summary").tap()
    page.locator("#performed_on").fill("2027-01-10")
    page.locator("#amount").fill("0")
    page.locator("#ice").fill("123456789012345")
    page.locator("form[action$='/actes'] button[type=submit]").tap()
    expect(page.locator("#amount-err")).to_be_visible()
    page.locator("#acte").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"issue17-{lang}-04-act-all-errors.png"))
    page.locator("#medicaments").scroll_into_view_if_needed()
    expect(page.locator("#medicaments .med-detail")).to_contain_text("100 MG · OXALIPLATINE")
    page.screenshot(path=str(shots / f"issue17-{lang}-05-claim-medicine-dci.png"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
