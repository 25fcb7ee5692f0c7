"""Issue 18: no user data in a log, on the error paths too (a failed database write used to log the row)."""

import html
import logging
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from claimkit.web.deps import deps
from tests.conftest import Student, post_form
from tests.integration.test_profile import RIB, VALID

SECRETS = ("AB123456", "Benjelloun", "Oued", "0612345678", RIB, "D130000000")


def _refuse_profile_writes(app: Flask) -> None:
    """A real database refusal (a trigger), so the error raised is the driver's own, parameters and all."""
    engine = deps(app).engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("CREATE OR REPLACE FUNCTION ck_refuse() RETURNS trigger AS $$ "
                              "BEGIN RAISE EXCEPTION 'refused by test'; END $$ LANGUAGE plpgsql"))  # fmt: skip
            conn.execute(text("CREATE TRIGGER ck_refuse BEFORE INSERT OR UPDATE ON profiles "
                              "FOR EACH ROW EXECUTE FUNCTION ck_refuse()"))  # fmt: skip
        else:
            conn.execute(text("CREATE TRIGGER ck_refuse BEFORE INSERT ON profiles "
                              "BEGIN SELECT RAISE(ABORT, 'refused by test'); END"))  # fmt: skip


@pytest.fixture
def failing_writes(app: Flask) -> Iterator[None]:
    _refuse_profile_writes(app)
    yield
    with deps(app).engine.begin() as conn:
        conn.execute(text("DROP TRIGGER ck_refuse" + (" ON profiles" if conn.dialect.name == "postgresql" else "")))


def test_failed_write_logs_no_personal_data_and_error_page_renders(
    app: Flask, client: FlaskClient, student: Student, failing_writes: object, caplog: pytest.LogCaptureFixture
) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error handler answers, the log records
    caplog.set_level(logging.DEBUG)
    response = post_form(client, "/profil/", VALID)
    assert response.status_code == 500
    # the 500 page itself renders (it used to fail again with PendingRollbackError)
    assert "La demande n'a pas pu être traitée" in html.unescape(response.get_data(as_text=True))
    logged = "\n".join(r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
                       for r in caplog.records)  # fmt: skip
    assert "Exception on /profil/ [POST]" in logged  # the failure is logged: the check below means something
    assert "sqlalchemy.exc." in logged, logged
    for secret in SECRETS:
        assert secret not in logged, secret
    assert client.get("/").status_code in (200, 302)  # the session is usable again
