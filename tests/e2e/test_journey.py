"""A new student's whole journey on a phone, once in French and once in Arabic, checked by axe-core on every page.

The labels are looked up through the app's own catalogue (`t`), so the Arabic run fails when a step shows an
untranslated French string. Every page the app serves as HTML is visited (a new route fails the test until it is
added here) and axe-core, pinned in package.json and injected before any page script, must report no serious or
critical violation. A screenshot of each step lands in docs/screenshots/ with `make screenshots`.
"""

import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select

from claimkit.adapters import l10n
from claimkit.adapters.db.models import Claim, User
from claimkit.domain.claims import KIND_LABELS, ClaimKind
from claimkit.domain.messages import Message
from claimkit.services import notifications
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, mail_link
from tests.e2e.conftest import PASSWORD_LABEL, PHONE, REPORT, ROOT, SHEET_LABEL
from tests.integration.test_profile import RIB
from tests.integration.test_scan_route import rendered_barcode
from tests.official_sheets import Sheet, sheet_pdf

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Visible controls shorter than 44 CSS px (links inside a sentence are exempt, as in WCAG 2.5.8).
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, select, textarea, summary, a.button, nav a,'
    + 'input:not([type=hidden]):not([type=checkbox]):not([type=radio])')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
  .map(e => `${e.tagName.toLowerCase()} "${(e.innerText || e.name || '').trim().slice(0, 30)}"`
            + ` ${Math.round(e.getBoundingClientRect().height)}px`)"""
# GET endpoints that are not HTML pages (files, feeds, redirects after a capability link).
NOT_PAGES = {
    "static", "main.service_worker", "main.manifest", "notifications.feed",
    "notifications.confirm", "claims.packet", "claims_en.packet_en", "claims.fillable", "account.export_csv",
    "account.export_zip", "photos.show", "registration.attestation", "registration.edit", "claims.values_only",
    "profile.calibration", "claims.sheet_png",
}  # fmt: skip


def axe_violations(page: Page) -> list[dict[str, Any]]:
    violations: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return violations


@dataclass
class Journey:
    """One student's phone, the language's catalogue, and what axe found on each page visited."""

    page: Page
    lang: str
    shots: Path
    t: Callable[[str], str]
    steps: int = 0
    scripts: bool = True  # False: the same journey with JavaScript disabled (everything but the live camera works)
    audited: dict[str, list[str]] = field(default_factory=dict)
    minor: dict[str, int] = field(default_factory=dict)  # moderate and minor violations, printed, not blocking

    def check(self, name: str, endpoint: str, full_page: bool = True, between: str = "") -> None:
        """Runs axe on the page as it is now and saves the step's screenshot. `between` ("a", "b"…) numbers a
        step after the previous one without shifting the numbers of the next (the README shows some of them)."""
        self.steps += 0 if between else 1
        self.page.wait_for_load_state()
        # axe needs the page's timers, which are off without JavaScript: those pages are audited in the other runs.
        found = axe_violations(self.page) if self.scripts else []
        blocking = [f"{v['id']} ({v['impact']}): {v['nodes'][:3]}" for v in found if v["impact"] in BLOCKING]
        self.audited.setdefault(endpoint, []).extend(blocking)
        self.minor[endpoint] = self.minor.get(endpoint, 0) + len(found) - len(blocking)
        assert self.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], f"{name} scrolls sideways"
        small = self.page.evaluate(SMALL_TARGETS)
        assert small == [], f"{name}: tap targets under 44 px: {small}"
        if self.scripts:
            self.page.screenshot(path=str(self.shots / f"journey-{self.lang}-{self.steps:02d}{between}-{name}.png"),
                                 full_page=full_page)  # fmt: skip

    def field(self, msgid: str) -> Locator:
        return self.page.get_by_label(self.t(msgid), exact=True)

    def button(self, msgid: str) -> None:
        self.page.get_by_role("button", name=self.t(msgid), exact=True).tap()

    def flash(self, msgid: str) -> None:
        expect(self.page.locator(".flash").filter(has_text=self.t(msgid))).to_be_visible()


@pytest.fixture(params=[("fr", True), ("ar", True), ("fr", False)], ids=["fr", "ar", "fr-sans-javascript"])
def journey(request: pytest.FixtureRequest, browser: Browser, shots: Path) -> Iterator[Journey]:
    lang, scripts = request.param
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="fr-MA" if lang == "fr" else "ar-MA", java_script_enabled=scripts)  # fmt: skip
    context.add_init_script(path=str(AXE))  # Playwright still injects it when the page's own scripts are off
    page = context.new_page()
    yield Journey(page, lang, shots, l10n.translations(lang).gettext, scripts=scripts)
    context.close()


def sign_up_with_a_wrong_rib_first(j: Journey, base: str, app: Flask) -> None:
    """Mail-first sign-up: the address, "check your mailbox", the link of the mail in the outbox folder (what a
    newcomer clicks in instance/outbox/ with `make run`), then the password and consent."""
    page, t = j.page, j.t
    email = f"yasmine.{j.lang}@example.ma"
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("dir", l10n.text_direction(j.lang))
    j.field("Adresse électronique").fill(email)
    j.check("signup", "auth.signup")
    j.button("Recevoir le lien d'inscription")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Vérifiez votre boîte mail"))
    j.check("signup-sent", "auth.signup_sent", between="a")
    page.goto(base + mail_link(app, email, "/compte/inscription/"))
    expect(page.get_by_text(email)).to_be_visible()
    j.page.get_by_label(l10n.render(PASSWORD_LABEL, j.lang), exact=True).fill(PASSWORD)
    j.field("Confirmez le mot de passe").fill(PASSWORD)
    j.field(
        "J'accepte que claimkit conserve mes données de santé (actes, montants, médicaments) "
        "pour préparer mes dossiers de remboursement."
    ).check()
    j.check("signup-finish", "auth.signup_finish", between="b")
    j.button("Créer mon compte")

    expect(page.get_by_role("heading", level=1)).to_have_text(t("Mon profil"))
    j.field("Nom (lettres latines, comme sur la CNIE)").fill("El Amrani")
    j.field("Prénom").fill("Yasmine")
    j.field("Nom en arabe (facultatif)").fill("العمراني")
    j.field("Prénom en arabe (facultatif)").fill("ياسمين")
    j.field("N° de CNIE (porté dans la case « N° d'immatriculation »)").fill("bk 654321")
    j.field("Adresse postale").fill("12 rue Oqba, Agdal\nRabat")
    j.field("Virement sur mon compte (RIB)").check()
    rib = j.field("RIB (24 chiffres) ou IBAN (MA…), espaces acceptés")
    rib.fill(RIB[:-1] + str((int(RIB[-1]) + 1) % 10))  # one digit off: the key no longer matches
    j.button("Enregistrer")

    expect(page.locator("#rib-err")).to_have_text(
        t("La clé du RIB (2 derniers chiffres) ne correspond pas : vérifiez chaque chiffre.")
    )
    assert rib.get_attribute("aria-invalid") == "true"
    expect(j.field("Nom (lettres latines, comme sur la CNIE)")).to_have_value("El Amrani")
    rib.scroll_into_view_if_needed()
    j.check("profile-wrong-rib", "profile.edit", full_page=False)
    rib.fill(RIB)
    j.button("Enregistrer")
    j.flash("Profil enregistré.")
    j.check("profile-saved", "profile.edit")


def create_claim_with_two_acts(j: Journey, base: str) -> None:
    page, t = j.page, j.t
    page.goto(base + "/")
    j.check("dashboard-empty", "main.home")
    page.get_by_role("link", name=t("Nouvelle feuille"), exact=False).first.tap()
    j.field(KIND_LABELS[ClaimKind.MALADIE]).check()
    j.field("Nom du dossier (facultatif, ex. « Angine mars »)").fill("Angine")
    j.check("new-claim", "claims.new")
    j.button("Créer le dossier")

    j.field("Date de l'acte").fill("2026-11-02")
    j.field("Acte").select_option("consultation_generaliste")
    j.field("Montant payé (DH)").fill("150")
    j.field("Médecin, pharmacie ou laboratoire").fill("Dr Alaoui")
    j.button("Ajouter l'acte")
    j.flash("Acte ajouté.")
    page.get_by_text(t("Ajouter un acte"), exact=True).tap()
    j.field("Date de l'acte").fill("2026-11-02")
    j.field("Acte").select_option("pharmacie")
    j.field("Montant payé (DH)").fill("34,90")
    j.button("Ajouter l'acte")
    expect(page.locator("#actes")).to_contain_text(l10n.money(Decimal("34.90"), j.lang))
    expect(page.locator("#actes")).to_contain_text(l10n.day(date(2026, 11, 2), j.lang, "medium"))
    # the GP's fee is above the 80 DH TNR in force on the day of care (issue 15: rates of the date of care)
    tnr = Message(
        "%(rate)s du TNR de %(tnr)s (tarif national de référence du %(day)s)",
        {"rate": "80 %", "tnr": Decimal(80), "day": date(2026, 11, 2)},
    )
    expect(page.locator("#estimation")).to_contain_text(l10n.render(tnr, j.lang))
    j.check("claim-two-acts", "claims.show")
    edit_an_act_and_keep_one_from_deletion(j)


def edit_an_act_and_keep_one_from_deletion(j: Journey) -> None:
    """Issue 17: an act typed wrong is edited in place (the history says so); "Supprimer" asks first."""
    page, t = j.page, j.t
    page.get_by_role("link", name=t("Modifier cet acte")).first.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Modifier l'acte"))
    expect(j.field("Montant payé (DH)")).to_have_value(re.compile(r"^150[,.]00$"))
    j.check("edit-act", "claims.edit_act")
    j.field("Montant payé (DH)").fill("160")
    j.button("Enregistrer la modification")
    j.flash("Acte modifié.")
    expect(page.locator("#actes")).to_contain_text(l10n.money(Decimal(160), j.lang))
    expect(page.locator("#historique")).to_contain_text(t("Acte modifié"))
    page.get_by_role("link", name=t("Supprimer cet acte")).last.tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Supprimer cet acte ?"))
    j.check("confirm-remove-act", "claims.confirm_remove_act")
    page.get_by_role("link", name=t("Non, garder")).tap()
    expect(page.locator("#actes")).to_contain_text(l10n.money(Decimal("34.90"), j.lang))


def scan_a_box(j: Journey, photo: Path) -> None:
    page, t = j.page, j.t
    page.get_by_role("link", name=t("Scanner une boîte")).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Scanner un médicament"))
    file_input = j.field("Prendre ou choisir une photo")
    j.check("scan", "scan.page")
    file_input.set_input_files(str(photo))
    j.button("Lire le code-barres")
    expect(page.get_by_text("ZADRYL", exact=True)).to_be_visible()
    expect(page.get_by_text("6 118000 120698")).to_be_visible()
    j.check("scan-confirm", "scan.page")
    j.button("C'est bien ce médicament : l'ajouter")
    j.flash("Médicament ajouté.")
    expect(page.locator("#medicaments")).to_contain_text("ZADRYL")


def tick_checklist_and_download_packet(j: Journey, tmp_path: Path) -> None:
    page, t = j.page, j.t
    boxes = page.locator("#pieces input[type=checkbox]")
    assert boxes.count() >= 3
    for i in range(boxes.count()):
        boxes.nth(i).check()
    if j.scripts:  # each tick is saved as it is made: no button to tap, and a reload keeps them all
        expect(page.get_by_role("button", name=t("Enregistrer les pièces cochées"), exact=True)).to_be_hidden()
        expect(page.get_by_text(t("Tout y est : le dossier est prêt à envoyer."))).to_be_visible(timeout=15000)
    else:
        j.button("Enregistrer les pièces cochées")
    expect(page.get_by_text(t("Tout y est : le dossier est prêt à envoyer."))).to_be_visible()
    page.goto(page.url.split("#")[0])
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count())), [
        (boxes.nth(i).get_attribute("value"), boxes.nth(i).is_checked()) for i in range(boxes.count())
    ]
    j.check("claim-ready", "claims.show")
    attach_a_photo_of_the_original(j, tmp_path)

    claim_page = page.url
    link = page.get_by_role("link", name=t("Imprimer le dossier prêt à poster (PDF)"))
    with page.expect_response(re.compile(r"/packet\.pdf$")) as response:
        link.tap()  # chromium shows it in its PDF viewer; the same request through the browser's session gives the file
    assert response.value.ok and response.value.headers["content-type"] == "application/pdf"
    fetched = page.context.request.get(response.value.url)
    packet = tmp_path / "dossier.pdf"
    packet.write_bytes(fetched.body())
    assert packet.read_bytes().startswith(b"%PDF-")
    # the PDF viewer's navigation must have committed before we leave it (else ours "interrupts" it or it
    # interrupts ours); then back by URL, not go_back(): chromium's PDF viewer may detach the page it replaced
    page.wait_for_url(re.compile(r"/packet\.pdf$"), wait_until="commit")
    page.goto(claim_page)
    text = subprocess.run(["pdftotext", "-layout", str(packet), "-"], capture_output=True, text=True, check=True)
    assert "EL AMRANI Yasmine" in text.stdout and "BK654321" in text.stdout
    share_falls_back_to_the_download(j, tmp_path)


def attach_a_photo_of_the_original(j: Journey, tmp_path: Path) -> None:
    """Issue 17: a photo of the first original, kept with its checklist line and shown as a thumbnail."""
    page = j.page
    from tests.integration.test_photos import photo_with_location

    photo = tmp_path / "ordonnance.jpg"
    photo.write_bytes(photo_with_location())
    page.locator("#pieces details.photo-add summary").first.tap()
    page.locator("#pieces input[type=file]").first.set_input_files(str(photo))
    page.get_by_role("button", name=j.t("Garder la photo"), exact=True).first.tap()
    j.flash("Photo gardée avec cette pièce.")
    thumb = page.locator("#pieces .thumbs img").first
    expect(thumb).to_be_visible()
    assert thumb.evaluate("img => img.complete && Math.max(img.naturalWidth, img.naturalHeight)") == 320
    thumb.scroll_into_view_if_needed()
    j.check("claim-photo", "claims.show", full_page=False)


def share_falls_back_to_the_download(j: Journey, tmp_path: Path) -> None:
    """Issue 17: "Partager" opens the share sheet where the phone has one; here (no Web Share), the PDF downloads."""
    page = j.page
    if j.scripts:
        page.evaluate("delete Navigator.prototype.share; delete Navigator.prototype.canShare")
    with page.expect_download() as download:
        page.get_by_role("link", name=j.t("Partager"), exact=True).tap()
    shared = tmp_path / "partage.pdf"
    download.value.save_as(shared)
    assert download.value.suggested_filename.endswith(".pdf") and shared.read_bytes().startswith(b"%PDF-")


def load_official_sheet(app: Flask, tmp_path: Path) -> None:
    """The operator loads the insurer's sheet (issue 14): a fixture drawn like the public CNOPS copies."""
    from tests.official_sheets import Sheet, sheet_pdf

    sheet = tmp_path / "feuille_maladie_cnops.pdf"
    sheet.write_bytes(sheet_pdf(Sheet(combs=False), "text"))
    args = [
        "forms",
        "add-official",
        str(sheet),
        "--kind",
        "maladie",
        "--insurer",
        "CNOPS",
        "--valid-from",
        "2020-01-01",
    ]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output


