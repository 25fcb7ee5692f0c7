"""Issue 20: what every signed-in request pays before its page: the pool's pre-ping, the session+user+profile
query (with the reference counter riding on it) and the ROLLBACK at teardown, each measured alone.

CPU time of this process plus PostgreSQL's client backends (read from /proc, as bench/load.py counts gunicorn +
PostgreSQL), per iteration, over a throw-away cluster. Variants, run back to back in one process:
- "checkout": a connection taken from the pool and given back, with and without `pool_pre_ping`;
- "session query": one request's database work (checkout, the session query, the ROLLBACK of Session.close()),
  with and without pre-ping, and without the reference counter in the query (the query before session 6);
- the same request ended by a COMMIT instead (close() then has nothing to roll back): what the ROLLBACK costs
  beyond the COMMIT any transaction would need.
The variants are interleaved over several rounds and the median kept: the machine is shared.

Run: `scripts/with-postgres .venv/bin/python bench/round_trips.py [--iterations 400] [--rounds 7]`
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, joinedload

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import postmaster_pid, server_cpu_seconds

from claimkit.adapters.db import reference_cache
from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.adapters.db.migrate import upgrade
from claimkit.adapters.db.models import User, UserSession
from claimkit.services.accounts import token_hash

TOKEN = "bench-token"


def session_query(counter: bool) -> Callable[[Session], object]:
    columns = (UserSession, User, reference_cache.counter()) if counter else (UserSession, User)
    statement = (
        select(*columns)
        .join(User, UserSession.user_id == User.id)
        .options(joinedload(User.profile))
        .where(UserSession.token_hash == token_hash(TOKEN), UserSession.revoked_at.is_(None))
    )
    return lambda db: db.execute(statement).first()


def cpu_us(iterations: int, postmaster: int | None, step: Callable[[], object]) -> float:
    cpu, pg = time.process_time(), server_cpu_seconds(-1, postmaster)
    for _ in range(iterations):
        step()
    return (time.process_time() - cpu + server_cpu_seconds(-1, postmaster) - pg) * 1e6 / iterations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=400, help="per variant and round (default 400)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds, variants interleaved (default 7)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        print("Run it as: scripts/with-postgres .venv/bin/python bench/round_trips.py", file=sys.stderr)
        return 2
    upgrade(url)
    now = datetime.now(UTC)
    setup = make_engine(url)
    with make_session_factory(setup)() as db:
        user = User(
            email="bench@claimkit.test", password_hash="x", locale="fr", created_at=now, health_data_consent_at=now
        )
        db.add(user)
        db.flush()
        db.add(UserSession(user_id=user.id, token_hash=token_hash(TOKEN), created_at=now, last_seen_at=now))
        db.commit()
    setup.dispose()
    postmaster = postmaster_pid(url)
    engines = {ping: create_engine(url, pool_pre_ping=ping, hide_parameters=True) for ping in (True, False)}
    factories = {ping: make_session_factory(engine) for ping, engine in engines.items()}

    def checkout(ping: bool) -> Callable[[], object]:
        def step() -> None:
            with engines[ping].connect():
                pass

        return step

    def request(ping: bool, counter: bool, commit: bool = False) -> Callable[[], object]:
        query = session_query(counter)

        def step() -> None:
            with factories[ping]() as db:
                query(db)
                if commit:
                    db.commit()

        return step

    variants = {
        "checkout + checkin, pre_ping on": checkout(True),
        "checkout + checkin, pre_ping off": checkout(False),
        "request: session query + ROLLBACK (as served)": request(True, True),
        "  the same, pre_ping off": request(False, True),
        "  the same, no reference counter (before)": request(True, False),
        "  the same, COMMIT instead of ROLLBACK": request(True, True, commit=True),
    }
    for step in variants.values():  # warm the pools, the statement caches and the backends
        cpu_us(50, postmaster, step)
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.rounds):
        for name, step in variants.items():
            samples[name].append(cpu_us(args.iterations, postmaster, step))
    print(
        f"load average {os.getloadavg()[0]:.1f}; {args.rounds} rounds × {args.iterations} iterations, variants"
        " interleaved; CPU = this process + PostgreSQL backends, median of the rounds"
    )
    median = {name: statistics.median(values) for name, values in samples.items()}
    for name, us in median.items():
        print(f"{name:<52} {us:>8.0f} µs")
    served = median["request: session query + ROLLBACK (as served)"]
    against = {
        "=> pre-ping, per request": "  the same, pre_ping off",
        "=> reference counter in the session query": "  the same, no reference counter (before)",
        "=> ROLLBACK rather than COMMIT": "  the same, COMMIT instead of ROLLBACK",
    }
    for name, other in against.items():
        print(f"{name:<52} {served - median[other]:>8.0f} µs")
    for engine in engines.values():
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
