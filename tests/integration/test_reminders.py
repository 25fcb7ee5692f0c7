"""Reminders: planning with the claim, delivery through a real SMTP server and the outbox folder,
exactly-once under 4 concurrent senders, and no loss when senders are SIGKILLed."""

import email
import email.policy
import html
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from claimkit.adapters.db import models as db_models
from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.adapters.mailer import OutboxMailer, SmtpMailer
from claimkit.services import reminders
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, csrf_token, post_form, send_outbox
from tests.integration.reminder_workers import recorded_links, run_sender
from tests.integration.test_claims_flow import add_act, new_claim, tick
from tests.integration.test_profile import VALID

ROOT = Path(__file__).resolve().parents[2]


def rows(app: Flask, claim_id: int | None = None) -> list[db_models.Reminder]:
    with deps(app).sessions() as db:
        query = select(db_models.Reminder).where(db_models.Reminder.kind == "reminder")  # not account mails
        query = query.order_by(db_models.Reminder.due_at)
        if claim_id is not None:
            query = query.where(db_models.Reminder.claim_id == claim_id)
        return list(db.scalars(query))


def confirm_all(app: Flask) -> None:
    with deps(app).sessions() as db:
        for user in db.scalars(select(db_models.User)):
            user.email_confirmed_at = datetime(2026, 11, 1, tzinfo=UTC)
        db.commit()


def unconfirm_all(app: Flask) -> None:
    """Accounts opened before the mail-first sign-up (migration 0018) may have an unconfirmed address; a sign-up
    now confirms it, so the tests of that state set it back. Through the ORM, as the app writes accounts: the flush
    bumps each account's revision, which the cached dashboard is keyed on (adapters/db/revisions.py)."""
    with deps(app).sessions() as db:
        for user in db.scalars(select(db_models.User)):
            user.email_confirmed_at = None
        db.commit()


def send(app: Flask, clock: FakeClock, mailer: Any) -> reminders.PassReport:
    settings = reminders.SenderSettings(app.config["SECRET_KEY"], deps(app).links, "claimkit <noreply@test>")
    return reminders.send_due(deps(app).sessions, clock, mailer, settings)


class ListMailer:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.messages.append(message)


def test_plan_follows_the_claim(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    assert rows(app, claim_id) == []
    add_act(client, claim_id, performed_on="2026-11-20")  # deadline 19 Jan 2027
    planned = rows(app, claim_id)
    assert [r.days_before for r in planned] == [14, 7, 2, 0]
    assert planned[-1].due_at == datetime(2027, 1, 19, 8, 0, tzinfo=UTC)  # 09:00 in Casablanca
    first_ids = [r.id for r in planned]
    tick(client, claim_id, ["feuille_maladie"])  # no date change: the same rows stay
    assert [r.id for r in rows(app, claim_id)] == first_ids
    add_act(client, claim_id, performed_on="2026-11-10")  # earlier first act: re-planned
    assert rows(app, claim_id)[-1].due_at == datetime(2027, 1, 9, 8, 0, tzinfo=UTC)
    tick(client, claim_id, ["feuille_maladie", "facture_medecin"])
    token = csrf_token(client, f"/dossiers/{claim_id}")
    client.post(f"/dossiers/{claim_id}/envoyer", data={"csrf_token": token, "sent_on": "2026-11-25"})
    # sent: no more deadline reminders, one "no news?" follow-up 60 days later (24 Jan 2027, 09:00 local)
    assert [(r.days_before, r.due_at) for r in rows(app, claim_id)] == [(-60, datetime(2027, 1, 24, 8, tzinfo=UTC))]
    other = new_claim(client)
    add_act(client, other, performed_on="2026-11-20")
    client.post(f"/dossiers/{other}/supprimer", data={"csrf_token": token})
    assert rows(app, other) == []


@pytest.fixture
def smtp_server() -> Any:
    class Sink:
        def __init__(self) -> None:
            self.messages: list[email.message.Message] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            return "250 OK"

    sink = Sink()
    with socket.socket() as probe:  # aiosmtpd needs a concrete port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, sink
    controller.stop()


def test_reminder_goes_through_real_smtp(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock, smtp_server: Any
) -> None:
    controller, sink = smtp_server
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client, label="Angine")
    add_act(client, claim_id, performed_on="2026-11-20", type="analyses", amount="300")
    confirm_all(app)
    clock.now = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)  # the 14-days reminder is due
    mailer = SmtpMailer("127.0.0.1", controller.port, "none", "", "")
    report = send(app, clock, mailer)
    assert (report.sent, report.failed) == (1, 0)
    assert len(sink.messages) == 1
    message = sink.messages[0]
    assert message["Subject"] == "Plus que 14 jours pour poster votre dossier « Angine »"
    assert message["To"] == "amina@example.ma"
    assert message["List-Unsubscribe"].strip().startswith(f"<{app.config['BASE_URL']}/desabonnement/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    parts = {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk()
             if not part.is_multipart()}  # fmt: skip
    assert set(parts) == {"text/plain", "text/html"}
    assert "19 janvier 2027" in parts["text/plain"] and "Facture du laboratoire" in parts["text/plain"]
    assert f"{app.config['BASE_URL']}/dossiers/{claim_id}" in parts["text/html"]
    assert send(app, clock, mailer).sent == 0  # once only
    assert [r.status for r in rows(app, claim_id)] == ["sent", "pending", "pending", "pending"]