def packet_carries_the_official_sheet(packet: Path) -> None:
    """The CNIE after "Immatriculation" on the official sheet, nothing of the student's in the doctor's part."""
    text = subprocess.run(["pdftotext", "-layout", str(packet), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"N° Immatriculation\s*:\s*BK654321", text), text
    sheet = next(p for p in text.split("\f") if "Partie réservée à l'assuré(e)" in p)
    doctor = sheet.split("Déclaration du médecin traitant", 1)[1]
    assert not [v for v in ("EL AMRANI", "Yasmine", "BK654321", "150,00", "34,90", "02/11/2026") if v in doctor]


def mark_sent_and_record_payment(j: Journey) -> None:
    page, t = j.page, j.t
    j.field("Date d'envoi").fill("2026-11-24")
    j.field("N° de recommandé (facultatif)").fill("RR123456789MA")
    j.button("J'ai posté le dossier")
    expect(page.locator(".badge").first).to_have_text(t("Envoyée"))
    j.check("claim-sent", "claims.show")

    page.get_by_text(t("J'ai reçu un remboursement"), exact=True).tap()
    j.field("Date du paiement").fill("2026-11-25")
    j.field("Montant reçu (DH)").fill("96,00")
    j.field("Virement sur mon RIB").check()
    j.button("Enregistrer le remboursement")
    j.flash("Remboursement enregistré.")
    expect(page.locator("#suivi")).to_contain_text(l10n.money(Decimal(96), j.lang))
    expect(page.locator(".badge").first).to_have_text(t("Partiellement remboursée"))
    page.locator("#suivi").scroll_into_view_if_needed()
    j.check("claim-paid", "claims.show")

    page.get_by_role("link", name=t("Modifier ce paiement")).tap()  # 96 was typed for 112,50
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Modifier le paiement"))
    j.check("edit-payment", "claims.edit_payment")
    j.field("Montant reçu (DH)").fill("112,50")
    j.button("Enregistrer la modification")
    j.flash("Paiement modifié.")
    expect(page.locator("#suivi")).to_contain_text(l10n.money(Decimal("112.50"), j.lang))
    j.button("La CNOPS a payé tout ce qu'elle paiera")
    j.flash("Dossier soldé : la CNOPS a payé tout ce qu'elle paiera.")
    expect(page.locator(".badge").first).to_have_text(t("Remboursée"))
    j.check("claim-settled", "claims.show")
    if j.scripts:
        open_the_visited_claim_offline(j)


def open_the_visited_claim_offline(j: Journey) -> None:
    """Issue 17: a claim page the student opened stays readable without a connection (the service worker)."""
    page = j.page
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
    claim_url = page.url.split("#")[0]
    page.goto(claim_url)  # now controlled by the service worker, which keeps this page's last copy
    page.context.set_offline(True)
    try:
        page.goto(claim_url)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Angine")
        expect(page.locator("#suivi")).to_contain_text(l10n.money(Decimal("112.50"), j.lang))
        page.screenshot(path=str(j.shots / f"journey-{j.lang}-offline-claim.png"))
    finally:
        page.context.set_offline(False)


def delete_and_restore_a_claim(j: Journey, base: str) -> None:
    """Issue 17: deleting asks once, "Annuler" right after brings it back; the second time it stays in the
    corbeille of the data page."""
    page, t = j.page, j.t
    page.goto(base + "/dossiers/nouveau")
    j.field("Nom du dossier (facultatif, ex. « Angine mars »)").fill("Doublon")
    j.button("Créer le dossier")
    for attempt in range(2):
        page.get_by_role("link", name=t("Supprimer ce dossier")).tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(t("Supprimer ce dossier ?"))
        if attempt == 0:
            j.check("confirm-delete", "claims.confirm_delete")
        j.button("Oui, supprimer ce dossier")
        j.flash("Dossier mis à la corbeille.")
        if attempt == 1:
            break
        j.check("dashboard-undo", "main.home")
        j.button("Annuler")
        j.flash("Dossier restauré.")
        expect(page.get_by_role("heading", level=1)).to_contain_text("Doublon")
    page.goto(base + "/donnees")
    expect(page.locator("#corbeille")).to_contain_text("Doublon")


def own_sheet_upload_and_preview(j: Journey, base: str, app: Flask) -> None:
    """« Ma feuille officielle »: the student's own sheet uploaded, seen filled, one value moved by 1 mm."""
    page = j.page
    with deps(app).sessions() as db:
        claim_id = db.scalar(
            select(Claim.id).join(User).where(User.email == f"yasmine.{j.lang}@example.ma").order_by(Claim.id)
        )
    page.goto(f"{base}/dossiers/{claim_id}/feuille-officielle")
    j.check("own-sheet", "claims.own_sheet")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feuille-personnalisee.pdf"
        path.write_bytes(sheet_pdf(Sheet(), "text"))
        j.page.get_by_label(l10n.render(SHEET_LABEL, j.lang), exact=True).set_input_files(str(path))
        j.button("Charger ma feuille")
        j.flash("Feuille gardée : vérifiez où chaque valeur est écrite.")  # the file is read before it goes
    j.check("sheet-preview", "claims.sheet_preview")
    arrow = j.t("%(label)s : 1 mm à droite") % {"label": "Nom et prénom"}
    page.get_by_role("button", name=arrow, exact=True).tap()
    expect(page.locator("#valeur-nom_prenom .hint")).to_be_visible()


def visit_every_other_page(j: Journey, base: str, app: Flask) -> None:
    """The pages the journey does not pass through, signed in, then signed out, then with emailed links."""
    page = j.page
    for path, endpoint in (("/chiffres", "account.numbers"), ("/rappels/", "notifications.settings"),
                           ("/donnees", "account.data"), ("/compte/mot-de-passe", "auth.password"),
                           ("/hors-ligne", "main.offline"), ("/dossiers/999", "claims.show")):  # fmt: skip
        page.goto(base + path)
        if endpoint == "account.numbers":  # sent on the 24th, paid on the 25th: one day, singular
            delay = l10n.translations(j.lang).ngettext(
                "Délai moyen entre l'envoi et le paiement : %(days)s jour.",
                "Délai moyen entre l'envoi et le paiement : %(days)s jours.",
                1,
            )
            expect(page.get_by_text(delay % {"days": "1"}).first).to_be_visible()
        j.check(endpoint.split(".")[1] if path != "/dossiers/999" else "not-found", endpoint)
    own_sheet_upload_and_preview(j, base, app)
    with page.expect_navigation():
        page.get_by_role("button", name=j.t("Déconnexion")).tap()
    for path, endpoint in (("/compte/connexion", "auth.login"), ("/compte/mot-de-passe-oublie", "auth.forgot")):
        page.goto(base + path)
        j.check(endpoint.split(".")[1], endpoint)
    email = f"yasmine.{j.lang}@example.ma"
    j.field("Adresse électronique du compte").fill(email)
    j.button("Recevoir un lien")
    j.flash("Si un compte existe avec cette adresse, un lien vient d'y être envoyé (valable 1 heure).")
    with deps(app).sessions() as db:
        user = db.scalar(select(User).where(User.email == email))
        assert user is not None
        unsubscribe = notifications.unsubscribe_token(app.config["SECRET_KEY"], user)
    page.goto(base + mail_link(app, email, "/compte/reinitialiser/"))
    j.check("reset", "auth.reset")
    page.goto(f"{base}/desabonnement/{unsubscribe}")
    j.check("unsubscribe", "notifications.unsubscribe_page")


def test_new_student_journey(app: Flask, live_server: str, journey: Journey, tmp_path: Path) -> None:
    photo = tmp_path / "boite.jpg"
    photo.write_bytes(rendered_barcode("611800012069", tmp_path, rotate=90))

    load_official_sheet(app, tmp_path)
    sign_up_with_a_wrong_rib_first(journey, live_server, app)
    create_claim_with_two_acts(journey, live_server)
    scan_a_box(journey, photo)
    tick_checklist_and_download_packet(journey, tmp_path)
    packet_carries_the_official_sheet(tmp_path / "dossier.pdf")
    mark_sent_and_record_payment(journey)
    delete_and_restore_a_claim(journey, live_server)
    visit_every_other_page(journey, live_server, app)

    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in (rule.methods or ())} - NOT_PAGES
    assert pages == set(journey.audited), "every HTML page must be audited by axe"
    if not journey.scripts:
        REPORT.append(f"without JavaScript ({journey.lang}): the whole journey passed, {len(pages)} pages visited")
        return
    REPORT.append(f"axe-core ({journey.lang}), {journey.steps} checks on {len(pages)} pages — "
                  "violations per page, serious+critical / other:")  # fmt: skip
    REPORT.extend(f"  {e:34} {len(journey.audited[e])} / {journey.minor[e]}" for e in sorted(journey.audited))
    assert {e: v for e, v in journey.audited.items() if v} == {}


def test_axe_reports_a_known_violation(browser: Browser) -> None:
    """The harness can fail: an image without text alternative and an unlabelled input are caught."""
    context = browser.new_context()
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.set_content('<html lang="fr"><title>t</title><main><img src="x.png"><input type="text"></main></html>')
    found = {v["id"]: v["impact"] for v in axe_violations(page)}
    context.close()
    assert found["image-alt"] == "critical" and found["label"] == "critical"


def test_axe_is_the_pinned_one() -> None:
    """The test injects the npm-pinned axe-core, not whatever happens to be installed."""
    lock = (ROOT / "package-lock.json").read_text()
    version = re.search(r'"node_modules/axe-core": \{\s*"version": "([^"]+)"', lock)
    assert version and f"axe v{version.group(1)}" in AXE.read_text()[:200]
