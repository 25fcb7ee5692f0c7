"""Issue 20: where do the dashboard's and the claim page's time go? In-process, no HTTP client in the way.

Seeds the same data set as bench/load.py (students × 20 claims on a throw-away PostgreSQL), signs one student in
through the real login form with Flask's test client, then for each page: the mean time per request, the SQL
statements and rows per request (counted with SQLAlchemy events), and the top functions of a cProfile run.
The login page is the floor: the cost of a request that touches no claim.

Run: `scripts/with-postgres .venv/bin/python bench/profile_pages.py [--requests 200] [--students 1000] [--top 25]`
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import PASSWORD, csrf_token, pick_students, postmaster_pid, seed, server_cpu_seconds

from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.services import system_clock
from claimkit.services.claims import backfill_summaries
from claimkit.web import create_app
from claimkit.web.deps import deps


class Counter:
    """SQL statements and rows fetched, per request."""

    def __init__(self) -> None:
        self.statements = 0
        self.rows = 0

    def before(self, *_args: Any) -> None:
        self.statements += 1

    def after(self, _conn: Any, cursor: Any, *_args: Any) -> None:
        self.rows += max(cursor.rowcount, 0) if cursor.description else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25, help="functions shown per profile (default 25)")
    parser.add_argument("--pages", default="", help="comma-separated page names to run (default: all)")
    parser.add_argument("--dump", default="", help="folder to write each page's raw pstats file into")
    parser.add_argument("--sort", default="cumulative", help="pstats order: cumulative (default) or tottime")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql") or not os.environ.get("CLAIMKIT_TEST_DATABASE_URL"):
        print("Run it as: scripts/with-postgres .venv/bin/python bench/profile_pages.py", file=sys.stderr)
        return 2
    seed(url, args.students, percent_names=False)
    engine = make_engine(url)
    with make_session_factory(engine)() as db:
        backfill_summaries(db, system_clock)  # what `flask db-upgrade` does after the bulk insert
    engine.dispose()
    student = pick_students(url, 1, args.students)[0]
    with tempfile.TemporaryDirectory(prefix="claimkit-profile-") as tmp:
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench-profile", "INSTANCE_PATH": tmp})
        client = app.test_client()
        login = client.get("/compte/connexion")
        form = {"csrf_token": csrf_token(login.data), "email": student.email, "password": PASSWORD}
        if client.post("/compte/connexion", data=form).status_code != 302:
            raise SystemExit("login failed")
        counter = Counter()
        engine = deps(app).engine
        event.listen(engine, "before_cursor_execute", counter.before)
        event.listen(engine, "after_cursor_execute", counter.after)
        pages = {
            "login (floor)": "/compte/connexion",
            "dashboard": "/",
            "claim page": f"/dossiers/{student.claims[0]}",
            "packet (LRU)": f"/dossiers/{student.claims[0]}/packet.pdf",
        }
        print(f"load average {os.getloadavg()[0]:.1f}; {args.requests} requests per page, one student, 20 claims")
        print(f"{'page':<14} {'ms/request':>10} {'× floor':>8} {'CPU ms':>8} {'× floor':>8} {'queries':>8} {'rows':>6}")
        postmaster = postmaster_pid(url)  # CPU = this process + PostgreSQL's client backends (the machine is shared)
        cpu_floor = 0.0
        floor = 0.0
        profiles: dict[str, str] = {}
        wanted = {name.strip() for name in args.pages.split(",") if name.strip()}
        for name, path in pages.items():
            if wanted and name not in wanted and name != "login (floor)":
                continue
            count = args.requests  # the packet too: built once by the warm-up, then from the LRU
            client.get(path)  # warm caches (templates, catalogues)
            counter.statements = counter.rows = 0
            started, cpu_started = time.perf_counter(), time.process_time() + server_cpu_seconds(-1, postmaster)
            for _ in range(count):
                if client.get(path).status_code != 200:
                    raise SystemExit(f"{path}: unexpected status")
            ms = (time.perf_counter() - started) * 1000 / count
            cpu = (time.process_time() + server_cpu_seconds(-1, postmaster) - cpu_started) * 1000 / count
            floor, cpu_floor = floor or ms, cpu_floor or cpu
            print(
                f"{name:<14} {ms:>10.2f} {ms / floor:>8.2f} {cpu:>8.2f} {cpu / cpu_floor:>8.2f}"
                f" {counter.statements / count:>8.1f} {counter.rows / count:>6.0f}"
            )
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(count):
                client.get(path)
            profiler.disable()
            if args.dump:
                profiler.dump_stats(Path(args.dump) / f"{name.split()[0]}.pstats")
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            profiles[name] = out.getvalue()
        for name, text in profiles.items():
            print(f"\n===== cProfile, {name} ({args.sort}) =====")
            print("\n".join(line for line in text.splitlines() if line.strip())[:6000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
