"""Issue 20: where do the dashboard's and the claim page's time go? In-process, no HTTP client in the way.

Seeds the same data set as bench/load.py (students × 20 claims on a throw-away PostgreSQL), signs one student in
through the real login form with Flask's test client, then for each page: the CPU time per request (this process
plus PostgreSQL's client backends, read from /proc, as bench/load.py counts gunicorn + PostgreSQL), the wall time,
the SQL statements and rows per request (counted with SQLAlchemy events), and the top functions of a cProfile run.
The login page is the floor: the cost of a request that touches no claim. "claim page" cycles through the
student's 20 claims (every state, as load.py's claim_page does); "act POST" is the add-act POST alone (its 302),
"add act" the POST and the page it redirects to (load.py's add_act). Each add-act page posts into drafts it
creates first through the app (`/dossiers/nouveau`), at most ACTS_PER_DRAFT acts each, as a student adds acts:
a claim never grows past its sheet's act rows.

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
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import ACTS_PER_DRAFT, PASSWORD, csrf_token, pick_students, postmaster_pid, seed, server_cpu_seconds

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
        self.seen: list[str] | None = None  # the statements themselves, while a page's first request is traced

    def before(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements += 1
        if self.seen is not None:
            self.seen.append(" ".join(statement.split())[:150])

    def after(self, _conn: Any, cursor: Any, *_args: Any) -> None:
        self.rows += max(cursor.rowcount, 0) if cursor.description else 0


def backends_cpu(postmaster: int | None) -> float:
    """utime + stime (s) of PostgreSQL's client backends ("[local]" children of the postmaster): load.py's reader,
    with no gunicorn process to count (no pid is -1)."""
    return 0.0 if postmaster is None else server_cpu_seconds(-1, postmaster)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--top", type=int, default=25, help="functions shown per profile (default 25)")
    parser.add_argument("--sql", action="store_true", help="print the SQL statements of each page's first request")
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
        today = date.today()
        act_form = {"performed_on": (today - timedelta(days=3)).isoformat(), "type": "consultation_generaliste"}
        act_form |= {"amount": "150", "csrf_token": csrf_token(client.get(f"/dossiers/{student.drafts[0]}").data)}
        claim_paths = [f"/dossiers/{c}" for c in student.claims]
        drafts: list[int] = []

        def new_drafts(count: int) -> None:
            """Empty drafts made through the app, for the add-act pages to fill (ACTS_PER_DRAFT acts each)."""
            token = csrf_token(client.get("/dossiers/nouveau").data)
            for _ in range(count):
                made = client.post("/dossiers/nouveau", data={"csrf_token": token, "kind": "maladie"})
                drafts.append(int(made.headers["Location"].rstrip("/").rsplit("/", 1)[1]))

        def request(name: str, n: int) -> int:
            if name == "claim page":
                return client.get(claim_paths[n % len(claim_paths)]).status_code
            if name in ("act POST", "add act"):
                url = f"/dossiers/{drafts[n // ACTS_PER_DRAFT]}/actes"
                sent = client.post(url, data=act_form, follow_redirects=name == "add act")
                return 200 if sent.status_code == 302 else sent.status_code
            return client.get(pages[name]).status_code

        pages = {
            "login (floor)": "/compte/connexion",
            "dashboard": "/",
            "claim page": "",
            "act POST": "",
            "add act": "",
            "packet": f"/dossiers/{student.claims[0]}/packet.pdf",
        }
        postmaster = postmaster_pid(url)
        print(f"load average {os.getloadavg()[0]:.1f}; {args.requests} requests per page, one student, 20 claims")
        print(f"{'page':<14} {'CPU ms/req':>10} {'× floor':>8} {'wall ms':>8} {'queries':>8} {'rows':>6}")
        floor = 0.0
        profiles: dict[str, str] = {}
        wanted = {name.strip() for name in args.pages.split(",") if name.strip()}
        for name in pages:
            if wanted and name not in wanted and name != "login (floor)":
                continue
            count = max(1, args.requests // 10) if name in ("packet", "act POST", "add act") else args.requests
            if name in ("act POST", "add act"):  # warm-up, measured and profiled requests, each into its own slot
                drafts.clear()
                new_drafts(-(-(2 * count + 1) // ACTS_PER_DRAFT))
            counter.seen = [] if args.sql else None
            request(name, 2 * count)  # warm caches (templates, catalogues)
            if counter.seen is not None:
                print(f"--- SQL of one {name} request:", *counter.seen, sep="\n    ")
                counter.seen = None
            counter.statements = counter.rows = 0
            started, cpu, pg = time.perf_counter(), time.process_time(), backends_cpu(postmaster)
            for n in range(count):
                if request(name, n) != 200:
                    raise SystemExit(f"{name}: unexpected status")
            ms = (time.perf_counter() - started) * 1000 / count
            cpu_ms = (time.process_time() - cpu + backends_cpu(postmaster) - pg) * 1000 / count
            floor = floor or cpu_ms
            print(
                f"{name:<14} {cpu_ms:>10.2f} {cpu_ms / floor:>8.2f} {ms:>8.2f} {counter.statements / count:>8.1f}"
                f" {counter.rows / count:>6.0f}"
            )
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for n in range(count, 2 * count):
                request(name, n)
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
