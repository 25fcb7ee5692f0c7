"""Fixtures: a real database per test (SQLite copy of a migrated template, or PostgreSQL when
CLAIMKIT_TEST_DATABASE_URL is set by `make test-pg`), the real app, and a logged-in student helper."""

import os
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from claimkit.adapters.db import migrate
from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.adapters.db.models import Base
from claimkit.services.medicines import seed_snapshot
from claimkit.services.reference import seed_defaults
from claimkit.web import create_app
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


class Student:
    def __init__(self, client: FlaskClient, email: str = "amina@example.ma") -> None:
        self.client = client
        self.email = email

    def sign_up(self) -> Any:
        return post_form(
            self.client,
            "/compte/inscription",
            {"email": self.email, "password": PASSWORD, "confirm": PASSWORD, "consent": "y"},
        )

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
