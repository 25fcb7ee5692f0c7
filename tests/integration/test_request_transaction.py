"""How a request's transaction ends (adapters/db/engine.end, issue 20): one that only read is committed, which is
cheaper than PostgreSQL's ROLLBACK and changes nothing; anything a view wrote, left in the ORM or ran into an
error is rolled back, as `Session.close()` always did. SQLite here, PostgreSQL under `scripts/with-postgres`."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, insert, select, text
from sqlalchemy.exc import SQLAlchemyError

from claimkit.adapters.db.models import Revision
from claimkit.web.db import db
from claimkit.web.deps import deps
from tests.conftest import Student
from tests.integration.test_claims_flow import new_claim

PROBE, KEPT = "probe", "probe-kept"  # rows of `revisions` no code reads


@contextmanager
def endings(engine: Engine) -> Iterator[list[str]]:
    """ "commit" and "rollback" of the engine's transactions inside the block, in order."""
    seen: list[str] = []

    def commit(_conn: Any) -> None:
        seen.append("commit")

    def rollback(_conn: Any) -> None:
        seen.append("rollback")

    event.listen(engine, "commit", commit)
    event.listen(engine, "rollback", rollback)
    try:
        yield seen
    finally:
        event.remove(engine, "commit", commit)
        event.remove(engine, "rollback", rollback)


@pytest.fixture
def probes(app: Flask) -> Flask:
    """Views that leave their transaction in each state, registered before the app's first request."""
    with deps(app).sessions() as session:
        session.execute(insert(Revision).values(name=KEPT, value=1))
        session.commit()

    @app.get("/_probe/read")
    def read() -> str:
        return str(db().scalar(select(Revision.value).where(Revision.name == KEPT)))

    @app.get("/_probe/write")
    def write() -> str:
        db().execute(insert(Revision).values(name=PROBE, value=1))  # never committed by the view
        return "ok"

    @app.get("/_probe/unflushed")
    def unflushed() -> str:
        row = db().scalars(select(Revision).where(Revision.name == KEPT)).one()
        row.value = -7  # changed in the ORM only: a commit would flush it
        return "ok"

    @app.get("/_probe/failed")
    def failed() -> str:
        try:
            db().execute(text("SELECT no_such_column FROM revisions"))
        except SQLAlchemyError:
            return "caught"
        return "not failed"

    return app


def kept(app: Flask) -> int | None:
    with deps(app).sessions() as session:
        return session.scalar(select(Revision.value).where(Revision.name == KEPT))


def probe_rows(app: Flask) -> int:
    with deps(app).sessions() as session:
        return len(session.scalars(select(Revision).where(Revision.name == PROBE)).all())


def test_a_request_that_only_read_is_committed(probes: Flask, client: FlaskClient) -> None:
    with endings(deps(probes).engine) as seen:
        assert client.get("/_probe/read").status_code == 200
    assert seen == ["commit"]


def test_a_signed_in_page_ends_without_a_rollback(app: Flask, client: FlaskClient, student: Student) -> None:
    claim_id = new_claim(client, label="Angine")
    for url in ("/", f"/dossiers/{claim_id}", "/", f"/dossiers/{claim_id}"):  # drawn, then from the store
        with endings(deps(app).engine) as seen:
            assert client.get(url).status_code == 200
        assert seen and "rollback" not in seen, (url, seen)


def test_what_a_view_wrote_without_committing_is_rolled_back(probes: Flask, client: FlaskClient) -> None:
    with endings(deps(probes).engine) as seen:
        assert client.get("/_probe/write").status_code == 200
    assert seen == ["rollback"] and probe_rows(probes) == 0


def test_an_orm_change_left_unflushed_is_not_written(probes: Flask, client: FlaskClient) -> None:
    with endings(deps(probes).engine) as seen:
        assert client.get("/_probe/unflushed").status_code == 200
    assert seen == ["rollback"] and kept(probes) == 1


def test_a_failed_statement_ends_in_a_rollback(probes: Flask, client: FlaskClient) -> None:
    with endings(deps(probes).engine) as seen:
        answer = client.get("/_probe/failed")
    assert answer.get_data(as_text=True) == "caught"
    assert seen == ["rollback"]
    assert client.get("/_probe/read").status_code == 200  # the connection serves the next request
