"""The per-process cache of the reference rows (adapters/db/reference_cache.py, issue 20): a change made on one
machine (through the real CLI use cases, or by a migration's raw SQL) shows on another machine's next request,
and a warm claim page reads no reference table. SQLite here, PostgreSQL under `scripts/with-postgres`."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine, event, select, text

from claimkit.adapters.db import reference, reference_cache
from claimkit.adapters.db.models import RefundRate, UserSession
from claimkit.services import accounts
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student
from tests.integration.test_claims_flow import add_act, new_claim
from tests.integration.test_law_54_23 import cli
from tests.integration.test_scale_out import same_browser, second_machine

REFERENCE_TABLES = ("config_dates", "posting_margins", "public_holidays", "refund_rates", "tariffs", "insurers")


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements the engine runs inside the block."""
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)


def reads_reference(seen: list[str]) -> list[str]:
    return [s for s in seen if any(f"FROM {table}" in s for table in REFERENCE_TABLES)]


@contextmanager
def machine_b(app: Flask, client: FlaskClient, clock: FakeClock, tmp_path: Path) -> Iterator[tuple[Flask, FlaskClient]]:
    """A second app on the same database (another machine), signed in with the student's cookie."""
    other = second_machine(app, clock, tmp_path)
    try:
        yield other, same_browser(other, client)
    finally:
        deps(other).engine.dispose()


def page(client: FlaskClient, url: str) -> str:
    return client.get(url).get_data(as_text=True).replace("\u00a0", " ").replace("&nbsp;", " ")


@pytest.mark.usefixtures("restore_reference")
def test_a_rate_loaded_on_one_machine_shows_on_the_other_at_its_next_request(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock, tmp_path: Path
) -> None:
    claim = new_claim(client)
    add_act(client, claim, performed_on="2026-11-20", amount="200")
    with machine_b(app, client, clock, tmp_path) as (other, b):
        assert "80 % du TNR de 80,00" in page(b, f"/dossiers/{claim}")  # built B's cache
        with statements(deps(other).engine) as seen:
            assert "80 % du TNR de 80,00" in page(b, f"/dossiers/{claim}")
        assert reads_reference(seen) == [], "a warm claim page reads no reference table"
        rows = {"rates": [{"regime": "cnops", "basis": "actes", "rate": "0.90", "valid_from": "2026-01-01"}]}
        (tmp_path / "rates.json").write_text(json.dumps(rows))
        assert "lignes ajoutées : 1" in cli(app, "reference", "load", str(tmp_path / "rates.json"))  # on machine A
        shown = page(b, f"/dossiers/{claim}")
        assert "90 % du TNR de 80,00" in shown and "80 % du TNR" not in shown  # B's very next request
        assert reference_cache.cache_of(deps(other).sessions).builds == 2


def test_a_cutover_set_on_one_machine_shows_on_the_others_dashboard(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock, tmp_path: Path
) -> None:
    new_claim(client)
    with machine_b(app, client, clock, tmp_path) as (other, b):
        assert "Loi 54-23" not in page(b, "/")
        with statements(deps(other).engine) as seen:
            assert "Loi 54-23" not in page(b, "/")
        assert reads_reference(seen) == [], "a warm dashboard does not read the cut-over"
        cli(app, "scheme", "cutover", "2027-01-01")  # machine A, through the real use case
        assert "Loi 54-23 : à partir du" in page(b, "/")
        cli(app, "scheme", "cutover", "--unset")
        assert "Loi 54-23" not in page(b, "/")


