"""The one estimator, seen where the student sees it: the claim page, the scan screen and the packet (read back
with pdftotext). docs/domain.md#refund-estimate."""

import html
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.db.models import RefundRate
from claimkit.web.deps import deps
from tests.conftest import Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, add_medicine, new_claim
from tests.integration.test_packet import text_of
from tests.integration.test_profile import VALID

NEXAVAR = "6118001090587"  # taux_remb 0 in the bundled reference, PPV = PBR = 21 152 DH
ZADRYL = "6118000120698"  # taux_remb 70, PPV = PBR = 91,50 DH


def flat(text: str) -> str:
    """Text without tags, spaces of any kind collapsed (amounts are written with narrow or no-break spaces)."""
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


def scan_screen(client: FlaskClient, claim_id: int, code: str) -> str:
    token = csrf_token(client, f"/dossiers/{claim_id}/scanner")
    response = client.post(f"/dossiers/{claim_id}/scanner", data={"csrf_token": token, "code": code})
    assert response.status_code == 200
    return flat(html.unescape(response.get_data(as_text=True)))


def claim_page(client: FlaskClient, claim_id: int) -> str:
    return flat(html.unescape(client.get(f"/dossiers/{claim_id}").get_data(as_text=True)))


def packet_text(client: FlaskClient, claim_id: int, tmp_path: Path) -> str:
    response = client.get(f"/dossiers/{claim_id}/packet.pdf")
    assert response.status_code == 200
    return flat(text_of(response.data, tmp_path))


@pytest.fixture
def profile(client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)


@pytest.mark.usefixtures("profile")
def test_nexavar_is_non_remboursable_everywhere(client: FlaskClient, tmp_path: Path) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id, performed_on="2026-11-20", type="pharmacie", amount="21152")
    scan = scan_screen(client, claim_id, NEXAVAR)
    assert "NEXAVAR" in scan and "Non remboursable (taux 0 % au référentiel des médicaments)" in scan
    assert "14 806,40" not in scan  # not 70 % of its price
    add_medicine(client, claim_id, name="NEXAVAR", ean13=NEXAVAR, ppv="21152", pbr="21152")
    page = claim_page(client, claim_id)
    assert "NEXAVAR : 0,00 DH — Non remboursable (taux 0 % au référentiel des médicaments)" in page
    assert "14 806,40" not in page
    packet = packet_text(client, claim_id, tmp_path)
    assert "Non remboursable (taux 0 % au référentiel des médicaments)" in packet
    assert "Remboursement estimé : 0,00 DH" in packet and "14 806,40" not in packet


@pytest.mark.usefixtures("profile")
def test_ald_medicines_at_100_percent_once_the_accord_number_is_on_the_claim(
    client: FlaskClient, tmp_path: Path
) -> None:
    claim_id = new_claim(client, kind="ald")
    add_act(client, claim_id, performed_on="2026-11-20", type="pharmacie", amount="91,50")
    post_form(client, f"/dossiers/{claim_id}/details", {"ald_code": "9"})
    before = "64,05 DH"  # 70 % × 91,50: the accord is not granted yet
    assert before in scan_screen(client, claim_id, ZADRYL)
    add_medicine(client, claim_id, ean13=ZADRYL, ppv="91,50", pbr="91,50")
    assert f"ZADRYL : {before} — 70 % × min(PPV, PBR) × 1" in claim_page(client, claim_id)
    assert f"Remboursement estimé : {before}" in packet_text(client, claim_id, tmp_path)

    post_form(client, f"/dossiers/{claim_id}/details", {"ald_code": "9", "ald_accord": "ETM-77"})
    after = "91,50 DH"  # 100 % on the generic basis, min(PPV, PBR)
    basis = "100 % (ALD/ALC, accord n° ETM-77, base générique) × min(PPV, PBR) × 1"
    scan = scan_screen(client, claim_id, ZADRYL)
    assert after in scan and basis in scan
    assert f"ZADRYL : {after} — {basis}" in claim_page(client, claim_id)
    packet = packet_text(client, claim_id, tmp_path)
    assert f"Remboursement estimé : {after}" in packet and "ETM-77, base générique" in packet


@pytest.mark.usefixtures("profile")
def test_an_act_without_a_known_tariff_is_not_estimated(client: FlaskClient, tmp_path: Path) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id, performed_on="2026-11-20", type="analyses", amount="300")
    add_act(client, claim_id, performed_on="2026-11-20", type="consultation_generaliste", amount="200")
    why = "Non estimé : aucun tarif national de référence connu pour cet acte."
    page = claim_page(client, claim_id)
    assert f"Analyses de laboratoire : non estimé — {why}" in page
    assert "Total partiel : 1 ligne n'est pas estimée." in page
    assert "240,00" not in page  # not 80 % of the 300 DH paid
    assert "64,00 DH" in page  # the consultation: 80 % of the 80 DH TNR
    packet = packet_text(client, claim_id, tmp_path)
    assert "Remboursement estimé : 64,00 DH" in packet and why in packet and "240,00" not in packet
    # the scan screen estimates boxes only: a box scanned into this claim is priced by the same estimator
    assert "64,05 DH" in scan_screen(client, claim_id, ZADRYL)


@pytest.mark.usefixtures("profile", "restore_reference")
def test_a_rate_changed_since_the_care_date_does_not_change_the_estimate(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    """A new medicines rate (80 %) and acts rate (90 %) from 21 November; care on 20 November: 70 % and 80 %."""
    with deps(app).sessions() as db:
        for basis, rate in (("medicaments", "0.80"), ("actes", "0.90")):
            db.add(RefundRate(basis=basis, rate=Decimal(rate), valid_from=date(2026, 11, 21), source="test"))
        db.commit()
    claim_id = new_claim(client)
    add_act(client, claim_id, performed_on="2026-11-20", type="pharmacie", amount="91,50")
    add_act(client, claim_id, performed_on="2026-11-20", type="consultation_generaliste", amount="200")
    scan = scan_screen(client, claim_id, ZADRYL)
    assert "64,05 DH" in scan and "taux du 20/11/2026" in scan  # not 80 % × 91,50 = 73,20
    add_medicine(client, claim_id, ean13=ZADRYL, ppv="91,50", pbr="91,50")
    page = claim_page(client, claim_id)
    assert "ZADRYL : 64,05 DH" in page and "Consultation généraliste : 64,00 DH" in page
    assert "73,20" not in page and "72,00" not in page
    assert "Remboursement estimé : 128,05 DH" in packet_text(client, claim_id, tmp_path)
    # a claim whose care is on or after the change gets the new rows, on the same three screens
    later = new_claim(client)
    add_act(client, later, performed_on="2026-11-24", type="pharmacie", amount="91,50")
    assert "73,20 DH" in scan_screen(client, later, ZADRYL)
    add_medicine(client, later, ean13=ZADRYL, ppv="91,50", pbr="91,50")
    assert "ZADRYL : 73,20 DH" in claim_page(client, later)
    assert "Remboursement estimé : 73,20 DH" in packet_text(client, later, tmp_path)
