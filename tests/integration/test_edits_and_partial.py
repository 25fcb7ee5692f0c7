"""Issue 17, wrong data: acts and payments edited in place (the history keeps the change), figures that disagree
flagged, a wrong-shape INPE flagged, and a payment that leaves the claim "partiellement remboursée" until the
student says the CNOPS has paid all it will."""

import html
import re
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, add_medicine, claim_row, new_claim
from tests.integration.test_profile import VALID
from tests.integration.test_tracking_and_data import act, sent_claim


def edit(client: FlaskClient, path: str, **data: str) -> str:
    token = csrf_token(client, path)
    return html.unescape(
        client.post(path, data={"csrf_token": token, **data}, follow_redirects=True).get_data(as_text=True)
    )


def test_an_act_is_edited_in_place_and_the_history_says_so(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id, amount="15", practitioner="Dr Alami", inpe="123456789")
    act_id = claim_row(app, claim_id).acts[0].id
    form = client.get(f"/dossiers/{claim_id}/actes/{act_id}/modifier").get_data(as_text=True)
    assert 'value="15.00"' in form or 'value="15,00"' in form or 'value="15"' in form
    assert 'value="Dr Alami"' in form
    page = edit(
        client, f"/dossiers/{claim_id}/actes/{act_id}/modifier",
        performed_on="2026-11-20", type="consultation_generaliste", amount="150", practitioner="Dr Alami",
        inpe="123456789",
    )  # fmt: skip
    assert "Acte modifié." in page
    row = claim_row(app, claim_id)
    assert [(a.id, a.amount) for a in row.acts] == [(act_id, Decimal("150.00"))]
    (event,) = [e for e in row.events if e.kind == "act_edited"]
    assert event.detail == "20/11/2026 15.00 123456789 → 20/11/2026 150.00 123456789"
    assert "Acte modifié" in page and "15.00 123456789 → 20/11/2026 150.00" in page


def test_a_bad_act_edit_is_explained_and_changes_nothing(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id, amount="150")
    act_id = claim_row(app, claim_id).acts[0].id
    path = f"/dossiers/{claim_id}/actes/{act_id}/modifier"
    page = edit(client, path, performed_on="2027-06-01", type="consultation_generaliste", amount="180")
    assert "dans le futur" in page
    assert claim_row(app, claim_id).acts[0].amount == Decimal("150.00")


