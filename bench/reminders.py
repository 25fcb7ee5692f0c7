"""Issue 7 goal: one due-reminders pass over 1,000,000 planned claims in PostgreSQL in ≤ 0.5 s, via an index.
Issue 20 goal: a pass of 50 mails costs ≤ 3 ms per mail (queries batched per pass, one connection per pass).

Starts its own throw-away PostgreSQL (scripts/with-postgres), plans 4 reminders for each of N claims with
generate_series, makes 200 of them due, then times the sender's claim query and prints its EXPLAIN plan.
Each pass prints its wall time and its CPU time (this process plus PostgreSQL's client backends, from /proc):
the machine is shared, so the CPU time is the steadier figure.
Run: scripts/with-postgres .venv/bin/python bench/reminders.py [N] [--profile]  (--profile: cProfile of one more pass)
"""

import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import postmaster_pid, server_cpu_seconds

from claimkit.adapters.db import migrate
from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.adapters.mailer import Mailer
from claimkit.services import reminders
from claimkit.web import create_app
from claimkit.web.deps import deps


class BytesMailer:
    """Serialises each mail as every real transport does (SMTP's send_message, the outbox's .eml), sends nothing:
    the MIME assembly is part of a mail's cost, the network is not."""

    def __init__(self) -> None:
        self.sent = 0

    def send(self, message: EmailMessage) -> None:
        self.sent += len(message.as_bytes()) > 0


def main() -> None:
    url = os.environ.get("CLAIMKIT_TEST_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        sys.exit("Lancez : scripts/with-postgres .venv/bin/python bench/reminders.py")
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    claims = int(numbers[0]) if numbers else 1_000_000
    migrate.upgrade(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, email, password_hash, locale, created_at, health_data_consent_at, "
                "email_confirmed_at, reminders_opt_out) SELECT g, 'u' || g || '@bench.ma', 'x', 'fr', :now, :now, "
                ":now, false FROM generate_series(1, :users) g"
            ),
            {"now": now, "users": claims // 20},
        )
        conn.execute(
            text(
                "INSERT INTO claims (id, user_id, kind, state, label, ald_code, ald_accord, third_party_liable, "
                "accident_circumstances, deadline, recommande_number, rejection_reason, created_at, updated_at) "
                "SELECT g, 1 + g % :users, 'maladie', 'brouillon', '', '', '', false, '', "
                "(:today)::date + 20 + (g % 60), '', '', :now, :now FROM generate_series(1, :claims) g"
            ),
            {"now": now, "users": claims // 20, "claims": claims, "today": now.date()},
        )
        conn.execute(
            text(
                "INSERT INTO reminders (claim_id, days_before, due_at, status, attempts, claimed_by, last_error) "
                "SELECT c.id, d, (c.deadline - d)::timestamp AT TIME ZONE 'UTC' + interval '8 hours', "
                "'pending', 0, '', '' FROM claims c CROSS JOIN (VALUES (14), (7), (2), (0)) AS o(d)"
            )
        )
        conn.execute(text(
            "UPDATE reminders SET due_at = :past WHERE id IN (SELECT id FROM reminders ORDER BY id LIMIT :due)"),
            {"past": now - timedelta(minutes=5), "due": 250 if "--profile" in sys.argv else 200})  # fmt: skip
        conn.execute(text("ANALYZE"))
    rows = engine.connect().execute(text("SELECT count(*) FROM reminders")).scalar()
    print(f"planned: {claims:,} claims, {rows:,} reminders in {time.perf_counter() - started:.1f} s")

    with engine.connect() as conn:
        plan = conn.execute(text(
            "EXPLAIN ANALYZE SELECT id FROM reminders WHERE status = 'pending' AND due_at <= :now "
            "ORDER BY due_at LIMIT 50 FOR UPDATE SKIP LOCKED"),
            {"now": now}).scalars().all()  # fmt: skip
    print("query plan:\n  " + "\n  ".join(plan))

    sessions = make_session_factory(engine)
    with tempfile.TemporaryDirectory(prefix="claimkit-reminders-") as tmp:  # the scheduler's links: the app's routes
        links = deps(create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "INSTANCE_PATH": tmp})).links
    settings = reminders.SenderSettings("bench", links, "bench@claimkit", batch=50)
    mailer: Mailer = BytesMailer()
    postmaster = postmaster_pid(url)
    timings, cpu = [], []
    for _ in range(4):  # 4 passes of 50 of the 250 due reminders
        t0, c0 = time.perf_counter(), time.process_time() + server_cpu_seconds(-1, postmaster)
        report = reminders.send_due(sessions, lambda: now, mailer, settings)
        timings.append(time.perf_counter() - t0)
        cpu.append(time.process_time() + server_cpu_seconds(-1, postmaster) - c0)
        print(f"pass: {report.sent} sent in {timings[-1] * 1000:.0f} ms, {cpu[-1] * 1000:.0f} ms of CPU")
    if "--profile" in sys.argv:  # a fifth pass of 50 (250 were made due), under the profiler
        profiler = cProfile.Profile()
        profiler.runcall(reminders.send_due, sessions, lambda: now, mailer, settings)
        profiler.dump_stats(Path(tempfile.gettempdir()) / "claimkit-reminders.pstats")  # for pstats callers
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    t0 = time.perf_counter()
    empty = reminders.send_due(sessions, lambda: now, mailer, settings)
    print(f"pass with nothing due: {empty.sent} sent in {(time.perf_counter() - t0) * 1000:.1f} ms")
    median, median_cpu = statistics.median(timings), statistics.median(cpu)
    print(f"median pass (50 mails, composed and serialised): {median * 1000:.0f} ms, CPU {median_cpu * 1000:.0f} ms")
    print(
        f"per mail: {median * 1000 / settings.batch:.1f} ms wall, {median_cpu * 1000 / settings.batch:.2f} ms CPU"
        f" (this process + PostgreSQL; goal ≤ 3 ms; load average {os.getloadavg()[0]:.1f})"
    )
    engine.dispose()


if __name__ == "__main__":
    main()
