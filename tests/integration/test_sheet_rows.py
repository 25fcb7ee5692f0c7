"""A claim holds no more acts than its feuille de soins has rows (docs/domain.md#acts-on-one-sheet), through the real
app, database and packet: the 7th act of a maladie claim is refused in French and Arabic with the 6 saved kept; a
claim that already holds more (made before the rule, or copied from one) is blocked on its page, its checklist, its
packet and « J'ai posté », its estimate counts the acts its sheet carries, and one button moves the rest."""

import html
import re
from datetime import date
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.db.models import Act, Claim
from claimkit.web.deps import deps
from tests.conftest import Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, claim_row, new_claim, tick
from tests.integration.test_pdf import pdftotext
from tests.integration.test_profile import VALID

AMOUNTS = ("150", "126,40", "80", "250", "95,50", "300")
ROWS_FULL_FR = "n'a que 6 lignes d'actes et elles sont toutes remplies"
TOO_MANY_FR = "Ce dossier a 7 actes mais sa feuille de soins n'a que 6 lignes d'actes"


def _six_acts(client: FlaskClient, kind: str = "maladie") -> int:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client, kind, label="Grippe")
    for day, amount in enumerate(AMOUNTS, 10):
        assert "Acte ajouté." in add_act(client, claim_id, performed_on=f"2026-11-{day}", amount=amount)
    return claim_id


def _page(client: FlaskClient, claim_id: int) -> str:
    return html.unescape(client.get(f"/dossiers/{claim_id}").get_data(as_text=True))


def _seventh_act_stored_directly(app: Flask, claim_id: int) -> None:
    """As a claim made before this rule holds it: the row written without the use case."""
    with deps(app).sessions() as db:
        db.add(Act(claim_id=claim_id, performed_on=date(2026, 11, 20), type="radiologie", amount=Decimal("400")))
        db.commit()


