"""Issue 17, concurrency: two tabs, a double tap, "rejeter" and "paiement" sent together, through a real server
(werkzeug, one thread per request) and real client threads. Runs on SQLite and, with `scripts/with-postgres`,
on PostgreSQL: the guards must hold on both (services/guards.py)."""

import html
import re
import threading
import urllib.error
import urllib.parse
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.serving import make_server

from claimkit.adapters.db.models import Claim
from claimkit.web import create_app
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, mail_link
from tests.integration.test_claims_flow import claim_row, new_claim
from tests.integration.test_kill_web import Browser
from tests.integration.test_profile import VALID

ROUNDS = 4


@pytest.fixture
def live(database_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[tuple[Flask, str]]:
    """The real app behind a real threaded HTTP server on 127.0.0.1."""
    app = create_app(
        {"INSTANCE_PATH": tmp_path / "instance", "DATABASE_URL": database_url, "CLOCK": clock, "SECRET_KEY": "x" * 32}
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    deps(app).engine.dispose()


def hidden_fields(page: str, action: str) -> dict[str, str]:
    """The hidden inputs (CSRF token, idempotency key, version) of the form posting to `action`."""
    match = re.search(r'<form[^>]*action="' + re.escape(action) + r'"[^>]*>(.*?)</form>', page, re.S)
    assert match, f"no form for {action}"
    fields = re.findall(r'<input[^>]*type="hidden"[^>]*>', match.group(1))
    found = {}
    for tag in fields:
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and value:
            found[name.group(1)] = html.unescape(value.group(1))
    assert {"csrf_token", "idem"} <= set(found), found
    return found


def signed_in(app: Flask, base: str, email: str) -> Browser:
    browser = Browser(base)
    browser.sign_up(email, lambda to: mail_link(app, to, "/compte/inscription/"))
    assert browser.post("/profil/", VALID)[0] == 302
    return browser


def sent_claim(browser: Browser) -> str:
    status, location, _ = browser.post("/dossiers/nouveau", {"kind": "maladie", "label": "Angine"})
    assert status == 302
    path = urllib.parse.urlsplit(location).path
    act = {"performed_on": "2026-11-03", "type": "consultation_generaliste", "amount": "150"}
    assert browser.post(f"{path}/actes", act, browser.token(path))[0] == 302
    ticks = urllib.parse.urlencode(
        {"csrf_token": browser.token(path), "piece": ["feuille_maladie", "facture_medecin"]}, doseq=True
    ).encode()
    with pytest.raises(urllib.error.HTTPError, match="302"):  # the redirect is not followed: the 302 is the answer
        browser.opener.open(browser.base + f"{path}/pieces", data=ticks, timeout=5)
    assert browser.post(f"{path}/envoyer", {"sent_on": "2026-11-05"}, browser.token(path))[0] == 302
    return path


def together(*posts: tuple[Browser, str, dict[str, str]]) -> list[int]:
    """Sends the POSTs at the same instant from one thread each; returns their statuses."""
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = [0] * len(posts)

    def send(i: int, browser: Browser, path: str, data: dict[str, str]) -> None:
        barrier.wait()
        statuses[i] = browser.request(path, data)[0]

    threads = [threading.Thread(target=send, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return statuses


def claim_of(app: Flask, path: str) -> Claim:
    with deps(app).sessions() as db:
        claim = db.scalar(select(Claim).where(Claim.id == int(path.rsplit("/", 1)[1])))
        assert claim is not None
        _ = (claim.payments, claim.events, claim.acts)
        return claim


def test_a_double_tapped_payment_is_recorded_once(live: tuple[Flask, str]) -> None:
    app, base = live
    browser = signed_in(app, base, "double@example.ma")
    path = sent_claim(browser)
    for n in range(ROUNDS):
        _, _, page = browser.request(path)
        form = {**hidden_fields(page, f"{path}/paiement"), "paid_on": "2026-11-20", "paid_amount": "10",
                "method": "virement", "reference": f"VIR {n}"}  # fmt: skip
        assert together((browser, f"{path}/paiement", form), (browser, f"{path}/paiement", form)) == [302, 302]
    claim = claim_of(app, path)
    assert [p.reference for p in claim.payments] == [f"VIR {n}" for n in range(ROUNDS)]
    assert sum(p.amount for p in claim.payments) == Decimal(10 * ROUNDS)


def test_reject_and_payment_sent_together_never_give_rejected_then_paid(live: tuple[Flask, str]) -> None:
    app, base = live
    browser = signed_in(app, base, "both@example.ma")
    outcomes = set()
    for _ in range(ROUNDS):
        path = sent_claim(browser)
        _, _, page = browser.request(path)
        reject = {**hidden_fields(page, f"{path}/rejet"), "rejected_on": "2026-11-20", "reason": "Ordonnance"}
        pay = {**hidden_fields(page, f"{path}/paiement"), "paid_on": "2026-11-20", "paid_amount": "50",
               "method": "virement"}  # fmt: skip
        assert reject["version"] == pay["version"]
        assert together((browser, f"{path}/rejet", reject), (browser, f"{path}/paiement", pay)) == [302, 302]
        claim = claim_of(app, path)
        kinds = [e.kind for e in claim.events if e.kind in ("rejetee", "partielle", "remboursee")]
        assert len(kinds) == 1, kinds  # exactly one of the two went through
        assert claim.state == kinds[0] and len(claim.payments) == (kinds[0] == "partielle")
        outcomes.add(claim.state)
    assert outcomes <= {"rejetee", "partielle"}


def test_two_tabs_editing_the_same_act_keep_one_edit_and_tell_the_other(live: tuple[Flask, str]) -> None:
    """Two devices (two cookie jars: tabs of one browser share the session cookie, and the answer written last
    would decide whose notice survives) edit the same act at the same instant."""
    app, base = live
    phone = signed_in(app, base, "tabs@example.ma")
    laptop = Browser(base)
    laptop.log_in("tabs@example.ma")
    _, location, _ = phone.post("/dossiers/nouveau", {"kind": "maladie"})
    path = urllib.parse.urlsplit(location).path
    act = {"performed_on": "2026-11-03", "type": "consultation_generaliste", "amount": "15"}
    assert phone.post(f"{path}/actes", act, phone.token(path))[0] == 302
    act_id = claim_of(app, path).acts[0].id
    edit = f"{path}/actes/{act_id}/modifier"
    _, _, first_tab = phone.request(edit)
    _, _, second_tab = laptop.request(edit)
    data = {"performed_on": "2026-11-03", "type": "consultation_generaliste"}
    results = together(
        (phone, edit, {**hidden_fields(first_tab, edit), **data, "amount": "150"}),
        (laptop, edit, {**hidden_fields(second_tab, edit), **data, "amount": "160"}),
    )
    assert results == [302, 302]
    claim = claim_of(app, path)
    assert [a.amount for a in claim.acts] in ([Decimal("150.00")], [Decimal("160.00")])
    assert [e.kind for e in claim.events].count("act_edited") == 1
    told = ["Ce dossier a changé" in html.unescape(device.request(path)[2]) for device in (phone, laptop)]
    assert told.count(True) == 1, told


def test_a_stale_tab_overwrites_nothing_and_a_refused_form_does_not_spend_the_version(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    claim_id = new_claim(client, label="Départ")
    path = f"/dossiers/{claim_id}"
    old_tab = client.get(path).get_data(as_text=True)
    new_tab = client.get(path).get_data(as_text=True)
    details = {"label": "Onglet récent"}
    assert (
        client.post(f"{path}/details", data={**hidden_fields(new_tab, f"{path}/details"), **details}).status_code == 302
    )
    page = client.post(
        f"{path}/details", data={**hidden_fields(old_tab, f"{path}/details"), "label": "Vieil onglet"},
        follow_redirects=True,
    ).get_data(as_text=True)  # fmt: skip
    assert "Ce dossier a changé" in html.unescape(page) and "voici la dernière version" in html.unescape(page)
    assert claim_row(app, claim_id).label == "Onglet récent"
    # A form refused by validation leaves the version as it was: the page's other forms still go through.
    fresh = client.get(path).get_data(as_text=True)
    bad = {**hidden_fields(fresh, f"{path}/actes"), "performed_on": "2026-11-20", "type": "pharmacie", "amount": "x"}
    client.post(f"{path}/actes", data=bad)
    good = {**hidden_fields(fresh, f"{path}/details"), "label": "Toujours là"}
    assert "Ce dossier a changé" not in client.post(f"{path}/details", data=good, follow_redirects=True).get_data(
        as_text=True
    )
    assert claim_row(app, claim_id).label == "Toujours là"


def test_a_replayed_form_is_recorded_once(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client)
    path = f"/dossiers/{claim_id}"
    form = {**hidden_fields(client.get(path).get_data(as_text=True), f"{path}/actes"), "performed_on": "2026-11-20",
            "type": "pharmacie", "amount": "40"}  # fmt: skip
    del form["version"]  # the key alone (a resent POST after the version moved would be refused anyway)
    client.post(f"{path}/actes", data=form)
    page = client.post(f"{path}/actes", data=form, follow_redirects=True).get_data(as_text=True)
    assert "il n'a été enregistré qu'une fois" in html.unescape(page)
    assert [a.amount for a in claim_row(app, claim_id).acts] == [Decimal("40.00")]
