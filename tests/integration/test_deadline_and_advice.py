"""Deadline, posting and advice through the real pages, the packet and the follow-up email
(docs/domain.md#deadline-and-posting, docs/domain.md#advice-contacts-and-the-students-status)."""

import html
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import FakeClock, Student, post_form
from tests.integration.test_claims_flow import add_act, claim_row, new_claim
from tests.integration.test_profile import VALID
from tests.integration.test_refund_rules import claim_page, flat, packet_text
from tests.integration.test_reminders import ListMailer, confirm_all, send
from tests.integration.test_tracking_and_data import act, sent_claim

CONTACTS = ("053 800 20 20", "centre.appel@cnops.org.ma", "cnops.chikaya.ma", "Rue Tensift", "guichet numérique")


def test_post_before_keeps_the_legal_date_and_flags_a_closed_day(
    client: FlaskClient, student: Student, tmp_path: Path
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    add_act(client, claim_id, performed_on="2026-11-03")  # legal date: Saturday 2 January 2027
    page = claim_page(client, claim_id)
    assert "Postez avant le \u2068lundi 28 décembre 2026\u2069" in page  # 5 days' margin, a working day
    assert "Date limite légale : \u2068samedi 2 janvier 2027\u2069" in page
    assert "la date limite tombe un jour de fermeture (samedi)" in page
    packet = packet_text(client, claim_id, tmp_path)
    assert "02/01/2027" in packet and "Postez avant le 28/12/2026 (marge pour l'acheminement du recommandé)." in packet


def test_a_late_claim_gets_advice_and_contacts_not_hors_delai_twice(
    client: FlaskClient, student: Student, clock: FakeClock, tmp_path: Path
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    add_act(client, claim_id, performed_on="2026-09-01")  # legal date 31 October 2026: 25 days late
    page = claim_page(client, claim_id)
    assert page.count("Hors délai") == 1  # the badge no longer repeats the urgency label
    assert "Hors délai depuis 25 jours" in page and "Envoyez quand même le dossier au plus vite" in page
    assert all(contact in page for contact in CONTACTS)
    packet = packet_text(client, claim_id, tmp_path)
    assert "hors délai depuis 25 jours" in packet
    assert "Envoyez-le vite, avec un mot qui explique le retard. CNOPS : 053 800 20 20" in packet


def test_a_rejected_claim_shows_what_to_do_and_the_contacts(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = sent_claim(client)
    page = act(client, claim_id, "rejet", rejected_on="2026-11-20", reason="Ordonnance sans durée")
    assert claim_row(app, claim_id).state == "rejetee"
    text = claim_page(client, claim_id)
    assert "toujours en originaux : jamais de copie" in text
    assert all(contact in text for contact in CONTACTS) and "cnops.org.ma/mon_compte" in text
    assert "demande non reçue" not in page.lower()


def test_a_treatment_period_must_contain_its_acts(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id, performed_on="2026-11-03")
    refused = post_form(
        client,
        f"/dossiers/{claim_id}/details",
        {"treatment_start": "2026-11-05", "treatment_end": "2026-11-20"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "L&#39;acte du 03/11/2026 est en dehors du traitement continu (du 05/11/2026 au 20/11/2026)" in refused
    assert claim_row(app, claim_id).treatment_start is None  # nothing saved
    post_form(client, f"/dossiers/{claim_id}/details", {"treatment_start": "2026-11-01", "treatment_end": "2026-11-20"})
    assert "en dehors du traitement continu" in add_act(client, claim_id, performed_on="2026-11-24")
    assert len(claim_row(app, claim_id).acts) == 1


def test_the_follow_up_email_points_to_the_portal_and_never_asks_for_a_copy(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock
) -> None:
    post_form(client, "/profil/", VALID)
    sent_claim(client)
    confirm_all(app)
    clock.advance(days=61)
    mailer = ListMailer()
    assert send(app, clock, mailer).sent == 1
    body = mailer.messages[0].get_body(("plain",))
    assert body is not None
    text = " ".join(body.get_content().split())
    assert "cnops.org.ma/mon_compte" in text and "SMART CNOPS" in text and "053 800 20 20" in text
    assert "n'envoyez jamais de copie" in text and "renvoyez une copie" not in text
    assert "non reçu" not in text


def test_the_profile_says_a_rib_change_here_does_not_reach_the_cnops(client: FlaskClient, student: Student) -> None:
    page = flat(html.unescape(client.get("/profil/").get_data(as_text=True)))
    assert "Changer votre RIB ici ne le change pas à la CNOPS" in page
    assert "spécimen de chèque ou une attestation de RIB originale" in page
