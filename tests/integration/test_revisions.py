"""The content revisions behind the packet's ETag (adapters/db/revisions.py), as the add-act POST now writes them:
one bump per transaction, folded into the claim's own UPDATE, and bumped again after a savepoint's rollback."""

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select

from claimkit.adapters.db.models import Claim
from claimkit.web.deps import deps
from tests.conftest import Student, csrf_token
from tests.integration.test_claims_flow import add_act, new_claim


def revision(app: Flask, claim_id: int) -> int:
    with deps(app).sessions() as db:
        return int(db.scalar(select(Claim.revision).where(Claim.id == claim_id)) or 0)


def test_add_act_post_writes_the_claim_row_once_with_its_revision(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    claim_id = new_claim(client, label="Angine")
    add_act(client, claim_id, performed_on="2026-11-03")
    token, before = csrf_token(client, f"/dossiers/{claim_id}"), revision(app, claim_id)
    statements: list[str] = []
    engine = deps(app).engine
    listener = lambda *args: statements.append(" ".join(args[2].split()))  # noqa: E731 - (conn, cursor, statement…)
    event.listen(engine, "before_cursor_execute", listener)
    form = {"csrf_token": token, "performed_on": "2026-11-04", "type": "pharmacie", "amount": "80"}
    answer = client.post(f"/dossiers/{claim_id}/actes", data=form)
    event.remove(engine, "before_cursor_execute", listener)
    assert answer.status_code == 302
    updates = [s for s in statements if s.startswith("UPDATE claims")]
    # one UPDATE carries the deadline, the figures and the revision; no second write of the row, no separate bump
    assert len(updates) == 1 and re.search(r"revision=\(?claims\.revision \+", updates[0]), updates
    assert sum(s.startswith("INSERT INTO acts") for s in statements) == 1
    assert not any(s.startswith("SELECT payments") for s in statements)  # an open claim has no payment
    assert revision(app, claim_id) == before + 1


def test_one_bump_per_transaction_however_many_flushes(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client, label="Angine")
    before = revision(app, claim_id)
    with deps(app).sessions() as db:
        claim = db.get(Claim, claim_id)
        assert claim is not None
        for label in ("Un", "Deux", "Trois"):
            claim.label = label
            db.flush()
        db.commit()
    assert revision(app, claim_id) == before + 1
    with deps(app).sessions() as db:  # the next transaction bumps again
        claim = db.get(Claim, claim_id)
        assert claim is not None
        claim.label = "Quatre"
        db.commit()
    assert revision(app, claim_id) == before + 2


def test_a_savepoint_rolled_back_does_not_swallow_the_next_bump(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    claim_id = new_claim(client, label="Angine")
    before = revision(app, claim_id)
    with deps(app).sessions() as db:
        claim = db.get(Claim, claim_id)
        assert claim is not None
        savepoint = db.begin_nested()
        claim.label = "Annulé"
        db.flush()  # bumped inside the savepoint…
        savepoint.rollback()  # …and undone with it
        claim.label = "Gardé"
        db.commit()
    assert revision(app, claim_id) == before + 1
    with deps(app).sessions() as db:
        assert db.scalar(select(Claim.label).where(Claim.id == claim_id)) == "Gardé"
