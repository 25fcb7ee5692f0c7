"""Refusals as data (claimkit.domain.messages.Refusal): every refusal the code raises is a catalogue msgid with an
Arabic translation, and the web layer renders it once, in the reader's language, with its figures filled after
translation."""

import ast
import html
from datetime import date
from pathlib import Path

from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.l10n import translations
from claimkit.domain.lifecycle import TransitionRefused
from claimkit.domain.messages import Refusal
from claimkit.services import ServiceError
from claimkit.services.claims import _FROZEN as FROZEN
from tests.conftest import Student, csrf_token

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "claimkit"
PO = PACKAGE / "translations" / "ar" / "LC_MESSAGES" / "messages.po"
REFUSALS = {
    "Refusal", "ServiceError", "TransitionRefused", "ScanRefused", "PhotoRefused", "SheetRefused", "AttestationRefused",
}  # fmt: skip


def _literal(node: ast.expr, constants: dict[str, str]) -> str | None:
    """The msgid a refusal is built from: a literal, `N_(literal)`, `Message(literal, …)` or a module constant."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and node.args and getattr(node.func, "id", "") in ("N_", "Message"):
        return _literal(node.args[0], constants)
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def raised_msgids() -> dict[str, str]:
    """msgid → where, for every `raise <Refusal kind>(…)` in the package whose message is known statically."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        constants = {
            target.id: value
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name) and (value := _literal(node.value, {})) is not None
        }
        for node in ast.walk(tree):
            call = node.exc if isinstance(node, ast.Raise) else None
            if not isinstance(call, ast.Call) or not call.args:
                continue
            name = getattr(call.func, "id", "") or getattr(call.func, "attr", "")
            if name in REFUSALS and (msgid := _literal(call.args[0], constants)) is not None:
                found[msgid] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_refusal_raised_is_translated_into_arabic() -> None:
    with PO.open("rb") as f:
        catalogue = {m.id: m.string for m in read_po(f, locale="ar") if m.id and isinstance(m.id, str)}
    raised = raised_msgids()
    assert len(raised) > 30  # the scan finds the refusals (it would pass vacuously on an empty set)
    missing = {msgid: where for msgid, where in raised.items() if not catalogue.get(msgid)}
    assert not missing, "refusals with no Arabic text (N_ missing, or not translated):\n" + "\n".join(
        f"{where}: {msgid}" for msgid, where in missing.items()
    )


def test_every_refusal_kind_is_a_refusal() -> None:
    from claimkit.adapters.decoders import ScanRefused
    from claimkit.adapters.official_forms import SheetRefused
    from claimkit.adapters.photos import PhotoRefused

    for kind in (ServiceError, TransitionRefused, ScanRefused, PhotoRefused, SheetRefused):
        assert issubclass(kind, Refusal), kind
    error = ServiceError("Date impossible : %(day)s.", {"day": date(2026, 11, 3)})
    assert (error.message, error.values["day"]) == ("Date impossible : %(day)s.", date(2026, 11, 3))


def test_a_refusal_no_view_catches_is_said_on_the_page_in_the_readers_language(app: Flask) -> None:
    """The app's one handler: a POST goes back to the page it came from with the message; a GET gets a page."""

    def refuse() -> str:
        raise ServiceError(FROZEN)

    app.add_url_rule("/test-refus", "test_refus", refuse, methods=["GET", "POST"])  # before the first request
    client = app.test_client()
    page = client.get("/test-refus")
    assert page.status_code == 400 and FROZEN in html.unescape(page.get_data(as_text=True))
    token = csrf_token(client, "/compte/connexion")
    back = client.post(
        "/test-refus", data={"csrf_token": token}, headers={"Referer": "http://localhost/compte/connexion"}
    )
    assert back.status_code == 302 and back.headers["Location"].endswith("/compte/connexion")
    assert FROZEN in html.unescape(client.get("/compte/connexion").get_data(as_text=True))
    client.set_cookie("langue", "ar", domain="localhost")
    arabic = html.unescape(client.get("/test-refus").get_data(as_text=True))
    assert 'dir="rtl"' in arabic and FROZEN not in arabic
    assert translations("ar").gettext(FROZEN) in arabic


def test_a_claim_that_is_not_yours_is_a_404_from_the_one_handler(client: FlaskClient, student: Student) -> None:
    for path in (
        "/dossiers/999",
        "/dossiers/999/packet.pdf",
        "/dossiers/999/scanner",
        "/dossiers/999/actes/1/modifier",
    ):
        assert client.get(path).status_code == 404, path
