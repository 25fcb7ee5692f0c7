"""Issue 7 goal: one due-reminders pass over 1,000,000 planned claims in PostgreSQL in ≤ 0.5 s, via an index.
Issue 20 goal: a pass of 50 mails costs ≤ 3 ms per mail (queries batched per pass, one connection per pass).

Starts its own throw-away PostgreSQL (scripts/with-postgres), plans 4 reminders for each of N claims with
generate_series, makes 200 of them due, then times the sender's claim query and prints its EXPLAIN plan.
Run: scripts/with-postgres .venv/bin/python bench/reminders.py [N]
"""

import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from claimkit.adapters.db import migrate
from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.adapters.mailer import Mailer
from claimkit.services import reminders


class NullMailer:
    def send(self, message: object) -> None:
        """Delivery is not what is measured here."""


def main() -> None:
    url = os.environ.get("CLAIMKIT_TEST_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        sys.exit("Lancez : scripts/with-postgres .venv/bin/python bench/reminders.py")
    claims = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
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
            "UPDATE reminders SET due_at = :past WHERE id IN (SELECT id FROM reminders ORDER BY id LIMIT 200)"),
            {"past": now - timedelta(minutes=5)})  # fmt: skip
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
    settings = reminders.SenderSettings("bench", "http://127.0.0.1:5000", "bench@claimkit", batch=50)
    mailer: Mailer = NullMailer()  # type: ignore[assignment]
    timings = []
    for _ in range(4):  # 4 passes of 50 drain the 200 due reminders
        t0 = time.perf_counter()
        report = reminders.send_due(sessions, lambda: now, mailer, settings)
        timings.append(time.perf_counter() - t0)
        print(f"pass: {report.sent} sent in {timings[-1] * 1000:.0f} ms")
    t0 = time.perf_counter()
    empty = reminders.send_due(sessions, lambda: now, mailer, settings)
    print(f"pass with nothing due: {empty.sent} sent in {(time.perf_counter() - t0) * 1000:.1f} ms")
    median = statistics.median(timings)
    print(f"median pass (50 reminders each, composed and 'sent'): {median * 1000:.0f} ms")
    print(f"per mail: {median * 1000 / settings.batch:.1f} ms (goal ≤ 3 ms; load average {os.getloadavg()[0]:.1f})")
    engine.dispose()


if __name__ == "__main__":
    main()