def test_outbox_folder_unconfirmed_and_opt_out(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock, tmp_path: Path
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)
    add_act(client, claim_id, performed_on="2026-11-20")
    clock.now = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
    outbox = OutboxMailer(tmp_path / "outbox")
    unconfirm_all(app)
    assert send(app, clock, outbox).skipped == 1  # address not confirmed yet
    assert rows(app, claim_id)[0].last_error == "adresse non confirmée"
    confirm_all(app)
    clock.now = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)  # the 7-days one
    assert send(app, clock, outbox).sent == 1
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert "Plus que 7 jours" in parsed["Subject"]
    with deps(app).sessions() as db:
        user = db.scalar(select(db_models.User))
        assert user is not None
        user.reminders_opt_out = True
        db.commit()
    clock.now = datetime(2027, 1, 17, 9, 0, tzinfo=UTC)
    assert send(app, clock, outbox).skipped == 1


def test_failed_sends_back_off_then_fail(app: Flask, client: FlaskClient, student: Student, clock: FakeClock) -> None:
    class Broken:
        def send(self, message: EmailMessage) -> None:
            raise ConnectionRefusedError("SMTP down")

    post_form(client, "/profil/", VALID)
    add_act(client, new_claim(client), performed_on="2026-11-20")
    confirm_all(app)
    clock.now = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
    delays = []
    for _ in range(reminders.MAX_ATTEMPTS):
        report = send(app, clock, Broken())
        row = rows(app)[0]
        delays.append(row.due_at - clock.now)
        clock.now = row.due_at
    assert report.failed == 1
    assert rows(app)[0].status == "failed" and "SMTP down" in rows(app)[0].last_error
    assert delays[:3] == [timedelta(minutes=2), timedelta(minutes=4), timedelta(minutes=8)]


def test_confirmation_and_unsubscribe_links(app: Flask, client: FlaskClient, clock: FakeClock) -> None:
    outbox = ListMailer()
    Student(client).sign_up()
    unconfirm_all(app)
    deps(app).mailer = outbox
    post_form(client, "/rappels/confirmation", {})
    assert outbox.messages == []  # queued: the scheduler sends it
    send_outbox(app)
    assert len(outbox.messages) == 1
    body = outbox.messages[0].get_body(("plain",))
    assert body is not None
    link = next(w for w in body.get_content().split() if "/rappels/confirmer/" in w)
    path = link.split("http://127.0.0.1:5000", 1)[1]
    assert "Adresse confirmée" in client.get(path, follow_redirects=True).get_data(as_text=True)
    assert "invalide ou a expiré" in client.get(path[:-3] + "xyz", follow_redirects=True).get_data(as_text=True)

    from claimkit.services import notifications

    with deps(app).sessions() as db:
        token = notifications.unsubscribe_token(app.config["SECRET_KEY"], db.get(db_models.User, 1))
    anonymous = app.test_client()
    assert "Ne plus recevoir les rappels" in anonymous.get(f"/desabonnement/{token}").get_data(as_text=True)
    with deps(app).sessions() as db:
        assert db.get(db_models.User, 1).reminders_opt_out is False  # a GET changes nothing
    assert anonymous.post(f"/desabonnement/{token}").status_code == 200  # RFC 8058: no CSRF token
    assert anonymous.post(f"/desabonnement/{token}x").status_code == 404
    with deps(app).sessions() as db:
        assert db.get(db_models.User, 1).reminders_opt_out is True


def test_calendar_feed_is_private_and_revocable(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client, label="Dentiste, détartrage")
    add_act(client, claim_id, performed_on="2026-11-20")
    page = post_form(client, "/rappels/calendrier", {}, follow_redirects=True).get_data(as_text=True)
    feed_path = page.split('id="feed" type="text" readonly value="', 1)[1].split('"', 1)[0].split("localhost", 1)[1]
    ics = app.test_client().get(feed_path)
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    text = ics.get_data(as_text=True)
    assert "DTSTART;VALUE=DATE:20270119" in text and "TRIGGER:-P7D" in text
    assert "Dentiste\\, détartrage" in text.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    post_form(client, "/rappels/calendrier/revoquer", {})
    assert app.test_client().get(feed_path).status_code == 404


