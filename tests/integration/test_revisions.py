"""The content revisions behind the packet's ETag (adapters/db/revisions.py), as the add-act POST now writes them:
one bump per transaction, folded into the claim's own UPDATE, and bumped again after a savepoint's rollback."""

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select, update

from claimkit.adapters.db.models import Claim, User
from claimkit.adapters.db.revisions import page_revisions
from claimkit.services.claims import purge_deleted
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, csrf_token
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


def fingerprint(app: Flask, user_id: int) -> tuple[int, str]:
    with deps(app).sessions() as db:
        return page_revisions(db, user_id)


def test_the_claims_fingerprint_moves_with_every_claim_change_and_only_then(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock
) -> None:
    """The cached pages' key (services/page_keys.py) holds the student's claims as one fingerprint: count, highest
    id and sum of revision + version. Each kind of change, deleted and purged claims included, must give a value
    never seen before, and a request that changes nothing the same one."""
    with deps(app).sessions() as db:
        user_id = int(db.scalar(select(User.id).where(User.email == student.email)) or 0)
    seen = [fingerprint(app, user_id)]
    assert seen[0][1] == "0:0:0"  # no claim yet

    def changed() -> None:
        now = fingerprint(app, user_id)
        assert now[1] not in {value for _, value in seen}, now
        seen.append(now)

    first, second = new_claim(client, label="Angine"), new_claim(client, label="Grippe")
    changed()
    client.get("/")
    client.get(f"/dossiers/{first}")
    assert fingerprint(app, user_id) == seen[-1]  # reading changes nothing
    add_act(client, first)
    changed()
    with deps(app).sessions() as db:  # the optimistic lock alone, as the guard bumps it (Core, no revision)
        db.execute(update(Claim).where(Claim.id == second).values(version=Claim.version + 1))
        db.commit()
    changed()
    client.post(f"/dossiers/{second}/supprimer", data={"csrf_token": csrf_token(client, f"/dossiers/{second}")})
    changed()  # in the corbeille: still counted, its revision moved
    clock.advance(days=60)
    with deps(app).sessions() as db:
        assert purge_deleted(db, clock, Path(app.instance_path), user_id) == 1
    changed()  # purged: one claim fewer
    third = new_claim(client, label="Otite")
    changed()  # as many claims as before the purge, but a higher id
    assert third > second
    assert len({value for _, value in seen}) == len(seen)
