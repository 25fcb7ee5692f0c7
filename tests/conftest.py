"""Fixtures: a real database per test (SQLite copy of a migrated template, or PostgreSQL when
CLAIMKIT_TEST_DATABASE_URL is set by `make test-pg`), the real app, and a logged-in student helper."""

import email.policy
import os
import re
import shutil
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from claimkit.adapters.db import migrate
from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.adapters.db.models import Base
from claimkit.adapters.db.reference import seed_defaults
from claimkit.services.medicines import seed_snapshot
from claimkit.web import cli, create_app
from claimkit.web.deps import deps

PG_URL = os.environ.get("CLAIMKIT_TEST_DATABASE_URL", "")


class FakeClock:
    """A settable clock: services receive it instead of reading the system time."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


# Reference data loaded once into the template and kept between tests.
REFERENCE_TABLES = {
    "medicines",
    "medicine_prices",
    "insurers",
    "refund_rates",
    "tariffs",
    "posting_margins",
    "public_holidays",
}


def _migrate_and_seed(url: str) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as db:
        seed_defaults(db)
        seed_snapshot(db)
    engine.dispose()


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    if PG_URL:
        _migrate_and_seed(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate_and_seed(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(migrated_template: str, tmp_path: Path) -> str:
    if PG_URL:
        engine = make_engine(PG_URL)
        names = ", ".join(t.name for t in Base.metadata.sorted_tables if t.name not in REFERENCE_TABLES)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return PG_URL
    target = tmp_path / "claimkit.sqlite3"
    shutil.copy(migrated_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def restore_reference(database_url: str) -> Iterator[None]:
    """For tests that change reference data (medicines, insurer, rates): PostgreSQL keeps it between tests, so
    reload it afterwards."""
    yield
    if PG_URL:
        engine = make_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(sorted(REFERENCE_TABLES))} RESTART IDENTITY CASCADE"))
        engine.dispose()
        _migrate_and_seed(PG_URL)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))


@pytest.fixture
def app(database_url: str, tmp_path: Path, clock: FakeClock) -> Iterator[Flask]:
    app = create_app(
        {
            "INSTANCE_PATH": tmp_path / "instance",
            "DATABASE_URL": database_url,
            "TESTING": True,
            "CLOCK": clock,
            "SERVER_NAME": "localhost",
            # Many tests move the clock months ahead to reach a deadline; session expiry has its own tests
            # (test_sessions.py), which set the production limits back.
            "SESSION_IDLE_HOURS": 10 * 366 * 24,
            "SESSION_MAX_DAYS": 10 * 366,
        }
    )
    yield app
    deps(app).engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client: FlaskClient, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def post_form(client: FlaskClient, url: str, data: dict[str, Any], **kwargs: Any) -> Any:
    """POSTs like a browser: fetches the page first for its CSRF token."""
    return client.post(url, data={"csrf_token": csrf_token(client, url), **data}, **kwargs)


PASSWORD = "correct horse battery"
_LINK = re.compile(r"https?://[^/\s\"<>]+(/[^\s\"<>]+)")


def send_outbox(app: Flask) -> Any:
    """One sender pass, as `flask run-scheduler` does every few seconds: the mails that pages only queued in the
    database (sign-up, reset) and the due reminders land in the mailer (MAIL_OUTBOX_DIR in tests)."""
    with app.app_context():
        return cli.send_pass()


def mails_in(folder: Path, to: str) -> list[EmailMessage]:
    """The mails of an outbox folder (MAIL_OUTBOX_DIR) addressed to `to`, oldest first."""
    found = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.is_dir() else []:
        message = BytesParser(policy=email.policy.default).parsebytes(path.read_bytes())
        if str(message["To"]).lower() == to.lower():
            found.append(message)
    return found


def outbox_mails(app: Flask, to: str) -> list[EmailMessage]:
    return mails_in(Path(app.config["MAIL_OUTBOX_DIR"]), to)


def link_in(messages: list[EmailMessage], prefix: str) -> str:
    """The path of the first link starting with `prefix` in the newest of `messages` that has one (what a
    student clicks)."""
    for message in reversed(messages):
        body = message.get_body(preferencelist=("plain",))
        for path in _LINK.findall(body.get_content() if body else ""):
            if path.startswith(prefix):
                return str(path)
    raise AssertionError(f"no mail with a link to {prefix}")


def mail_link(app: Flask, to: str, prefix: str) -> str:
    """Sends the outbox as the scheduler would, then returns the link to `prefix` of the newest mail to `to`."""
    send_outbox(app)
    return link_in(outbox_mails(app, to), prefix)


class Student:
    def __init__(self, client: FlaskClient, email: str = "amina@example.ma") -> None:
        self.client = client
        self.email = email

    def sign_up(self, password: str = PASSWORD, headers: dict[str, str] | None = None) -> Any:
        """Mail-first, as a student does it: the address, then the link of the mail found in the outbox folder,
        then the password and consent. Returns the last answer (302 to the profile when it worked)."""
        sent = self.client.post(
            "/compte/inscription",
            data={"csrf_token": csrf_token(self.client, "/compte/inscription"), "email": self.email},
            headers=headers,
        )
        assert sent.status_code == 302, sent.get_data(as_text=True)
        return self.finish_sign_up(password, headers=headers)

    def finish_sign_up(self, password: str = PASSWORD, consent: bool = True, **kwargs: Any) -> Any:
        link = mail_link(self.client.application, self.email, "/compte/inscription/")
        data = {"password": password, "confirm": password, **({"consent": "y"} if consent else {})}
        return post_form(self.client, link, data, **kwargs)

    def log_in(self, password: str = PASSWORD) -> Any:
        return post_form(self.client, "/compte/connexion", {"email": self.email, "password": password})

    def log_out(self) -> Any:
        return self.client.post("/compte/deconnexion", data={"csrf_token": csrf_token(self.client, "/profil/")})


@pytest.fixture
def student(client: FlaskClient) -> Student:
    s = Student(client)
    response = s.sign_up()
    assert response.status_code == 302, response.get_data(as_text=True)
    return s


_EXIT_STATUS = pytest.StashKey[int]()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    session.config.stash[_EXIT_STATUS] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Ends the process with pytest's status once every result and the coverage data are written.

    Twice (session 8 on PostgreSQL, session 9 on SQLite) the interpreter aborted while tearing itself down after
    997 tests had passed (`malloc_consolidate(): unaligned fastbin chunk detected`, a C extension's heap at
    finalisation; cause not found), which turned a green run red. Nothing of the run is left to do at that point.
    """
    if _EXIT_STATUS in config.stash:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(config.stash[_EXIT_STATUS])