def test_cli_send_reminders(app: Flask, client: FlaskClient, student: Student, clock: FakeClock) -> None:
    outbox = ListMailer()
    deps(app).mailer = outbox
    add_act(client, new_claim(client), performed_on="2026-11-20")
    confirm_all(app)
    clock.now = datetime(2027, 1, 19, 9, 0, tzinfo=UTC)  # all four are due after an outage: only the last goes
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert "envoyés : 1, à réessayer : 0, échoués : 0, ignorés : 3" in result.output
    assert len(outbox.messages) == 1 and "Aujourd'hui, dernier jour" in outbox.messages[0]["Subject"]


def seed_due(url: str, count: int) -> None:
    """`count` open claims of one confirmed student, each with one reminder already due."""
    engine = make_engine(url)
    with make_session_factory(engine)() as db:
        now = datetime.now(UTC)
        user = db_models.User(email="load@example.ma", password_hash="x", locale="fr", created_at=now,
                              health_data_consent_at=now, email_confirmed_at=now)  # fmt: skip
        db.add(user)
        db.flush()
        for i in range(count):
            claim = db_models.Claim(user_id=user.id, kind="maladie", state="brouillon", label=f"C{i}",
                                    deadline=date(2030, 1, 1), created_at=now, updated_at=now)  # fmt: skip
            db.add(claim)
            db.flush()
            db.add(db_models.Reminder(claim_id=claim.id, days_before=0, due_at=now - timedelta(minutes=1),
                                      status="pending", attempts=0, claimed_by=""))  # fmt: skip
        db.commit()
    engine.dispose()


def deliveries(log: Path) -> Counter[str]:
    return Counter(log.read_text().split()) if log.exists() else Counter()


def status_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with make_session_factory(engine)() as db:
        result = dict(
            db.execute(select(db_models.Reminder.status, func.count()).group_by(db_models.Reminder.status)).all()
        )  # type: ignore[arg-type]
    engine.dispose()
    return result


def test_four_senders_deliver_each_reminder_exactly_once(database_url: str, tmp_path: Path) -> None:
    seed_due(database_url, 500)
    log = tmp_path / "deliveries.log"
    ctx = multiprocessing.get_context("spawn")
    links = recorded_links(database_url, tmp_path / "instance")
    workers = [ctx.Process(target=run_sender, args=(database_url, str(log), links)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    sent = deliveries(log)
    assert len(sent) == 500, "lost reminders"
    assert max(sent.values()) == 1, "duplicates"
    assert status_counts(database_url) == {"sent": 500}


def test_two_schedulers_on_one_database_send_each_mail_once(database_url: str, tmp_path: Path) -> None:
    """Two `run-scheduler` processes (two machines) on one database, with a mailer slower than the lease: without
    the pass lock the second retakes rows the first is still mailing and sends them again."""
    seed_due(database_url, 200)
    outbox = tmp_path / "outbox"
    # 20 passes 0.3 s apart: room for the other scheduler's turn even when a loaded machine makes the first pass
    # (50 slow mails and the process's warm-up) last several seconds
    command = [sys.executable, "-m", "tests.integration.reminder_workers", database_url, str(outbox), "20"]
    logs = [tmp_path / f"scheduler-{n}.log" for n in range(2)]  # files, not pipes: a full pipe would block one
    schedulers = []
    for log in logs:
        with log.open("w") as out:
            schedulers.append(subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT))
    try:
        codes = [scheduler.wait(timeout=180) for scheduler in schedulers]
    finally:
        for scheduler in schedulers:
            if scheduler.poll() is None:
                scheduler.kill()
    outputs = [log.read_text() for log in logs]
    assert codes == [0, 0], outputs
    sent = deliveries(tmp_path / "deliveries.log")
    assert len(sent) == 200, "lost reminders"
    assert max(sent.values()) == 1, f"duplicates: {sum(sent.values()) - len(sent)}"
    assert len(list(outbox.glob("*.eml"))) == 200
    assert status_counts(database_url) == {"sent": 200}
    passes = [line for out in outputs for line in out.splitlines() if line.startswith("passage ")]
    assert len(passes) == 40, outputs
    assert any("passage sauté" in line for line in passes), "the two schedulers never met: nothing was tested"
    assert all(any("envoyés : " in line for line in out.splitlines()) for out in outputs)


def test_senders_killed_at_random_lose_nothing(database_url: str, tmp_path: Path) -> None:
    seed_due(database_url, 300)
    log = tmp_path / "deliveries.log"
    ctx = multiprocessing.get_context("spawn")
    rng = random.Random(20261125)
    # a slow mailer (300 mails take seconds), small batches, a lease longer than a busy machine's scheduling
    # hiccups: a duplicate then comes from a kill between a send and its record, not from a live sender the lease
    # gave up on. Each sender is killed only once it is set up, so every kill lands while mails go out.
    links = recorded_links(database_url, tmp_path / "instance")
    args = (database_url, str(log), links, 0.03, 3.0, 5)
    running = [ctx.Process(target=run_sender, args=args) for _ in range(2)]
    for worker in running:
        worker.start()

    def ready(worker: Any) -> bool:
        return Path(f"{log}.ready-{worker.pid}").exists()

    kills = 0
    while kills < 15 and len(deliveries(log)) < 250:
        victim = running.pop(rng.randrange(len(running)))
        deadline = time.monotonic() + 30
        while victim.is_alive() and not ready(victim) and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0.05, 0.4))
        if victim.is_alive():
            os.kill(victim.pid, signal.SIGKILL)  # type: ignore[arg-type]
            kills += 1
        victim.join()
        replacement = ctx.Process(target=run_sender, args=args)
        replacement.start()
        running.append(replacement)
    during_kills = len(deliveries(log))
    for worker in running:
        worker.join(60)
    deadline = time.monotonic() + 60
    while set(status_counts(database_url)) != {"sent"} and time.monotonic() < deadline:
        run_sender(database_url, str(log), links, 0.0, 0.5, 50)
    sent = deliveries(log)
    duplicates = sum(sent.values()) - len(sent)
    print(f"\ncrash test: {kills} SIGKILLs, {len(sent)}/300 delivered ({during_kills} during the kills), "
          f"{duplicates} duplicates ({duplicates / 300:.1%})")  # fmt: skip
    assert status_counts(database_url) == {"sent": 300}
    assert len(sent) == 300, "a reminder was lost"
    # at-least-once delivery: a SIGKILL between a mail's send and its record sends that one mail again, and only
    # it (each outcome is committed right after its mail); more duplicates than kills means outcomes are recorded
    # late or a live sender's rows were retaken
    assert duplicates <= kills, f"{duplicates} duplicates for {kills} kills"
    assert kills >= 10 and during_kills >= 100, "the senders were killed before they sent: nothing was tested"