def test_a_seventh_act_is_refused_in_french_and_arabic_and_the_six_stay(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    claim_id = _six_acts(client)
    page = add_act(client, claim_id, performed_on="2026-11-20", amount="400")
    assert ROWS_FULL_FR in page and "Créez un nouveau dossier pour cet acte" in page
    assert "Acte ajouté." not in page
    assert [a.amount for a in claim_row(app, claim_id).acts] == [
        Decimal(a.replace(",", ".")) for a in AMOUNTS
    ]  # the 6 saved, untouched
    # the page offers a new claim of the same kind instead of the act form
    assert 'id="feuille-pleine"' in page and "/dossiers/nouveau?kind=maladie" in page
    assert "Ajouter l'acte" not in page
    for kind in ("maladie", "dentaire"):
        (chosen,) = re.findall(r"<input[^>]*checked[^>]*>", client.get(f"/dossiers/nouveau?kind={kind}").get_data(True))
        assert f'value="{kind}"' in chosen
    client.post("/langue", data={"locale": "ar", "csrf_token": csrf_token(client, "/profil/")})
    page = add_act(client, claim_id, performed_on="2026-11-21", amount="60")
    (flashed,) = re.findall(r'<p class="flash flash-warning"[^>]*>(.*?)</p>', page, re.S)
    assert "ورقة العلاجات لهذا الملف لا تتسع إلا لـ 6 أسطر" in flashed and "أنشئ ملفا جديدا" in flashed
    assert ROWS_FULL_FR not in page and "ملف جديد" in page
    assert len(claim_row(app, claim_id).acts) == 6


def test_a_dentaire_sheet_takes_nine_acts(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = _six_acts(client, "dentaire")
    for day in (17, 18, 19):
        assert "Acte ajouté." in add_act(client, claim_id, performed_on=f"2026-11-{day}", type="soins_dentaires")
    assert ROWS_FULL_FR.replace("6", "9") in add_act(client, claim_id, type="soins_dentaires")
    assert len(claim_row(app, claim_id).acts) == 9


def test_the_packet_of_six_acts_lists_all_six_and_their_total(
    app: Flask, client: FlaskClient, student: Student, tmp_path: object
) -> None:
    claim_id = _six_acts(client)
    response = client.get(f"/dossiers/{claim_id}/packet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdftotext(response.data, tmp_path, "-layout")  # type: ignore[arg-type]
    for day, amount in enumerate(("150,00", "126,40", "80,00", "250,00", "95,50", "300,00"), 10):
        assert re.search(rf"Consultation généraliste du {day}/11/2026 : {amount}\s*DH", text), (day, amount)
    assert re.search(r"Total payé : 1\s?001,90\s*DH", text)


def test_a_claim_holding_more_is_blocked_everywhere_then_the_extra_act_moves(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    claim_id = _six_acts(client)
    _seventh_act_stored_directly(app, claim_id)
    page = _page(client, claim_id)
    assert TOO_MANY_FR in page and "Déplacer les actes en trop dans un nouveau dossier" in page
    assert "un nouveau dossier pour les actes au-delà des 6 lignes de la feuille (actes)" in page  # the checklist
    assert "Imprimer sur une feuille papier" not in page
    # the estimate leaves the 7th act out: 6 consultations at 80 % of min(paid, 80 DH TNR) = 384 DH of 1 401,90 paid
    assert re.search(r"<bdi>384,00\s*DH</bdi> <small>sur .?1\s?401,90\s*DH.? payés", page), page
    # no packet, no « J'ai posté » (even with every piece ticked): the refusal is said on the claim page
    refused = client.get(f"/dossiers/{claim_id}/packet.pdf", follow_redirects=True)
    assert refused.mimetype == "text/html" and TOO_MANY_FR in html.unescape(refused.get_data(as_text=True))
    tick(client, claim_id, ["feuille_maladie", "facture_medecin", "facture_radiologie", "compte_rendu_radiologie"])
    token = csrf_token(client, f"/dossiers/{claim_id}")
    sent = client.post(f"/dossiers/{claim_id}/envoyer", data={"csrf_token": token, "sent_on": "2026-11-25"})
    assert sent.status_code == 422 and TOO_MANY_FR in html.unescape(sent.get_data(as_text=True))
    assert (claim_row(app, claim_id).state, claim_row(app, claim_id).sent_on) == ("brouillon", None)
    token = csrf_token(client, f"/dossiers/{claim_id}")
    # the fix: the act beyond row 6 moves, unchanged, to a new claim of the same kind and label
    moved = client.post(f"/dossiers/{claim_id}/actes/deplacer", data={"csrf_token": token})
    assert moved.status_code == 302
    new_id = int(moved.headers["Location"].rsplit("/", 1)[1])
    source, target = claim_row(app, claim_id), claim_row(app, new_id)
    assert len(source.acts) == 6 and [(a.type, a.amount) for a in target.acts] == [("radiologie", Decimal("400.00"))]
    assert (target.kind, target.label, target.state) == ("maladie", "Grippe", "brouillon")
    assert target.deadline == date(2027, 1, 19)  # from its own first act, 20 Nov
    assert TOO_MANY_FR not in _page(client, claim_id)
    assert client.get(f"/dossiers/{claim_id}/packet.pdf").mimetype == "application/pdf"
    again = client.post(f"/dossiers/{claim_id}/actes/deplacer", data={"csrf_token": csrf_token(client, "/profil/")})
    assert "il n'y a rien à déplacer" in html.unescape(client.get(again.headers["Location"]).get_data(as_text=True))


def test_the_nouvel_envoi_copy_of_a_claim_holding_more_is_blocked_with_the_fix(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    """A claim sent before the rule with 7 acts, then rejected: its copy carries the 7 acts and is blocked."""
    claim_id = _six_acts(client)
    _seventh_act_stored_directly(app, claim_id)
    with deps(app).sessions() as db:
        row = db.get(Claim, claim_id)
        assert row is not None
        row.state, row.sent_on, row.rejection_reason = "rejetee", date(2026, 11, 21), "Pièces manquantes"
        db.commit()
    copied = client.post(f"/dossiers/{claim_id}/copie", data={"csrf_token": csrf_token(client, "/profil/")})
    copy_id = int(copied.headers["Location"].rsplit("/", 1)[1])
    assert len(claim_row(app, copy_id).acts) == 7
    page = _page(client, copy_id)
    assert TOO_MANY_FR in page and f"/dossiers/{copy_id}/actes/deplacer" in page
    assert claim_row(app, copy_id).state == "brouillon"
