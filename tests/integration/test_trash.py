"""Issue 17, lost work: deleting asks once (a page of its own, no JavaScript needed), a deleted claim waits 30
days in the corbeille ("Annuler" right after, "Restaurer" on the data page), then goes for good."""

import html
import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from claimkit.adapters.db.models import Claim, Reminder
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, csrf_token
from tests.integration.test_claims_flow import add_act, claim_row, new_claim
from tests.integration.test_reminders import unconfirm_all


def text(response: object) -> str:
    return html.unescape(response.get_data(as_text=True))  # type: ignore[attr-defined]


def delete(client: FlaskClient, claim_id: int) -> str:
    confirm = client.get(f"/dossiers/{claim_id}/supprimer")
    assert confirm.status_code == 200 and "Supprimer ce dossier ?" in text(confirm)
    token = csrf_token(client, f"/dossiers/{claim_id}/supprimer")
    return text(client.post(f"/dossiers/{claim_id}/supprimer", data={"csrf_token": token}, follow_redirects=True))


def count(app: Flask, model: type) -> int:
    with deps(app).sessions() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_the_claim_page_asks_before_deleting(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client, label="Angine")
    page = text(client.get(f"/dossiers/{claim_id}"))
    assert f'href="/dossiers/{claim_id}/supprimer"' in page  # a link to the question, not a one-tap form
    assert f'action="/dossiers/{claim_id}/supprimer"' not in page
    confirm = text(client.get(f"/dossiers/{claim_id}/supprimer"))
    assert "Angine" in confirm and "Non, garder" in confirm and "30 jours" in confirm
    assert claim_row(app, claim_id).deleted_at is None


def test_deleting_an_act_asks_once(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    add_act(client, claim_id, amount="150")
    act_id = claim_row(app, claim_id).acts[0].id
    assert f'action="/dossiers/{claim_id}/actes/{act_id}/supprimer"' not in text(client.get(f"/dossiers/{claim_id}"))
    path = f"/dossiers/{claim_id}/actes/{act_id}/supprimer"
    confirm = text(client.get(path))
    assert "Supprimer cet acte ?" in confirm and "150,00\u00a0DH" in confirm
    client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert claim_row(app, claim_id).acts == []


def test_undo_right_after_and_restore_from_the_corbeille(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client, label="Dentiste Fès")
    add_act(client, claim_id, performed_on="2026-11-20")
    assert count(app, Reminder) > 0
    home = delete(client, claim_id)
    assert "Dossier mis à la corbeille." in home and "Dentiste Fès" not in home
    assert f'action="/dossiers/{claim_id}/restaurer"' in home  # "Annuler"
    assert client.get(f"/dossiers/{claim_id}").status_code == 404
    with deps(app).sessions() as db:
        pending = db.scalars(select(Reminder).where(Reminder.claim_id == claim_id, Reminder.status == "pending"))
        assert list(pending) == []  # no reminder for a claim in the corbeille
    assert f'action="/dossiers/{claim_id}/restaurer"' not in text(client.get("/"))  # offered once
    data = text(client.get("/donnees"))
    assert "Corbeille" in data and "Dentiste Fès" in data and "Effacé pour de bon le \u206825 déc. 2026\u2069" in data
    token = csrf_token(client, "/donnees")
    page = text(client.post(f"/dossiers/{claim_id}/restaurer", data={"csrf_token": token}, follow_redirects=True))
    assert "Dossier restauré." in page and "Dentiste Fès" in page
    assert claim_row(app, claim_id).deleted_at is None and count(app, Reminder) > 0


def test_the_corbeille_is_purged_after_30_days(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock
) -> None:
    kept, gone = new_claim(client, label="Récent"), new_claim(client, label="Ancien")
    delete(client, gone)
    clock.advance(days=20)
    delete(client, kept)
    clock.advance(days=10, seconds=1)
    runner = app.test_cli_runner()
    assert "dossiers effacés : 1" in runner.invoke(args=["purge-trash"]).output
    assert count(app, Claim) == 1
    data = text(client.get("/donnees"))
    assert "Récent" in data and "Ancien" not in data
    token = csrf_token(client, "/donnees")
    assert client.post(f"/dossiers/{gone}/restaurer", data={"csrf_token": token}).status_code == 404
    clock.advance(days=20)
    assert "Récent" not in text(client.get("/donnees"))  # purged at access too, without the scheduler
    assert count(app, Claim) == 0


def test_another_student_cannot_restore(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    delete(client, claim_id)
    other = app.test_client()
    Student(other, "intrus@example.ma").sign_up()
    token = csrf_token(other, "/donnees")
    assert other.post(f"/dossiers/{claim_id}/restaurer", data={"csrf_token": token}).status_code == 404
    assert claim_row(app, claim_id).deleted_at is not None


def test_a_tick_saved_by_the_page_script_answers_json_and_the_new_version(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    from tests.integration.test_concurrent_forms import hidden_fields

    claim_id = new_claim(client)
    path = f"/dossiers/{claim_id}"
    page = client.get(path).get_data(as_text=True)
    assert 'src="/static/ticks.js"' in page and 'id="pieces-form"' in page
    form = hidden_fields(page, f"{path}/pieces")
    json_headers = {"Accept": "application/json"}
    answer = client.post(f"{path}/pieces", data={**form, "piece": ["feuille_maladie"]}, headers=json_headers)
    assert answer.status_code == 200 and answer.json is not None
    assert answer.json["version"] == int(form["version"]) + 1 and answer.json["ticked_required"] == 1
    assert {t.item_key for t in claim_row(app, claim_id).ticks} == {"feuille_maladie"}
    stale = client.post(
        f"{path}/pieces", data={**form, "idem": "x" * 20, "piece": []}, headers=json_headers
    )  # the old version again
    assert stale.status_code == 409 and "Ce dossier a changé" in stale.json["message"]  # type: ignore[index]
    assert {t.item_key for t in claim_row(app, claim_id).ticks} == {"feuille_maladie"}


def test_an_unconfirmed_address_is_said_on_the_dashboard(app: Flask, client: FlaskClient) -> None:
    """Only accounts opened before the mail-first sign-up can have one (a sign-up now confirms the address)."""
    response = Student(client, "neuve@example.ma").sign_up()
    assert "Compte créé" in text(client.get(response.headers["Location"]))
    assert "pas encore confirmée" not in text(client.get("/"))
    unconfirm_all(app)
    home = text(client.get("/"))
    assert "pas encore confirmée" in home and '<bdi dir="ltr">neuve@example.ma</bdi>' in home
    assert "Renvoyer le lien de confirmation" in home


def test_the_calendar_feed_has_a_one_tap_webcal_link_and_a_copy_button(client: FlaskClient, student: Student) -> None:
    token = csrf_token(client, "/rappels/")
    client.post("/rappels/calendrier", data={"csrf_token": token})
    page = text(client.get("/rappels/"))
    feed = re.search(r'id="feed" type="text" readonly value="(http[^"]+)"', page)
    assert feed, page
    assert f'href="webcal://{feed.group(1).split("://", 1)[1]}"' in page
    assert 'data-copy="feed"' in page and "copy.js" in page