def test_settings_page(app: Flask, client: FlaskClient, student: Student) -> None:
    unconfirm_all(app)
    page = html.unescape(client.get("/rappels/").get_data(as_text=True))
    assert "Confirmez d'abord votre adresse" in page
    assert "Rappels désactivés." in post_form(client, "/rappels/activation", {}, follow_redirects=True).get_data(
        as_text=True
    )
    assert "Un lien de confirmation vient d" in post_form(
        client, "/rappels/confirmation", {}, follow_redirects=True
    ).get_data(as_text=True)


def test_no_news_60_days_after_sending(app: Flask, client: FlaskClient, student: Student, clock: FakeClock) -> None:
    """The follow-up asks the student to check the CNOPS portal; any news (received, paid, rejected) cancels it."""
    post_form(client, "/profil/", VALID)
    waiting, answered = new_claim(client, label="Angine"), new_claim(client, label="Grippe")
    token = csrf_token(client, f"/dossiers/{waiting}")
    for claim_id in (waiting, answered):
        add_act(client, claim_id, performed_on="2026-11-20")
        tick(client, claim_id, ["feuille_maladie", "facture_medecin"])
        sent = {"csrf_token": token, "sent_on": "2026-11-24", "recommande_number": "RR123456789MA"}
        client.post(f"/dossiers/{claim_id}/envoyer", data=sent)
    confirm_all(app)
    clock.now = datetime(2026, 12, 20, 9, tzinfo=UTC)
    client.post(f"/dossiers/{answered}/recu", data={"csrf_token": token, "received_on": "2026-12-20"})
    assert rows(app, answered) == []  # the CNOPS has it: nothing to chase

    mailer = ListMailer()
    clock.now = datetime(2027, 1, 23, 7, 59, tzinfo=UTC)
    assert send(app, clock, mailer).sent == 0  # one minute early
    clock.now = datetime(2027, 1, 23, 8, 0, tzinfo=UTC)  # 24 Nov + 60 days, 09:00 in Casablanca
    assert send(app, clock, mailer).sent == 1
    message = mailer.messages[0]
    assert message["Subject"] == "Votre dossier « Angine » : vérifiez qu'il est bien arrivé"
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "Pas de nouvelles de votre dossier « Angine » depuis 60 jours." in text
    assert "Vous l'avez posté le 24 novembre 2026 (recommandé n° RR123456789MA)." in text
    assert "portail de la CNOPS" in text and f"{app.config['BASE_URL']}/dossiers/{waiting}" in text
    assert send(app, clock, mailer).sent == 0  # once only