@pytest.mark.usefixtures("restore_reference")
def test_a_migrations_raw_sql_moves_the_key_too(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock, tmp_path: Path
) -> None:
    """A data migration writes with raw SQL, which no flush sees: `flask db-upgrade` (migrations/env.py) bumps the
    counter after the migrations, so the workers' caches are read again."""
    claim = new_claim(client)
    add_act(client, claim, performed_on="2026-11-20", amount="200")
    with machine_b(app, client, clock, tmp_path) as (_other, b):
        assert "80 % du TNR de 80,00" in page(b, f"/dossiers/{claim}")
        with deps(app).engine.begin() as conn:  # what a migration's op.execute does
            conn.execute(
                text(
                    "INSERT INTO refund_rates (basis, rate, valid_from, source, regime) "
                    "VALUES ('actes', 0.85, '2026-02-01', 'migration', 'cnops')"
                )
            )
        assert "80 % du TNR de 80,00" in page(b, f"/dossiers/{claim}"), "raw SQL alone does not move the key"
        cli(app, "db-upgrade")  # no migration left to run: the counter moves all the same
        assert "85 % du TNR de 80,00" in page(b, f"/dossiers/{claim}")


@pytest.mark.usefixtures("restore_reference")
def test_uncommitted_reference_changes_never_reach_the_cache(app: Flask) -> None:
    """A transaction reads its own reference changes directly; rolled back, they must not stay in the cache under
    a counter value another transaction will reach."""
    sessions = deps(app).sessions
    with sessions() as db:
        before = reference.rates(db)
    with sessions() as db:
        db.add(RefundRate(basis="actes", rate=0.5, valid_from=date(2026, 3, 1), source="essai", regime="cnops"))
        assert len(reference.rates(db)) == len(before) + 1  # its own row, through the autoflush
        db.rollback()
        assert reference.rates(db) == before
    with sessions() as db:
        db.add(RefundRate(basis="actes", rate=0.6, valid_from=date(2026, 4, 1), source="essai", regime="cnops"))
        db.commit()
        assert len(reference.rates(db)) == len(before) + 1
    # built twice: at the first read, and after the commit (the counter moved); after the rollback the counter is
    # back to the first value, whose entry was never replaced by the uncommitted rows
    assert reference_cache.cache_of(sessions).builds == 2


def test_the_cache_is_bounded_and_holds_frozen_rows(app: Flask) -> None:
    cache = reference_cache.ReferenceCache(kept=2)
    with deps(app).sessions() as db:
        for revision in range(5):
            cache.put(reference_cache.build(db, revision))
    assert cache.get(0) is None and cache.get(2) is None and cache.get(4) is not None
    data = cache.get(3)
    assert data is not None
    with pytest.raises(TypeError):
        data.rates["cnops"] = ()  # type: ignore[index]
    assert all(type(row).__dataclass_params__.frozen for row in data.rates["cnops"])  # type: ignore[attr-defined]


def test_the_session_query_brings_the_counter_and_last_seen_is_written_every_few_minutes(
    app: Flask, student: Student, clock: FakeClock
) -> None:
    """One statement per signed-in request: the session, the user, the profile and the reference counter; the
    idle-expiry timestamp is written only once it moved by more than accounts.SEEN_EVERY (5 minutes)."""
    known, sessions, engine = "jeton-de-test", deps(app).sessions, deps(app).engine
    with sessions() as db:
        row = db.scalars(select(UserSession).where(UserSession.revoked_at.is_(None))).first()
        assert row is not None
        row.token_hash = accounts.token_hash(known)  # a token this test knows, for the stored row
        db.commit()
        row_id, user_id, start = row.id, str(row.user_id), row.last_seen_at
        reference.rates(db)  # warms the cache
    for step, written in ((1, False), (3, False), (2, True), (1, False)):  # minutes since start: 1, 4, 6, 7
        clock.advance(minutes=step)
        with sessions() as db, statements(engine) as seen:
            assert accounts.user_for_session(db, clock, known, user_id) is not None
            assert reference.rates(db)  # answered from the cache, keyed by the counter the session query read
        assert any("FROM revisions" in s for s in seen[:1]) and not reads_reference(seen[1:])
        assert len([s for s in seen if s.startswith("UPDATE user_sessions")]) == int(written), (step, seen)
    with sessions() as db:
        found = db.get(UserSession, row_id)
        assert found is not None and found.last_seen_at == start + timedelta(minutes=6)
