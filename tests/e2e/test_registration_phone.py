"""Issue 15 on a phone, in French and in Arabic: the profile's « Immatriculation et droits » block (status in the
CNOPS's words, the attestation kept and downloaded), the advice before the first claim, and a claim whose date of
care falls after the 31st birthday and in the 6 months of maintained rights, on its page and on the packet cover.

Screenshots land in docs/screenshots/registration-{fr,ar}-*.png with `make screenshots`, else in a temp dir.
"""

import subprocess
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from claimkit.adapters import l10n
from claimkit.domain.registration import ADVICE, STATUS_LABELS, Status
from tests.e2e import test_journey_ayant_droit as journey
from tests.e2e.conftest import ATTESTATION_LABEL, PHONE, new_claim_with_act, sign_up_by_mail
from tests.e2e.test_journey_ayant_droit import blocking_violations
from tests.integration.test_packet import text_of
from tests.integration.test_registration import attestation_pdf

pytestmark = pytest.mark.e2e
# The phone in the reader's language, once French and once Arabic: the fixtures of the law 54-23 journey.
lang, page = journey.lang, journey.page


def test_status_block_advice_and_a_claim_with_a_rights_warning(
    app: Flask, live_server: str, page: Page, lang: str, shots: Path, tmp_path: Path
) -> None:
    t = l10n.translations(lang).gettext
    sign_up_by_mail(page, live_server, app, f"nadia.{lang}@example.ma", lang)
    page.get_by_label(t("Nom (lettres latines, comme sur la CNIE)"), exact=True).fill("Idrissi")
    page.get_by_label(t("Prénom"), exact=True).fill("Nadia")
    page.get_by_label(t("N° de CNIE (porté dans la case « N° d'immatriculation »)"), exact=True).fill("ab 123456")
    page.get_by_label(t("Date de naissance"), exact=True).fill("1995-11-10")  # 31 on 10 November 2026
    page.get_by_role("button", name=t("Enregistrer"), exact=True).tap()
    expect(page.locator(".flash").filter(has_text=t("Profil enregistré."))).to_be_visible()

    block = page.locator("#immatriculation")
    block.get_by_label(t(STATUS_LABELS[Status.NON_RECUE]), exact=True).check()
    pdf = tmp_path / "attestation.pdf"
    pdf.write_bytes(attestation_pdf())
    block.get_by_label(l10n.render(ATTESTATION_LABEL, lang), exact=True).set_input_files(str(pdf))
    block.get_by_label(t("Lettre recommandée de la CNOPS (changement de statut) datée du"), exact=True).fill(
        "2026-05-01"
    )
    block.get_by_role("button", name=t("Mettre à jour ma situation"), exact=True).tap()
    expect(page.locator(".flash").filter(has_text=t("Situation enregistrée."))).to_be_visible()
    block = page.locator("#immatriculation")
    expect(block.locator("#statut-conseil")).to_contain_text(t("demande non reçue par la CNOPS"))
    expect(block.get_by_label(t(STATUS_LABELS[Status.NON_RECUE]), exact=True)).to_be_checked()
    assert blocking_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    block.scroll_into_view_if_needed()
    block.screenshot(path=str(shots / f"registration-{lang}-01-profile-status.png"))
    with page.expect_download() as download:
        block.get_by_role("link", name=t("Télécharger l'attestation"), exact=True).tap()
    assert download.value.suggested_filename == "attestation-immatriculation.pdf"
    assert Path(download.value.path()).read_bytes() == pdf.read_bytes()

    page.goto(live_server + "/")
    advice = page.locator("#avant-dossier")
    expect(advice).to_contain_text(t(ADVICE[Status.NON_RECUE][0]))
    assert blocking_violations(page) == []
    page.screenshot(path=str(shots / f"registration-{lang}-02-dashboard-advice.png"))

    new_claim_with_act(page, lang, "2026-11-12", "150")
    rights = page.locator("#droits")
    expect(rights).to_contain_text("12/11/2026")
    expect(rights.locator("li")).to_have_count(2)  # over 30 on the care day; in the 6 months of maintained rights
    assert blocking_violations(page) == []
    rights.scroll_into_view_if_needed()
    page.screenshot(path=str(shots / f"registration-{lang}-03-claim-warning.png"))

    response = page.request.get(page.url.split("#")[0] + "/packet.pdf")
    assert response.ok
    packet = tmp_path / "packet.pdf"
    packet.write_bytes(response.body())
    text = " ".join(text_of(response.body(), tmp_path).split())
    if lang == "fr":
        assert "À vérifier avant d'envoyer : vos droits le jour des soins" in text
        assert "vous aviez plus de 30 ans (depuis le 10/11/2026)" in text and "jusqu'au 29/11/2026" in text
    else:
        assert "12/11/2026" in text and "29/11/2026" in text
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(packet), str(tmp_path / "p")], check=True)
    (cover,) = sorted(tmp_path.glob("p-*.png"))
    cover.replace(shots / f"registration-{lang}-04-packet-cover.png")
