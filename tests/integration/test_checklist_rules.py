"""The checklist rules through the real pages and the packet read back (docs/domain.md#checklist-of-attachments)."""

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, add_medicine, claim_row, new_claim, tick
from tests.integration.test_profile import VALID
from tests.integration.test_refund_rules import claim_page, packet_text

CODES = "Codes des médicaments : le code-barres imprimé sur chaque boîte, découpé, ou la boîte"
ORDONNANCE = "Ordonnance originale, signée et cachetée par le médecin et par le pharmacien"


def test_medicine_codes_and_the_ordonnance_are_required(
    app: Flask, client: FlaskClient, student: Student, tmp_path: Path
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    add_act(client, claim_id, type="pharmacie", amount="91,50")
    add_medicine(client, claim_id, ean13="6118000120698", ppv="91,50", pbr="91,50")
    tick(client, claim_id, ["feuille_maladie", "ordonnance"])
    assert claim_row(app, claim_id).state == "brouillon"  # the codes are still missing
    page = claim_page(client, claim_id)
    assert CODES in page and ORDONNANCE in page and "numéro de série imprimé sur la boîte" in page
    packet = packet_text(client, claim_id, tmp_path)
    assert "manquant" in packet and "(recommandé)" not in packet
    tick(client, claim_id, ["feuille_maladie", "ordonnance", "codes_barres"])
    assert claim_row(app, claim_id).state == "prete"


def test_a_prosthesis_needs_the_dentists_if_ice_radios_and_the_entente(
    app: Flask, client: FlaskClient, student: Student, tmp_path: Path
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client, kind="dentaire")
    wrong = add_act(client, claim_id, type="prothese_dentaire", amount="2000", ice="001561191000067")
    assert "La clé de l'ICE (2 derniers chiffres) ne correspond pas." in wrong
    assert claim_row(app, claim_id).acts == []  # refused, nothing saved
    add_act(client, claim_id, type="prothese_dentaire", amount="2000")
    page = claim_page(client, claim_id)
    assert "demandez l'entente préalable à la CNOPS AVANT les soins" in page  # the warning on the act
    assert "l'IF et l'ICE du dentiste pour l'acte « Prothèse dentaire » du 20/11/2026 (actes)" in page
    assert "le n° d'entente préalable de l'acte « Prothèse dentaire » du 20/11/2026 (actes)" in page
    labels = ("Note d'honoraires originale du dentiste (avec IF et ICE)",
              "Radiographies dentaires avant et après les soins", "Accord d'entente préalable de la CNOPS")  # fmt: skip
    assert all(label in page for label in labels)
    packet = packet_text(client, claim_id, tmp_path)
    assert "Radiographies dentaires avant et après les soins" in packet and "entente préalable" in packet
    # with the fields on the act (ICE spaced as printed) and the papers ticked, the claim is ready
    token = csrf_token(client, f"/dossiers/{claim_id}")
    act_id = claim_row(app, claim_id).acts[0].id
    client.post(f"/dossiers/{claim_id}/actes/{act_id}/supprimer", data={"csrf_token": token})
    token_page = add_act(client, claim_id, type="prothese_dentaire", amount="2000", dentist_if="1234567",
                         ice="001 561191 000066", entente="E-42")  # fmt: skip
    assert "Acte ajouté." in token_page
    act = claim_row(app, claim_id).acts[-1]
    assert (act.dentist_if, act.ice, act.entente) == ("1234567", "001561191000066", "E-42")
    tick(client, claim_id, ["feuille_dentaire", "facture_dentiste", "radios_dentaires", "entente_prealable"])
    assert claim_row(app, claim_id).state == "prete"
    assert "IF 1234567 · ICE 001561191000066 · entente n° E-42" in claim_page(client, claim_id)


def test_an_accident_with_a_liable_third_party_needs_the_declaration_and_the_engagement(
    client: FlaskClient, student: Student, tmp_path: Path
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client, kind="accident")
    add_act(client, claim_id)
    post_form(client, f"/dossiers/{claim_id}/details", {"accident_date": "2026-11-20", "third_party_liable": "y"})
    packet = packet_text(client, claim_id, tmp_path)
    assert "Déclaration d'accident" in packet and "Engagement à restituer" in packet
