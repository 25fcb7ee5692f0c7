"""Issue 15: the immatriculation status and its advice before a first claim, the attestation file (kept, downloaded,
exported, deleted with the account), and the AMO-E rights judged on each claim's date of care, on the claim page
and the packet's cover (docs/domain.md#advice-contacts-and-the-students-status)."""

import html
import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters import storage
from claimkit.adapters.db.models import Registration
from claimkit.adapters.db.ownership import NotFound
from claimkit.services import ServiceError, registrations
from claimkit.services.registrations import StatusInput
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, new_claim
from tests.integration.test_photos import GPS_IFD, photo_with_location, uploads
from tests.integration.test_profile import VALID
from tests.integration.test_refund_rules import claim_page, flat, packet_text

STATUS_URL = "/profil/immatriculation/"


def attestation_pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 720, "ATTESTATION D'IMMATRICULATION AMO-E")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def save_status(client: FlaskClient, upload: tuple[bytes, str] | None = None, **fields: str) -> str:
    data: dict[str, Any] = {"csrf_token": csrf_token(client, "/profil/"), "status": "", **fields}
    if upload is not None:
        data["attestation"] = (io.BytesIO(upload[0]), upload[1])
    response = client.post(STATUS_URL, data=data, content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    return flat(html.unescape(response.get_data(as_text=True)))


def row(app: Flask, user_id: int = 1) -> Registration | None:
    with deps(app).sessions() as db:
        return db.get(Registration, user_id)


def page(client: FlaskClient, url: str) -> str:
    return flat(html.unescape(client.get(url).get_data(as_text=True)))


# --- the status and what to do before the first claim ---------------------------------------------------------------


def test_the_profile_offers_the_seed_messages_and_keeps_the_status(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    profile = page(client, "/profil/")
    assert "Immatriculation et droits" in profile
    for quoted in (
        "Votre demande est en cours de traitement.",
        "Vous êtes immatriculés, veuillez consulter votre boîte email mentionnée sur votre demande.",
        "Demande d'immatriculation non reçue par la CNOPS.",
        "vous avez déclaré que vous possédez déjà une couverture médicale",
    ):
        assert quoted in profile
    saved = save_status(client, status="non_recue")
    assert "Situation enregistrée." in saved and "Statut enregistré : demande non reçue par la CNOPS" in saved
    registration = row(app)
    assert registration is not None and registration.status == "non_recue"
    refused = save_status(client, status="pirate")
    assert "Le formulaire n'a pas été enregistré" in refused
    registration = row(app)
    assert registration is not None and registration.status == "non_recue"  # nothing saved is lost


def test_unset_status_only_invites_to_set_it(client: FlaskClient, student: Student) -> None:
    for url in ("/", "/dossiers/nouveau"):
        text = page(client, url)
        assert "Où en est votre immatriculation à l'AMO-E ? Indiquez-le dans votre profil" in text
        assert "n'a pas encore reçu" not in text and "ne vous rembourse pas" not in text


def test_each_status_says_what_to_do_before_the_first_claim(client: FlaskClient, student: Student) -> None:
    expected = {
        "en_cours": "revenez plus tard sur le site de la CNOPS pour suivre votre demande",
        "non_recue": "remplissez le formulaire AMO de la plateforme de votre université",
        "couvert_ailleurs": "Envoyez vos feuilles de soins au régime qui vous couvre",
    }
    for status, advice in expected.items():
        save_status(client, status=status)
        assert advice in page(client, "/") and advice in page(client, "/dossiers/nouveau"), status
    save_status(client, status="immatricule")
    home, new = page(client, "/"), page(client, "/dossiers/nouveau")
    assert 'id="avant-dossier"' not in client.get("/").get_data(as_text=True)
    assert "Où en est votre immatriculation" not in home + new
    save_status(client, status="non_recue")
    new_claim(client)
    assert "remplissez le formulaire AMO" not in page(client, "/")  # the dashboard speaks before the first claim only
    assert "remplissez le formulaire AMO" in page(client, "/dossiers/nouveau")


# --- the attestation file ---------------------------------------------------------------------------------------


def test_a_pdf_attestation_is_kept_and_downloaded_as_an_attachment(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    pdf = attestation_pdf()
    text = save_status(client, (pdf, "attestation.pdf"), status="immatricule")
    assert "Attestation d'immatriculation gardée." in text and "Télécharger l'attestation" in text
    response = client.get("/profil/immatriculation/attestation")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="attestation-immatriculation.pdf"'
    assert response.data == pdf
    assert "ATTESTATION" in PdfReader(io.BytesIO(response.data)).pages[0].extract_text()

    intruder = app.test_client()
    Student(intruder, "intrus@example.ma").sign_up()
    assert intruder.get("/profil/immatriculation/attestation").status_code == 404  # no id to guess: only one's own
    token = csrf_token(intruder, "/profil/")
    assert intruder.post("/profil/immatriculation/attestation/supprimer", data={"csrf_token": token}).status_code == 404
    assert client.get("/profil/immatriculation/attestation").data == pdf


def test_a_photo_attestation_loses_its_exif_and_a_new_file_replaces_the_old(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    save_status(client, (attestation_pdf(), "a.pdf"))
    save_status(client, (photo_with_location(), "photo.jpg"))
    response = client.get("/profil/immatriculation/attestation")
    assert response.mimetype == "image/jpeg"
    assert response.headers["Content-Disposition"] == 'attachment; filename="attestation-immatriculation.jpg"'
    image = Image.open(io.BytesIO(response.data))
    assert image.format == "JPEG" and not image.getexif().get_ifd(GPS_IFD) and 0x0110 not in image.getexif()
    assert image.size == (1200, 1600)  # turned upright
    assert [p.suffix for p in storage.files_of(uploads(app), 1)] == [".jpg"]  # the PDF it replaced is gone


def test_what_is_not_a_pdf_jpeg_or_png_is_refused_with_a_message(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    cases = {
        "Ce fichier n'est ni un PDF ni une image JPEG ou PNG": (gif.getvalue(), "photo.png"),
        "Ce PDF est illisible ou protégé": (b"%PDF-1.4 not really", "attestation.pdf"),
        "Le fichier est vide": (b"", "vide.pdf"),
        "Fichier trop lourd : 10 Mo au plus": (b"%PDF-" + b"0" * (10 * 1024 * 1024), "gros.pdf"),
        "Ce fichier n'est pas une image lisible": (b"\xff\xd8\xff" + b"\0" * 100, "cassee.jpg"),
    }
    for message, upload in cases.items():
        text = save_status(client, upload, status="immatricule")
        assert message in text and "Le formulaire n'a pas été enregistré" in text, message
    assert row(app) is None and storage.files_of(uploads(app), 1) == []
    assert client.get("/profil/immatriculation/attestation").status_code == 404


def test_the_attestation_is_exported_and_deleted_with_the_account(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    post_form(client, "/profil/", VALID)
    pdf = attestation_pdf()
    save_status(client, (pdf, "attestation.pdf"), status="immatricule", cnops_letter_on="2026-05-01")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/donnees/export.zip").data))
    assert archive.read("attestation-immatriculation.pdf") == pdf
    assert not [n for n in archive.namelist() if n.startswith("photos/")]  # not a second time among the photos
    exported = json.loads(archive.read("immatriculation.json"))
    assert (exported["status"], exported["cnops_letter_on"]) == ("immatricule", "2026-05-01")
    token = csrf_token(client, "/donnees")
    client.post("/donnees/suppression", data={"csrf_token": token, "password": PASSWORD})
    assert storage.files_of(uploads(app), 1) == [] and row(app) is None


def test_the_attestation_can_be_removed(app: Flask, client: FlaskClient, student: Student) -> None:
    save_status(client, (attestation_pdf(), "a.pdf"))
    token = csrf_token(client, "/profil/")
    response = client.post(
        "/profil/immatriculation/attestation/supprimer", data={"csrf_token": token}, follow_redirects=True
    )
    assert "Attestation supprimée." in response.get_data(as_text=True)
    assert storage.files_of(uploads(app), 1) == []
    assert client.get("/profil/immatriculation/attestation").status_code == 404


# --- rights judged on the date of care ------------------------------------------------------------------------------


def test_age_is_judged_on_the_date_of_care_on_the_page_and_the_packet(
    client: FlaskClient, student: Student, tmp_path: Path
) -> None:
    post_form(client, "/profil/", {**VALID, "date_naissance": "1995-11-10"})  # 31 on 10 November 2026, today 25th
    at_thirty = new_claim(client)
    add_act(client, at_thirty, performed_on="2026-11-05")
    assert "vos droits le jour des soins" not in claim_page(client, at_thirty)
    assert "vous aviez plus de 30 ans" not in packet_text(client, at_thirty, tmp_path)
    after = new_claim(client)
    add_act(client, after, performed_on="2026-11-12")
    expected = "Le jour des soins (12/11/2026), vous aviez plus de 30 ans (depuis le 10/11/2026)"
    assert expected in claim_page(client, after)
    cover = packet_text(client, after, tmp_path)
    assert "À vérifier avant d'envoyer : vos droits le jour des soins" in cover and expected in cover
    save_status(client, traditional_final_cycle="y")  # final cycle of traditional education: no age limit
    assert "plus de 30 ans" not in claim_page(client, after)
    assert "plus de 30 ans" not in page(client, "/profil/")


def test_a_claim_without_an_act_has_no_rights_warning_yet(client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", {**VALID, "date_naissance": "1980-01-01"})
    assert "vos droits le jour des soins" not in claim_page(client, new_claim(client))


def test_a_cnops_letter_warns_in_the_30_days_then_the_6_maintained_months_then_closed(
    client: FlaskClient, student: Student, tmp_path: Path
) -> None:
    post_form(client, "/profil/", VALID)
    save_status(client, status="immatricule", cnops_letter_on="2026-05-01")
    before = new_claim(client)
    add_act(client, before, performed_on="2026-04-30")
    assert "vos droits le jour des soins" not in claim_page(client, before)
    maintained = new_claim(client)
    add_act(client, maintained, performed_on="2026-11-20")
    text = (
        "vos droits étaient fermés depuis le 31/05/2026 (30 jours après la lettre recommandée de la CNOPS), mais "
        "dans les 6 mois de maintien des droits, jusqu'au 29/11/2026"
    )
    assert text in claim_page(client, maintained) and text in packet_text(client, maintained, tmp_path)
    save_status(client, status="immatricule", cnops_letter_on="2026-11-01")
    assert "justifiez avant le 30/11/2026 que vous n'avez pas cessé vos études" in claim_page(client, maintained)
    save_status(client, status="immatricule", cnops_letter_on="2026-03-01")
    closed = claim_page(client, maintained)
    assert "est après la fin des 6 mois de maintien des droits (29/09/2026)" in closed
    assert "Cette date est dans le futur" in save_status(client, cnops_letter_on="2026-12-01")
    assert "est après la fin des 6 mois" in claim_page(client, maintained)  # the saved date is kept


def test_more_than_6_months_without_studies_warns_on_the_claim(
    client: FlaskClient, student: Student, tmp_path: Path
) -> None:
    post_form(client, "/profil/", VALID)
    save_status(client, studies_interrupted_on="2026-05-10")
    within = new_claim(client)
    add_act(client, within, performed_on="2026-11-10")  # exactly 6 months
    assert "études étaient interrompues" not in claim_page(client, within)
    beyond = new_claim(client)
    add_act(client, beyond, performed_on="2026-11-11")
    text = "vos études étaient interrompues depuis plus de 6 mois (depuis le 10/05/2026)"
    assert text in claim_page(client, beyond) and text in packet_text(client, beyond, tmp_path)


def test_the_warnings_are_translated_on_an_arabic_claim_page(client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", {**VALID, "date_naissance": "1990-01-01"})
    claim_id = new_claim(client)
    add_act(client, claim_id, performed_on="2026-11-12")
    post_form(client, "/langue", {"locale": "ar", "next": "/"})
    text = claim_page(client, claim_id)
    assert "vous aviez plus de 30 ans" not in text and "12/11/2026" in text and "01/01/2021" in text


def test_the_service_rechecks_what_the_form_checks(app: Flask, client: FlaskClient, student: Student) -> None:
    """The use cases are also reached without the form (CLI, tests): an unknown status or a future date is refused
    there too, and nothing is saved; a GET of the block's URL goes back to the profile."""
    clock = deps(app).clock
    with deps(app).sessions() as db:
        for data in (StatusInput(status="pirate"), StatusInput(studies_interrupted_on=date(2027, 1, 1))):
            with pytest.raises(ServiceError):
                registrations.save_status(db, clock, 1, data)
        with pytest.raises(NotFound):
            registrations.remove_attestation(db, clock, 1, uploads(app))
    assert row(app) is None
    response = client.get(STATUS_URL)
    assert response.status_code == 302 and response.headers["Location"].endswith("/profil/#immatriculation")
