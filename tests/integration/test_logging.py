"""Logging: the audit lines written at INFO reach standard error by default, LOG_LEVEL and LOG_FORMAT change that,
in a real process (the web app and the scheduler both build the app, so both get the same set-up)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# Signs a student up through the real app and its real database, in a fresh interpreter.
SCRIPT = """
import sys
from claimkit.adapters.db import migrate
from claimkit.web import create_app
from claimkit.web.db import db
from claimkit.services import accounts, system_clock
url = "sqlite:///" + sys.argv[1] + "/log.sqlite3"
migrate.upgrade(url)
app = create_app({"INSTANCE_PATH": sys.argv[1], "DATABASE_URL": url})
with app.app_context():
    accounts.sign_up(db(), system_clock, "yasmine@example.ma", "a long pass phrase 2026", consent=True)
"""


def _run(tmp_path: Path, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LOG_")} | env
    environment.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)], env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stderr


def test_audit_lines_reach_stderr_at_the_default_level(tmp_path: Path) -> None:
    err = _run(tmp_path)
    assert "INFO claimkit.services.accounts: user 1 signed up" in err
    assert "yasmine" not in err


def test_a_higher_level_drops_them(tmp_path: Path) -> None:
    assert "signed up" not in _run(tmp_path, LOG_LEVEL="WARNING")


def test_json_lines_for_production(tmp_path: Path) -> None:
    lines = [json.loads(line) for line in _run(tmp_path, LOG_FORMAT="json").splitlines() if line.startswith("{")]
    assert {"level": "INFO", "logger": "claimkit.services.accounts", "message": "user 1 signed up"}.items() <= (
        lines[-1].items()
    )


# A claim in the corbeille for 31 days: the scheduler's first pass deletes it for good and says so.
OLD_CLAIM = """
import sys
from datetime import UTC, datetime, timedelta
from claimkit.adapters.db import migrate
from claimkit.web import create_app
from claimkit.web.db import db
from claimkit.services import accounts, claims, system_clock
url = "sqlite:///" + sys.argv[1] + "/log.sqlite3"
migrate.upgrade(url)
app = create_app({"INSTANCE_PATH": sys.argv[1], "DATABASE_URL": url})
with app.app_context():
    user = accounts.sign_up(db(), system_clock, "yasmine@example.ma", "a long pass phrase 2026", consent=True)
    claim = claims.create_claim(db(), system_clock, user.id, "maladie", "Angine")
    claims.delete_claim(db(), lambda: datetime.now(UTC) - timedelta(days=31), user.id, claim.id)
"""


def test_the_scheduler_process_logs_the_same_way(tmp_path: Path) -> None:
    """`flask run-scheduler`, a process of its own, gets the same set-up: its audit line as JSON when asked."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LOG_")}
    environment |= {"CLAIMKIT_INSTANCE": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/log.sqlite3"}
    seeded = subprocess.run([sys.executable, "-c", OLD_CLAIM, str(tmp_path)], env=environment, timeout=60)
    assert seeded.returncode == 0
    command = [sys.executable, "-m", "flask", "--app", "claimkit.web:create_app", "run-scheduler", "--passes", "1"]
    done = subprocess.run(
        command, env=environment | {"LOG_FORMAT": "json"}, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert {
        "level": "INFO",
        "logger": "claimkit.services.claims",
        "message": "claim 1 deleted for good (corbeille)",
    }.items() <= lines[-1].items(), done.stderr


def test_an_unknown_format_is_refused() -> None:
    from claimkit.adapters import logs

    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logs.configure("INFO", "xml")
