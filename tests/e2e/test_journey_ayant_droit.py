"""Law 54-23 on a phone, once in French and once in Arabic: a student whose care falls after the cut-over fills
the "parent assuré" block and gets a packet where the parent is the assuré ("Enfant" ticked) and signs.

Screenshots (the profile block, the dashboard notice, the packet's cover and first sheet) land in
docs/screenshots/ayant-droit-{fr,ar}-*.png with `make screenshots`, else in a temp dir.
"""

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from claimkit.adapters import l10n
from tests.e2e.conftest import PHONE, ROOT, new_claim_with_act, sign_up_by_mail
from tests.integration.test_packet import text_of

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DATA = ROOT / "claimkit" / "data" / "cnss_54_23.json"


@pytest.fixture(params=["fr", "ar"])
def lang(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(browser: Browser, lang: str) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="fr-MA" if lang == "fr" else "ar-MA")  # fmt: skip
    context.add_init_script(path=str(AXE))
    yield context.new_page()
    context.close()


def blocking_violations(page: Page) -> list[str]:
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => `${v.id} (${v.impact})`)"
    )
    return [v for v in found if v.endswith(("(serious)", "(critical)"))]


def cli(app: Flask, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("restore_reference")
def test_ayant_droit_journey(app: Flask, live_server: str, page: Page, lang: str, shots: Path, tmp_path: Path) -> None:
    t = l10n.translations(lang).gettext
    cli(app, "reference", "load", str(DATA))
    cli(app, "scheme", "cutover", "2026-11-20")  # the app's clock reads 25 November 2026

    sign_up_by_mail(page, live_server, app, f"salma.{lang}@example.ma", lang)  # the phone's language picks

    expect(page.get_by_role("heading", level=1)).to_have_text(t("Mon profil"))
    expect(page.locator("html")).to_have_attribute("dir", l10n.text_direction(lang))
    page.get_by_label(t("Nom (lettres latines, comme sur la CNIE)"), exact=True).fill("Bennani")
    page.get_by_label(t("Prénom"), exact=True).fill("Salma")
    page.get_by_label(t("N° de CNIE (porté dans la case « N° d'immatriculation »)"), exact=True).fill("ab 123456")
    page.get_by_label(t("Adresse postale"), exact=True).fill("Cité universitaire, ch. 12\nRabat")
    block = page.locator("fieldset#parent")
    expect(block.locator("legend")).to_have_text(t("Parent assuré (facultatif)"))
    block.get_by_label(t("Nom et prénom du parent (lettres latines)"), exact=True).fill("Bennani Karim")
    block.get_by_label(t("N° d'immatriculation CNSS du parent"), exact=True).fill("BK654321")  # the CIN, by mistake
    block.get_by_label(t("N° de CIN du parent"), exact=True).fill("bk 654321")
    block.get_by_label(t("Caisse du parent"), exact=True).select_option("cnss_prive")
    block.get_by_label(t("Adresse du parent"), exact=True).fill("7 rue Ibn Sina\nFès")
    page.get_by_role("button", name=t("Enregistrer"), exact=True).tap()

    block = page.locator("fieldset#parent")  # refused in the reader's language, nothing typed is lost
    expect(block).to_contain_text(
        t("Le N° d'immatriculation CNSS ne contient que des chiffres (ce n'est pas le n° de CIN).")
    )
    expect(block.get_by_label(t("Adresse du parent"), exact=True)).to_have_value("7 rue Ibn Sina\nFès")
    assert blocking_violations(page) == []
    block.scroll_into_view_if_needed()
    block.screenshot(path=str(shots / f"ayant-droit-{lang}-01-profile-parent-error.png"))
    block.get_by_label(t("N° d'immatriculation CNSS du parent"), exact=True).fill("123 456 789")
    page.get_by_role("button", name=t("Enregistrer"), exact=True).tap()
    expect(page.locator(".flash").filter(has_text=t("Profil enregistré."))).to_be_visible()
    block = page.locator("fieldset#parent")
    expect(block.get_by_label(t("N° d'immatriculation CNSS du parent"), exact=True)).to_have_value("123456789")
    block.screenshot(path=str(shots / f"ayant-droit-{lang}-02-profile-parent.png"))

    page.goto(live_server + "/")
    notice = page.locator("#loi-54-23")
    expect(notice).to_contain_text("20")  # the cut-over date, in the reader's format
    expect(notice).to_contain_text(t("J'ai compris"))
    assert blocking_violations(page) == []
    page.screenshot(path=str(shots / f"ayant-droit-{lang}-03-dashboard-notice.png"))
    notice.get_by_role("button", name=t("J'ai compris"), exact=True).tap()
    expect(page.locator("#loi-54-23")).to_have_count(0)

    new_claim_with_act(page, lang, "2026-11-23", "200")
    claim_url = page.url.split("#")[0]

    response = page.request.get(claim_url + "/packet.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "packet.pdf"
    pdf.write_bytes(response.body())
    text = text_of(response.body(), tmp_path)
    expected = ("ASSURÉ(E) : LE PARENT", "Bennani Karim", "N° d'immatriculation : 123456789", "105,00",
                "649, boulevard Mohammed V", "Lien de parenté : Enfant")  # fmt: skip
    assert [e for e in expected if e not in text] == []  # 105,00 DH: 70 % of the CNSS's 150 DH tariff
    sheet_pdf = page.request.get(claim_url + "/feuilles/maladie.pdf").body()
    values = {n: str(f.get("/V", "")) for n, f in (PdfReader(io.BytesIO(sheet_pdf)).get_fields() or {}).items()}
    assert (values["assure_nom_prenom"], values["assure_lien_enfant"]) == ("Bennani Karim", "/Yes")
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "p")], check=True)
    cover, sheet = sorted(tmp_path.glob("p-*.png"))
    cover.replace(shots / f"ayant-droit-{lang}-04-packet-cover.png")
    sheet.replace(shots / f"ayant-droit-{lang}-05-packet-first-sheet.png")