def test_a_wrong_shape_inpe_is_kept_but_flagged(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    page = add_act(client, claim_id, inpe="12345")
    assert "L'INPE compte normalement 9 chiffres" in page
    assert claim_row(app, claim_id).acts[0].inpe == "12345"
    assert "L'INPE compte normalement" not in add_act(client, claim_id, inpe="123456789")


def test_a_wrong_ice_is_refused_and_a_good_one_kept(app: Flask, client: FlaskClient, student: Student) -> None:
    """The dentist's ICE is checked by its key (issue 15's rule, docs/domain.md#checklist-of-attachments): a
    note d'honoraires with a wrong ICE is what gets a dental file refused, so the act is not saved with it."""
    claim_id = new_claim(client, kind="dentaire")
    page = add_act(client, claim_id, type="soins_dentaires", ice="001234567000061")
    assert "La clé de l'ICE (2 derniers chiffres) ne correspond pas." in page
    assert "L'ICE compte 15 chiffres." in add_act(client, claim_id, type="soins_dentaires", ice="12345")
    page = add_act(client, claim_id, type="soins_dentaires", ice="001234567000062")
    assert "ICE" in page and "ne correspond pas" not in page and "compte 15" not in page
    assert [a.ice for a in claim_row(app, claim_id).acts] == ["001234567000062"]


def test_medicines_without_pharmacy_act_then_a_mismatched_amount_are_flagged(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    claim_id = new_claim(client)
    page = add_medicine(client, claim_id, ean13="6118000120698", ppv="34,90", quantity="2")
    assert "aucun acte « Pharmacie »" in page
    page = add_act(client, claim_id, type="pharmacie", amount="60")
    assert "aucun acte « Pharmacie »" not in page
    assert "Le montant payé à la pharmacie (60,00\u00a0DH) ne correspond pas" in page
    assert "au total des médicaments scannés (69,80\u00a0DH)" in page
    act_id = next(a.id for a in claim_row(app, claim_id).acts if a.type == "pharmacie")
    page = edit(
        client,
        f"/dossiers/{claim_id}/actes/{act_id}/modifier",
        performed_on="2026-11-20",
        type="pharmacie",
        amount="69,80",
    )
    assert "ne correspond pas" not in page


def test_a_payment_below_the_estimate_is_partial_until_the_student_settles(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = sent_claim(client)
    page = act(client, claim_id, "paiement", paid_on="2026-11-20", paid_amount="25", method="virement")
    assert claim_row(app, claim_id).state == "partielle"
    assert "Partiellement remboursée" in page
    home = html.unescape(client.get("/").get_data(as_text=True))
    assert "Remboursé : \u206825,00\u00a0DH\u2069" in home and "Estimé :" not in home
    payment_id = claim_row(app, claim_id).payments[0].id
    page = edit(
        client, f"/dossiers/{claim_id}/paiements/{payment_id}/modifier",
        paid_on="2026-11-20", paid_amount="250", method="virement", reference="VIR 9",
    )  # fmt: skip
    assert "Paiement modifié." in page
    row = claim_row(app, claim_id)
    assert [(p.amount, p.reference) for p in row.payments] == [(Decimal("250.00"), "VIR 9")]
    assert [e.detail for e in row.events if e.kind == "payment_edited"] == [
        "20/11/2026 25.00 → 20/11/2026 250.00 VIR 9"
    ]
    assert "Seul un dossier envoyé peut être marqué reçu" in act(client, claim_id, "recu", received_on="2026-11-21")
    assert "ne peut plus être marqué rejeté" in act(client, claim_id, "rejet", rejected_on="2026-11-21", reason="x")
    assert claim_row(app, claim_id).state == "partielle"
    page = act(client, claim_id, "solde")
    row = claim_row(app, claim_id)
    assert row.state == "remboursee" and row.events[-1].kind == "settled" and row.events[-1].amount is None
    assert "Dossier soldé : la CNOPS a payé tout ce qu'elle paiera" in html.unescape(page)


def test_the_last_payment_box_settles_at_once(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = sent_claim(client)
    act(client, claim_id, "paiement", paid_on="2026-11-20", paid_amount="78", method="mandat", final="y")
    assert claim_row(app, claim_id).state == "remboursee"
    act(client, claim_id, "paiement", paid_on="2026-11-21", paid_amount="2", method="mandat")  # a late one
    row = claim_row(app, claim_id)
    assert row.state == "remboursee" and [p.amount for p in row.payments] == [Decimal("78.00"), Decimal("2.00")]


def test_the_claim_page_follows_its_state_and_shows_the_cnops_address(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    post_form(client, "/profil/", VALID)
    draft = new_claim(client)
    page = html.unescape(client.get(f"/dossiers/{draft}").get_data(as_text=True))
    assert page.index("Imprimer le dossier") < page.index("Pièces à joindre")  # before sending: print first
    assert 'data-share="' in page and f'download="dossier-amoe-{draft}.pdf"' in page  # "Partager", or the download
    assert "4, rue Al Khalil, B.P. 209, Rabat" in page
    sent = sent_claim(client)
    page = html.unescape(client.get(f"/dossiers/{sent}").get_data(as_text=True))
    assert page.index("Suivi et remboursement") < page.index("Imprimer le dossier") < page.index("Pièces à joindre")
    assert "4, rue Al Khalil, B.P. 209, Rabat" in page


def test_the_act_forms_ask_for_the_dentists_if_ice_and_entente_on_a_dentaire_claim_only(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    """Which act fields a kind shows is the domain's (claims.act_fields_for): the claim page and the edit page."""
    names = re.compile(r'<(?:input|select)[^>]* name="(\w+)"')
    dental = ["dentist_if", "ice", "entente"]
    for kind, own in (("dentaire", dental), ("maladie", []), ("accident", [])):
        claim_id = new_claim(client, kind)
        add_act(client, claim_id)
        act_id = claim_row(app, claim_id).acts[0].id
        edit_page = client.get(f"/dossiers/{claim_id}/actes/{act_id}/modifier").get_data(as_text=True)
        expected = ["performed_on", "type", "amount", "practitioner", "inpe", *own]
        assert [n for n in names.findall(edit_page) if n not in ("csrf_token", "version", "idem")] == expected, kind
        claim_page = client.get(f"/dossiers/{claim_id}").get_data(as_text=True)
        act_form = claim_page[claim_page.index(f'action="/dossiers/{claim_id}/actes"') :].split("</form>")[0]
        assert [n for n in names.findall(act_form) if n not in ("csrf_token", "version", "idem")] == expected, kind
