"""Issue 20, the claim page's cost: the page is drawn by cheaper code (fields rendered in Python, children loaded
in fewer queries) but must stay the same page. Its HTML, for claims in every state, in French and in Arabic, and
with refused forms drawn with their messages, is compared byte for byte with snapshots written by the code before
the change (main at 0cb0a5d). Only what differs on every request is masked: CSRF tokens and idempotency keys.

A deliberate change of the page regenerates them: `CLAIMKIT_UPDATE_SNAPSHOTS=1 .venv/bin/pytest -o addopts=""
tests/integration/test_claim_page_html.py`, then review the diff of tests/integration/snapshots/ like code.
"""

import os
import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.conftest import Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, add_medicine, new_claim
from tests.integration.test_photos import attach, photo_with_location
from tests.integration.test_profile import VALID
from tests.integration.test_tracking_and_data import act, sent_claim

SNAPSHOTS = Path(__file__).parent / "snapshots" / "claim_page"
_MASKS = (
    (re.compile(r'(name="csrf_token" type="hidden" value=")[^"]+'), r"\1CSRF"),
    (re.compile(r'(id="csrf_token" name="csrf_token" type="hidden" value=")[^"]+'), r"\1CSRF"),
    (re.compile(r'(name="csrf_token" value=")[^"]+'), r"\1CSRF"),
    (re.compile(r'(name="idem" value=")[^"]+'), r"\1KEY"),
)


def masked(page: str) -> str:
    for pattern, replacement in _MASKS:
        page = pattern.sub(replacement, page)
    return page


def _claims(client: FlaskClient) -> dict[str, int]:
    """One claim per state the page draws differently, and kinds with their own fields."""
    post_form(client, "/profil/", VALID)
    empty = new_claim(client, label="Vide")
    draft = new_claim(client, label="Angine <mars> & « suite »")
    add_act(client, draft, performed_on="2026-11-03", practitioner="Dr Alami", inpe="123456789")
    add_medicine(client, draft, ean13="6118000120698", ppv="34,90", pbr="20.00")
    attach(client, draft, "facture_medecin", photo_with_location())
    ready = sent_claim(client, label="Prête")
    dental = new_claim(client, kind="dentaire", label="Dents")
    add_act(client, dental, performed_on="2026-11-10", type="soins_dentaires", dentist_if="12345678")
    accident = new_claim(client, kind="accident", label="Chute")
    ald = new_claim(client, kind="ald", label="ALD")
    received = sent_claim(client, label="Reçue")
    act(client, received, "recu", received_on="2026-11-12")
    partial = sent_claim(client, label="Partielle")
    act(client, partial, "paiement", paid_on="2026-11-20", paid_amount="25", method="virement", reference="VIR 1")
    rejected = sent_claim(client, label="Rejetée")
    act(client, rejected, "rejet", rejected_on="2026-11-20", reason="Cachet illisible <b>")
    token = csrf_token(client, f"/dossiers/{rejected}")
    copied = client.post(f"/dossiers/{rejected}/copie", data={"csrf_token": token})
    copy = int(copied.headers["Location"].rsplit("/", 1)[-1])
    paid = sent_claim(client, label="Payée")
    act(client, paid, "paiement", paid_on="2026-11-20", paid_amount="78", method="mandat", final="y")
    return {
        "empty": empty,
        "draft": draft,
        "sent": ready,
        "dental": dental,
        "accident": accident,
        "ald": ald,
        "received": received,
        "partial": partial,
        "rejected": rejected,
        "paid": paid,
        "copy": copy,
    }


def _refused_pages(client: FlaskClient, claims: dict[str, int]) -> dict[str, str]:
    """The page drawn again with a form's errors (HTTP 422): the act, details and payment forms."""
    draft, partial = claims["draft"], claims["partial"]
    token = csrf_token(client, f"/dossiers/{draft}")
    bad_act = {"csrf_token": token, "performed_on": "2099-01-01", "type": "consultation_generaliste", "amount": "x"}
    pages = {"refused-act": client.post(f"/dossiers/{draft}/actes", data=bad_act)}
    bad_details = {"csrf_token": token, "treatment_start": "2026-11-01", "label": "L" * 300}
    pages["refused-details"] = client.post(f"/dossiers/{draft}/details", data=bad_details)
    token = csrf_token(client, f"/dossiers/{partial}")
    bad_payment = {"csrf_token": token, "paid_on": "", "paid_amount": "-3", "method": "cheque"}
    pages["refused-payment"] = client.post(f"/dossiers/{partial}/paiement", data=bad_payment)
    for name, response in pages.items():
        assert response.status_code == 422, name
    return {name: response.get_data(as_text=True) for name, response in pages.items()}


def _pages(client: FlaskClient) -> dict[str, str]:
    claims = _claims(client)
    pages: dict[str, str] = {}
    for locale in ("fr", "ar"):
        token = csrf_token(client, "/")
        client.post("/langue", data={"csrf_token": token, "locale": locale, "next": "/"}, follow_redirects=True)
        for name, claim_id in claims.items():
            response = client.get(f"/dossiers/{claim_id}")
            assert response.status_code == 200, name
            pages[f"{name}-{locale}"] = response.get_data(as_text=True)
        pages |= {f"{name}-{locale}": page for name, page in _refused_pages(client, claims).items()}
    return pages


def test_the_claim_page_is_byte_identical_in_every_state_in_french_and_arabic(
    client: FlaskClient, student: Student
) -> None:
    pages = {name: masked(page) for name, page in _pages(client).items()}
    if os.environ.get("CLAIMKIT_UPDATE_SNAPSHOTS"):
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        for name, page in pages.items():
            (SNAPSHOTS / f"{name}.html").write_bytes(page.encode())  # bytes: a textarea starts with \r\n
        pytest.skip("snapshots written")
    assert sorted(p.stem for p in SNAPSHOTS.glob("*.html")) == sorted(pages)
    for name, page in pages.items():
        expected = (SNAPSHOTS / f"{name}.html").read_bytes().decode()
        assert page == expected, f"{name}: the page's HTML changed (see the module docstring)"
