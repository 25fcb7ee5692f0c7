"""Issue 18: sign-up and forgot-password must not show, by their timing, whether an address has an account.

Times the POST of each form for an address with an account and one without, alternating (so drift in the
machine's load hits both series alike), each request from a new visitor and client address (the rate limits per
client address then behave alike), the CSRF page fetched outside the timing. In-process (Flask test client) on a
throw-away SQLite database, or on PostgreSQL with `--database-url`. Prints median and p95 per path, and their gaps.

Run: .venv/bin/python bench/account_enumeration.py [--requests 200] [--database-url postgresql+psycopg://…]
"""

import argparse
import os
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from sqlalchemy import insert

from claimkit.adapters import passwords
from claimkit.adapters.db import migrate
from claimkit.adapters.db.models import User
from claimkit.web import create_app
from claimkit.web.deps import deps

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _app(instance: Path, url: str, accounts: int) -> Flask:
    migrate.upgrade(url)
    app = create_app({"INSTANCE_PATH": instance, "DATABASE_URL": url, "SERVER_NAME": "localhost"})
    now = datetime.now(UTC)
    digest = passwords.hash_password("correct horse battery")
    with deps(app).sessions() as db:
        db.execute(
            insert(User),
            [
                {"email": f"compte{i}@example.ma", "password_hash": digest, "locale": "fr", "created_at": now,
                 "health_data_consent_at": now, "mail_secret": f"{i:032x}"}
                for i in range(accounts)
            ],
        )  # fmt: skip
        db.commit()
    return app


def _post(app: Flask, path: str, email: str, visitor: int) -> float:
    """Seconds for the POST alone; fails loudly on any answer but the expected redirect."""
    client = app.test_client()
    environ = {"REMOTE_ADDR": f"10.{visitor // 65536 % 256}.{visitor // 256 % 256}.{visitor % 256}"}
    match = _CSRF.search(client.get(path, environ_base=environ).get_data(as_text=True))
    if not match:
        raise SystemExit(f"no CSRF token on {path}")
    started = time.perf_counter()
    response = client.post(path, data={"csrf_token": match.group(1), "email": email}, environ_base=environ)
    elapsed = time.perf_counter() - started
    if response.status_code != 302:
        raise SystemExit(f"{path} answered {response.status_code} for request {visitor}")
    return elapsed


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per path (default 200)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--only", choices=("sign-up", "forgot-password"), help="one form (e.g. on an older commit)")
    args = parser.parse_args()
    n = args.requests
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        url = args.database_url or f"sqlite:///{instance / 'bench.sqlite3'}"
        app = _app(instance, url, n)
        series: dict[str, list[float]] = {}
        visitor = 0
        for form, path, absent in (
            ("sign-up", "/compte/inscription", "nouvelle{}@example.ma"),
            ("forgot-password", "/compte/mot-de-passe-oublie", "personne{}@example.ma"),
        ):
            if args.only and form != args.only:
                continue
            for _ in range(5):  # warm-up: templates compiled, pool filled
                visitor += 1
                _post(app, path, f"chauffe{visitor}@example.ma", visitor)
            for i in range(n):
                for label, email in (("existing", f"compte{i}@example.ma"), ("absent", absent.format(i))):
                    visitor += 1
                    series.setdefault(f"{form} / {label}", []).append(_post(app, path, email, visitor))
        deps(app).engine.dispose()
    print(f"database: {url.split(':', 1)[0]}, {n} requests per path, load average {os.getloadavg()[0]:.1f}")
    print(f"{'path':<34} {'median ms':>10} {'p95 ms':>10}")
    for name, values in series.items():
        print(f"{name:<34} {statistics.median(values) * 1000:>10.2f} {_p95(values) * 1000:>10.2f}")
    for form in ("sign-up", "forgot-password"):
        if args.only and form != args.only:
            continue
        known, other = series[f"{form} / existing"], series[f"{form} / absent"]
        gap = (statistics.median(known) - statistics.median(other)) * 1000
        print(f"{form}: median(existing) − median(absent) = {gap:+.2f} ms")


if __name__ == "__main__":
    main()
