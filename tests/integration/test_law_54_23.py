"""Law 54-23 across the boundary: the same student, care the day before and the day after the cut-over, gets two
claims with the right assuré, tick, insurer, address, sheet and rates. Setting the date and loading the CNSS rows
go through the real CLI (SQLite here, PostgreSQL under `scripts/with-postgres`)."""

import io
from datetime import date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from claimkit.adapters.db.models import Claim, ConfigDate, SchemeNotice, Tariff, User
from claimkit.domain.claims import Act, ActType
from claimkit.services import ServiceError, claims
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, csrf_token, post_form
from tests.integration.test_claims_flow import add_act, new_claim, tick
from tests.integration.test_packet import text_of
from tests.integration.test_profile import VALID, saved

DATA = Path(__file__).resolve().parents[2] / "claimkit" / "data" / "cnss_54_23.json"
PARENT = {
    "parent_nom_prenom": "Benjelloun Karim",
    "parent_immatriculation": "123 456 789",
    "parent_cin": "bk 654321",
    "parent_insurer": "cnss_public",
    "parent_adresse": "7 rue Ibn Sina, Fès",
}


def cli(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def fields(client: FlaskClient, claim_id: int) -> dict[str, str]:
    reader = PdfReader(io.BytesIO(client.get(f"/dossiers/{claim_id}/feuilles/maladie.pdf").data))
    return {name: str(f.get("/V", "")) for name, f in (reader.get_fields() or {}).items()}


def test_without_a_cutover_the_parent_block_changes_nothing(client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", {**VALID, **PARENT})
    claim = new_claim(client)
    add_act(client, claim, performed_on="2026-11-20")
    value = fields(client, claim)
    assert value["assure_nom_prenom"] == "BENJELLOUN-ÇELIK Élodie" and value["assure_immatriculation"] == "AB123456"
    assert value["assure_lien_enfant"] in ("", "/Off")


@pytest.mark.usefixtures("restore_reference")
def test_the_day_before_and_the_day_after_the_cutover(
    app: Flask, client: FlaskClient, student: Student, tmp_path: Path
) -> None:
    assert "non fixée" in cli(app, "scheme", "show")
    assert "lignes ajoutées : 6, déjà présentes : 0" in cli(app, "reference", "load", str(DATA))
    assert "lignes ajoutées : 0, déjà présentes : 6" in cli(app, "reference", "load", str(DATA))  # idempotent
    assert "2026-11-20" in cli(app, "scheme", "cutover", "2026-11-20", "--source", "décret (test)")
    post_form(client, "/profil/", {**VALID, **PARENT})
    before, after = new_claim(client, label="Avant"), new_claim(client, label="Après")
    add_act(client, before, performed_on="2026-11-19", amount="200")
    add_act(client, after, performed_on="2026-11-20", amount="200")

    old, new = fields(client, before), fields(client, after)
    assert old["assure_nom_prenom"] == "BENJELLOUN-ÇELIK Élodie"
    assert old["assure_immatriculation"] == old["assure_cin"] == "AB123456"
    assert old["assure_lien_enfant"] in ("", "/Off") and old["assure_paiement"].startswith("Virement")
    assert new["assure_nom_prenom"] == "Benjelloun Karim"
    assert (new["assure_immatriculation"], new["assure_cin"]) == ("123456789", "BK654321")
    assert new["assure_adresse"] == "7 rue Ibn Sina, Fès" and new["assure_lien_enfant"] == "/Yes"
    assert new["assure_paiement"] == ""  # the CNSS pays the parent: the student's RIB is not written

    old_text = text_of(client.get(f"/dossiers/{before}/packet.pdf").data, tmp_path)
    new_text = text_of(client.get(f"/dossiers/{after}/packet.pdf").data, tmp_path)
    assert "4, rue Al Khalil" in old_text and "Dossier de remboursement AMO-E" in old_text
    assert "Remboursement estimé : 64,00 DH" in old_text  # CNOPS: 80 % of the 80 DH TNR (2006)
    assert "ÉTUDIANT(E) ASSURÉ(E)" in old_text and "CNSS" not in old_text
    for expected in ("649, boulevard Mohammed V", "Casablanca", "Dossier de remboursement AMO (CNSS)",
                     "ASSURÉ(E) : LE PARENT (CNSS)", "N° d'immatriculation : 123456789", "Lien de parenté : Enfant",
                     "Bénéficiaire (l'enfant, étudiant(e)) : BENJELLOUN-ÇELIK Élodie",
                     "c'est lui ou elle, l'assuré(e), qui date et",
                     "Remboursement estimé : 105,00 DH"):  # fmt: skip
        assert expected in new_text, expected  # 105 = 70 % of the 150 DH CNSS TNR (2020 convention)
    assert "4, rue Al Khalil" not in new_text
    # no CNSS sheet loaded: the page says where the CNSS's sheet is found, the Enfant tick and who signs
    assert "cnops.org.ma" not in new_text and "CNOPS" not in new_text and "une agence de la CNSS" in new_text
    assert "Lien de parenté" in new_text and "cochez « Enfant »" in new_text
    assert "Votre parent date et signe la déclaration de l'assuré(e) à la main." in " ".join(new_text.split())
    assert "NE PAS ENVOYER" not in new_text and "NE PAS ENVOYER" in old_text  # the guide is a CNOPS drawing
    assert "cnops.org.ma" in old_text and "Datez et signez la vôtre à la main." in " ".join(old_text.split())

    post_form(client, "/profil/", {**VALID, **PARENT, "parent_adresse": "7 rue Ibn Sina\r\nFès"})  # a textarea
    where = text_of(client.get(f"/dossiers/{after}/packet.pdf").data, tmp_path)
    assert "7 rue Ibn Sina, Fès" in where and "\r" not in where

    page = client.get(f"/dossiers/{after}").get_data(as_text=True)
    assert "70 % du TNR de 150,00" in page.replace("\u00a0", " ").replace("&nbsp;", " ")  # the CNSS's estimate
    with deps(app).sessions() as db:
        sources = {t.source for t in db.scalars(select(Tariff).where(Tariff.regime == "cnss"))}
        assert all("Convention nationale 2020" in s for s in sources) and len(sources) == 2
        assert db.get(ConfigDate, "loi_54_23_bascule").source == "décret (test)"  # type: ignore[union-attr]


@pytest.mark.usefixtures("restore_reference")
def test_a_sent_claim_keeps_its_scheme_when_the_cutover_moves(
    app: Flask, client: FlaskClient, student: Student, tmp_path: Path
) -> None:
    cli(app, "reference", "load", str(DATA))
    post_form(client, "/profil/", {**VALID, **PARENT})
    claim = new_claim(client)
    add_act(client, claim, performed_on="2026-11-20")
    tick(client, claim, ["feuille_maladie", "ordonnance", "facture_medecin"])
    token = csrf_token(client, f"/dossiers/{claim}")
    client.post(f"/dossiers/{claim}/envoyer", data={"csrf_token": token, "sent_on": "2026-11-24"})
    with deps(app).sessions() as db:
        row = db.get(Claim, claim)
        assert row is not None and row.state == "envoyee" and row.scheme == "amo_e"
    cli(app, "scheme", "cutover", "2026-11-01")  # set late: the care of the sent claim falls after it
    assert fields(client, claim)["assure_nom_prenom"] == "BENJELLOUN-ÇELIK Élodie"
    assert "4, rue Al Khalil" in text_of(client.get(f"/dossiers/{claim}/packet.pdf").data, tmp_path)
    assert "non fixée" in cli(app, "scheme", "cutover", "--unset")


def test_acts_straddling_the_cutover_are_refused_with_one_sheet_per_scheme(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    post_form(client, "/profil/", {**VALID, **PARENT})
    claim = new_claim(client)
    add_act(client, claim, performed_on="2026-11-19")
    cli(app, "scheme", "cutover", "2026-11-20")
    page = add_act(client, claim, performed_on="2026-11-21")
    assert "ne peut pas mêler des soins d'avant et d'après le 20/11/2026" in page
    assert "une feuille par régime" in page
    with deps(app).sessions() as db:
        row = db.get(Claim, claim)
        assert row is not None and len(row.acts) == 1  # nothing saved, nothing lost
    add_act(client, claim, performed_on="2026-11-18")
    with deps(app).sessions() as db:  # an act edited across the cut-over is refused too
        row = db.get(Claim, claim)
        assert row is not None
        first = row.acts[0]
        moved = Act(date(2026, 11, 22), ActType(first.type), first.amount)
        with pytest.raises(ServiceError, match="une feuille par régime"):
            claims.update_act(db, deps(app).clock, row.user_id, claim, first.id, moved)
        db.rollback()
    with deps(app).sessions() as db:
        row = db.get(Claim, claim)
        assert row is not None and sorted(a.performed_on.day for a in row.acts) == [18, 19]
    # a claim that straddles because the date was set afterwards: its packet is refused, not a 500
    cli(app, "scheme", "cutover", "--unset")
    add_act(client, claim, performed_on="2026-11-21")
    cli(app, "scheme", "cutover", "2026-11-20")
    response = client.get(f"/dossiers/{claim}/packet.pdf", follow_redirects=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "une feuille par régime" in response.get_data(as_text=True)


def test_parent_block_checks_like_the_students_identifiers(app: Flask, client: FlaskClient, student: Student) -> None:
    page = post_form(client, "/profil/", {**VALID, **PARENT, "parent_immatriculation": "BK654321"}).get_data(
        as_text=True
    )
    assert "ne contient que des chiffres" in page
    page = post_form(client, "/profil/", {**VALID, **PARENT, "parent_cin": "BK-65/43#21"}).get_data(as_text=True)
    assert "ne contient que des lettres et des chiffres" in page
    page = post_form(client, "/profil/", {**VALID, "parent_cin": "BK654321"}).get_data(as_text=True)
    assert "nom et le prénom de votre parent" in page
    assert saved(app) is None  # refused: nothing half-saved
    response = post_form(client, "/profil/", {**VALID, **PARENT, "parent_immatriculation": "12345"},
                         follow_redirects=True)  # fmt: skip
    assert "compte normalement 9 chiffres" in response.get_data(as_text=True)  # kept, with a warning
    profile = saved(app)
    assert profile is not None and profile.parent_immatriculation == "12345" and profile.parent_cin == "BK654321"


def test_notices_once_before_and_once_after(app: Flask, client: FlaskClient, student: Student,
                                            clock: FakeClock) -> None:  # fmt: skip
    with deps(app).sessions() as db:
        db.query(User).update({"email_confirmed_at": clock()})
        db.commit()
    assert "avis envoyés : 0" in cli(app, "scheme", "notify")  # no date: nothing to tell
    assert "Loi 54-23" not in client.get("/").get_data(as_text=True)
    cli(app, "scheme", "cutover", "2026-12-01")
    home = client.get("/").get_data(as_text=True)
    assert "à partir du 01/12/2026" in home and "Demandez dès maintenant à votre parent" in home
    assert "avis envoyés : 1" in cli(app, "scheme", "notify")
    mails = [
        message_from_bytes(p.read_bytes(), policy=default) for p in Path(app.config["MAIL_OUTBOX_DIR"]).glob("*.eml")
    ]
    notices = [m for m in mails if "Loi 54-23" in str(m["Subject"])]
    assert len(notices) == 1 and notices[0]["To"] == student.email
    body = notices[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Demandez dès maintenant à votre parent son N° d'immatriculation CNSS" in body
    assert "avis envoyés : 0" in cli(app, "scheme", "notify")  # once
    client.post("/loi-54-23/lu", data={"csrf_token": csrf_token(client, "/")})
    assert "Loi 54-23" not in client.get("/").get_data(as_text=True)
    clock.advance(days=7)  # after the cut-over: the second notice, once too
    home = client.get("/").get_data(as_text=True)
    assert "depuis le 01/12/2026" in home and "déjà envoyés ne changent pas" in home
    cli(app, "run-scheduler", "--passes", "1")  # the scheduler tells the students, with no cron line to add
    assert "avis envoyés : 0" in cli(app, "scheme", "notify")
    with deps(app).sessions() as db:
        rows = list(db.scalars(select(SchemeNotice)))
        assert {(r.phase, r.emailed_at is not None) for r in rows} == {("avant", True), ("apres", True)}


@pytest.mark.usefixtures("restore_reference")
def test_the_dashboards_stored_estimate_follows_the_cutover(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", {**VALID, **PARENT})
    claim = new_claim(client)
    add_act(client, claim, performed_on="2026-11-20", amount="200")
    assert "64,00" in client.get("/").get_data(as_text=True)  # AMO-E: 80 % of the 80 DH TNR, stored on the row
    cli(app, "reference", "load", str(DATA))
    cli(app, "scheme", "cutover", "2026-11-20")
    home = client.get("/").get_data(as_text=True)
    assert "105,00" in home and "64,00" not in home  # recomputed under the CNSS's rows, not the stale figure
