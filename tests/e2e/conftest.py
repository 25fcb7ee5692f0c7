"""A real server (werkzeug, in a thread) and Debian's chromium driven by Playwright at phone size.

Screenshots go to a temp dir, or to docs/screenshots/ when CLAIMKIT_SCREENSHOTS=1 (`make screenshots`).
"""

import io
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.serving import make_server

from claimkit.adapters import l10n
from claimkit.domain import limits
from claimkit.domain.claims import KIND_LABELS, ClaimKind
from claimkit.domain.messages import Message
from claimkit.services import profiles
from claimkit.services.profiles import ProfileInput
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, FakeClock, mail_link

ROOT = Path(__file__).resolve().parents[2]
# Figures the phone tests measure (axe results, page weight), printed at the end of every run, `make test` included.
REPORT: list[str] = []
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def barcode_video(path: Path, work: Path) -> None:
    """A few YUV 4:2:0 frames (y4m) of a rendered EAN-13: what chromium's fake camera films."""
    from tests.integration.test_scan_route import rendered_barcode

    width, height = 640, 480
    frame = Image.new("RGB", (width, height), "white")
    code = Image.open(io.BytesIO(rendered_barcode("611800012069", work))).convert("RGB")
    code.thumbnail((600, 440))
    frame.paste(code, ((width - code.width) // 2, (height - code.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    chroma = b"".join(c.resize((width // 2, height // 2)).tobytes() for c in (cb, cr))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            out.write(b"FRAME\n" + y.tobytes() + chroma)


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One chromium for the session; its fake camera films a real box barcode (for the live-scan test)."""
    work = tmp_path_factory.mktemp("camera")
    video = work / "camera.y4m"
    barcode_video(video, work)
    args = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    target = ROOT / "docs" / "screenshots" if os.environ.get("CLAIMKIT_SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    return target


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if REPORT:
        terminalreporter.section("phone checks")
        for line in REPORT:
            terminalreporter.write_line(line)


# Labels that state a limit (domain/limits.py): what the page shows, in either language, is built the same way.
PASSWORD_LABEL = Message("Mot de passe (%(count)s caractères au moins)", {"count": limits.MIN_PASSWORD_LENGTH})
SHEET_LABEL = Message("Fichier PDF de la feuille (%(size)s au plus)", {"size": limits.shown(limits.SHEET_BYTES)})
ATTESTATION_LABEL = Message(
    "Attestation d'immatriculation (PDF, JPEG ou PNG, %(size)s au plus)",
    {"size": limits.shown(limits.ATTESTATION_BYTES)},
)


def sign_up_by_mail(page: Page, base: str, app: Flask, email: str, lang: str = "fr") -> None:
    """Mail-first sign-up (issue 18) as a student does it: the address, the link mailed to the outbox folder,
    then the password and consent; ends on the profile page."""
    t = l10n.translations(lang).gettext
    page.goto(base + "/compte/inscription")
    page.get_by_label(t("Adresse électronique"), exact=True).fill(email)
    page.get_by_role("button", name=t("Recevoir le lien d'inscription")).tap()
    page.wait_for_url("**/compte/inscription/envoye")
    page.goto(base + mail_link(app, email, "/compte/inscription/"))
    page.get_by_label(l10n.render(PASSWORD_LABEL, lang), exact=True).fill(PASSWORD)
    page.get_by_label(t("Confirmez le mot de passe"), exact=True).fill(PASSWORD)
    page.locator("#consent").check()
    page.get_by_role("button", name=t("Créer mon compte"), exact=True).tap()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Mon profil"))


KARIM = ProfileInput("Tazi", "Karim", "BE123456", "", None, "", "3 rue Fès, Rabat", "", "mandat", "", False)


def sign_up_with_profile(page: Page, base: str, app: Flask, clock: FakeClock, email: str = "karim@example.ma") -> None:
    """The first student of the test (user 1) signed up by mail, with Karim's profile saved through the service: the
    start of the phone tests that are about a claim, not about the profile form."""
    sign_up_by_mail(page, base, app, email)
    with deps(app).sessions() as db:
        profiles.save_profile(db, clock, 1, KARIM)


def new_claim_with_act(page: Page, lang: str, day: str, amount: str) -> None:
    """From the dashboard, in the page's language: a new maladie claim and one general practitioner's consultation;
    ends on the claim page with the "act added" notice."""
    t = l10n.translations(lang).gettext
    page.get_by_role("link", name=t("Nouvelle feuille"), exact=False).first.tap()
    page.get_by_label(t(KIND_LABELS[ClaimKind.MALADIE]), exact=True).check()
    page.get_by_role("button", name=t("Créer le dossier"), exact=True).tap()
    page.get_by_label(t("Date de l'acte"), exact=True).fill(day)
    page.get_by_label(t("Acte"), exact=True).select_option("consultation_generaliste")
    page.get_by_label(t("Montant payé (DH)"), exact=True).fill(amount)
    page.get_by_role("button", name=t("Ajouter l'acte"), exact=True).tap()
    expect(page.locator(".flash").filter(has_text=t("Acte ajouté."))).to_be_visible()
