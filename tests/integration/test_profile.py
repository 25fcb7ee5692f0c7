"""The profile form, end to end through WTForms, the service, the domain and the database."""

import html
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.db.models import Profile
from claimkit.domain.identifiers import iban_from_rib, rib_key
from claimkit.web.deps import deps
from tests.conftest import Student, post_form

RIB = "0117800000012345678901" + rib_key("0117800000012345678901")

VALID: dict[str, Any] = {
    "nom": "Benjelloun-Çelik",
    "prenom": "Élodie",
    "nom_ar": "بنجلون",
    "prenom_ar": "إيلودي",
    "cnie": "ab 123456",
    "massar": "D130000000",
    "date_naissance": "2004-03-02",
    "etablissement": "Université Mohammed V",
    "adresse": "12 rue Oued Fès, Agdal, Rabat",
    "telephone": "06 12 34 56 78",
    "payout_method": "virement",
    "rib": " ".join([RIB[:3], RIB[3:6], RIB[6:22], RIB[22:]]),
}


def saved(app: Flask) -> Profile | None:
    with deps(app).sessions() as db:
        return db.get(Profile, 1)


def test_profile_saved_normalised(app: Flask, client: FlaskClient, student: Student) -> None:
    response = post_form(client, "/profil/", VALID, follow_redirects=True)
    assert "Profil enregistré." in response.get_data(as_text=True)
    profile = saved(app)
    assert profile is not None
    assert (profile.cnie, profile.rib, profile.telephone) == ("AB123456", RIB, "0612345678")
    assert (profile.prenom, profile.nom_ar) == ("Élodie", "بنجلون")


def test_iban_is_accepted_and_stored_as_rib(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", {**VALID, "rib": iban_from_rib(RIB).lower()})
    profile = saved(app)
    assert profile is not None and profile.rib == RIB


def test_wrong_rib_key_is_explained_and_saved_profile_kept(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    wrong = RIB[:-1] + str((int(RIB[-1]) + 1) % 10)
    body = post_form(client, "/profil/", {**VALID, "nom": "Autre", "rib": wrong}).get_data(as_text=True)
    assert "La clé du RIB (2 derniers chiffres) ne correspond pas" in body
    assert 'value="Autre"' in body  # what the student typed is shown back, not lost
    profile = saved(app)
    assert profile is not None and profile.nom == "Benjelloun-Çelik" and profile.rib == RIB


def test_mandat_needs_no_rib(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", {**VALID, "payout_method": "mandat", "rib": ""})
    profile = saved(app)
    assert profile is not None and profile.payout_method == "mandat" and profile.rib == ""


def test_choosing_mandat_keeps_the_saved_rib_until_it_is_removed(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    post_form(client, "/profil/", VALID)
    body = post_form(client, "/profil/", {**VALID, "payout_method": "mandat"}, follow_redirects=True)
    profile = saved(app)
    assert profile is not None and (profile.payout_method, profile.rib) == ("mandat", RIB)
    assert "ce RIB reste enregistré mais n'est pas utilisé" in html.unescape(body.get_data(as_text=True))
    garbled = post_form(client, "/profil/", {**VALID, "payout_method": "mandat", "rib": "n'importe quoi"})
    assert garbled.status_code == 200 and saved(app).rib == RIB  # type: ignore[union-attr]
    post_form(client, "/profil/", {**VALID, "payout_method": "mandat", "rib": ""})
    assert saved(app).rib == ""  # type: ignore[union-attr]


def test_required_fields_and_latin_names(client: FlaskClient, student: Student) -> None:
    body = post_form(client, "/profil/", {**VALID, "nom": "بنجلون", "cnie": ""}).get_data(as_text=True)
    assert "Écrivez ce nom en lettres latines" in body
    assert "Ce champ est obligatoire." in body


def test_unusual_cnie_and_age_warn_without_blocking(app: Flask, client: FlaskClient, student: Student) -> None:
    data = {**VALID, "cnie": "P1234567890", "date_naissance": "1990-01-01", "other_coverage": "y"}
    body = post_form(client, "/profil/", data, follow_redirects=True).get_data(as_text=True)
    assert "Profil enregistré." in body
    assert "ne ressemble pas à une CNIE" in body
    assert "plus de 30 ans" in body
    assert "autre couverture de base" in body
    profile = saved(app)
    assert profile is not None and profile.cnie == "P1234567890"


def test_profile_requires_login(client: FlaskClient) -> None:
    response = client.get("/profil/")
    assert response.status_code == 302
    assert "/compte/connexion" in response.headers["Location"]


def test_home_invites_to_fill_profile_first(client: FlaskClient, student: Student) -> None:
    assert "Compléter mon profil" in client.get("/").get_data(as_text=True)
    post_form(client, "/profil/", VALID)
    home = client.get("/").get_data(as_text=True)
    assert "Compléter mon profil" not in home
    assert "Nouvelle feuille" in home and "Comment ça marche" in home
