"""Load bench for issue 9: does the real stack (gunicorn, 2 workers, PostgreSQL) keep the dashboard fast under load?

Why this script exists: the issue sets a goal of dashboard p99 ≤ 50 ms and 0 errors at 200 requests/s with
1,000 students × 20 claims. Unit tests cannot say that; only the production shape can. So this script:

1. refuses to run outside `scripts/with-postgres` (it seeds a throw-away database, never a real one);
2. migrates, seeds the reference data through the services, then bulk-inserts 1,000 students × 20 claims with
   set-based SQL (generate_series), so seeding takes seconds; every student shares ONE real argon2 hash;
3. starts gunicorn (2 workers) on a free 127.0.0.1 port and waits until it answers;
4. logs N virtual students in through the real login form (CSRF included), so each has a server-side session;
5. drives an *open-loop* mix (Poisson arrivals at --rate for --duration seconds): requests are sent on schedule
   whether or not earlier ones have finished, so a slow server shows up as latency, not as a lower offered rate
   (no coordinated omission). Latency is reported both from the actual send and from the scheduled time;
6. prints count, errors, p50/p95/p99 and achieved rate per route, then always stops gunicorn.

Run: `scripts/with-postgres .venv/bin/python bench/load.py [--quick] [--rate 200] [--duration 60]`.
It targets 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

from sqlalchemy import Connection, text

from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.adapters.db.migrate import upgrade
from claimkit.adapters.passwords import hash_password
from claimkit.services.medicines import seed_snapshot
from claimkit.services.reference import seed_defaults

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
PASSWORD = "bench-password-2024"
SECRET_KEY = "bench-load-secret-key-not-for-production"
CLAIMS_PER_STUDENT = 20
# Claim index (0..19) → state. Drafts first: add-act requests target them.
STATES = ["brouillon"] * 8 + ["prete"] * 2 + ["envoyee"] * 3 + ["recue"] * 2 + ["remboursee"] * 3
STATES += ["rejetee", "resoumise"]
MIX = {"dashboard": 0.60, "claim_page": 0.25, "add_act": 0.10, "packet": 0.05}
EXPECTED_STATUS = {"dashboard": 200, "claim_page": 200, "add_act": 302, "packet": 200}
CSRF_RE = re.compile(r'name="csrf_token"[^>]*?value="([^"]+)"|value="([^"]+)"[^>]*?name="csrf_token"')


# --------------------------------------------------------------------------------------------------------- data


def seed(url: str, students: int, percent_names: bool) -> None:
    """Migrates, seeds the reference data through the services, then bulk-inserts students and claims in SQL."""
    started = time.perf_counter()
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as db:
            seed_defaults(db)
            seed_snapshot(db)
        password_hash = hash_password(PASSWORD)  # one argon2 hash, reused by every student
        with engine.begin() as conn:
            if conn.execute(text("SELECT count(*) FROM users")).scalar_one():
                raise SystemExit("load.py: the database already has users; run it on a throw-away database.")
            _bulk_insert(conn, students, password_hash, percent_names)
        with engine.connect() as conn:
            counts = {
                table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("users", "claims", "acts", "medicine_lines", "checklist_ticks", "medicines")
            }
    finally:
        engine.dispose()
    summary = ", ".join(f"{table} {n:,}" for table, n in counts.items())
    print(f"Seeded in {time.perf_counter() - started:.1f} s: {summary}")


def _bulk_insert(conn: Connection, students: int, password_hash: str, percent_names: bool) -> None:
    conn.execute(
        text(
            "INSERT INTO users (email, password_hash, locale, created_at, health_data_consent_at, email_confirmed_at,"
            " reminders_opt_out)"
            " SELECT 'etudiant' || g || '@bench.claimkit.test', :hash, 'fr', now(), now(), now(), false"
            " FROM generate_series(1, :n) AS g ORDER BY g"
        ),
        {"hash": password_hash, "n": students},
    )
    conn.execute(
        text(
            "INSERT INTO profiles (user_id, nom, prenom, nom_ar, prenom_ar, cnie, massar, date_naissance,"
            " etablissement, adresse, telephone, payout_method, rib, other_coverage, updated_at)"
            " SELECT id, 'Bench' || id, 'Etudiant', '', '', 'BK' || lpad(id::text, 6, '0'), '', DATE '2003-05-01',"
            " 'Université Bench', 'Cité universitaire, chambre ' || id || E'\\n10000 Rabat', '0600000000', 'mandat',"
            " '', false, now() FROM users"
        )
    )
    # Claim j of a student: state STATES[j]; kind mostly maladie, some dentaire / ALD / accident.
    conn.execute(
        text(
            "INSERT INTO claims (user_id, kind, state, label, ald_code, ald_accord, third_party_liable, accident_date,"
            " accident_circumstances, sent_on, recommande_number, rejection_reason, created_at, updated_at)"
            " SELECT u.id,"
            "  CASE WHEN j % 5 = 3 THEN 'dentaire' WHEN j = 9 OR j = 14 THEN 'ald' WHEN j = 17 THEN 'accident'"
            "       ELSE 'maladie' END,"
            "  (CAST(:states AS text[]))[j + 1], 'Dossier ' || (j + 1),"
            "  CASE WHEN j = 9 OR j = 14 THEN 'ALD12' ELSE '' END, CASE WHEN j = 9 OR j = 14 THEN 'A-123' ELSE '' END,"
            "  false, CASE WHEN j = 17 THEN current_date - 90 END,"
            "  CASE WHEN j = 17 THEN 'Chute à vélo' ELSE '' END,"
            "  CASE WHEN j >= 10 THEN current_date - (j * 3) END, '', CASE WHEN j = 18 THEN 'Pièce manquante'"
            "  ELSE '' END, now(), now()"
            " FROM users u CROSS JOIN generate_series(0, :per - 1) AS j ORDER BY u.id, j"
        ),
        {"states": STATES, "per": CLAIMS_PER_STUDENT},
    )
    # 1-3 acts per claim, dated so that drafts' deadlines spread over the coming weeks (or are overdue).
    conn.execute(
        text(
            "INSERT INTO acts (claim_id, performed_on, type, amount, practitioner, inpe)"
            " SELECT c.id, current_date - ((c.id * 7) % 50) - CASE WHEN c.state = 'brouillon' THEN 0 ELSE 60 END + k,"
            "  CASE WHEN c.kind = 'dentaire' THEN 'soins_dentaires'"
            "       ELSE (ARRAY['consultation_generaliste', 'pharmacie', 'analyses'])[k + 1] END,"
            "  (150 + (c.id % 7) * 25 + k * 40)::numeric(10, 2), 'Dr Bench ' || (c.id % 97), ''"
            " FROM claims c CROSS JOIN LATERAL generate_series(0, c.id % 3) AS k"
        )
    )
    conn.execute(
        text(
            "UPDATE claims SET deadline = LEAST(f.first + 60, (f.first + interval '2 months')::date)"
            " FROM (SELECT claim_id, min(performed_on) AS first FROM acts GROUP BY claim_id) AS f"
            " WHERE f.claim_id = claims.id"
        )
    )
    # 0-2 medicine lines per claim, taken from the seeded reference (or generic names if it is empty).
    # Names containing "%" (e.g. "... 2 %") are left out unless asked: the claim page passes the medicine name
    # through gettext, which then fails with a 500 (an app bug found by this bench, not a load effect).
    conn.execute(
        text(
            "WITH m AS (SELECT row_number() OVER (ORDER BY id) AS rn, name, ean13, ppv, pbr FROM medicines"
            f"{'' if percent_names else ' WHERE position(chr(37) IN name) = 0'}),"
            " n AS (SELECT greatest(count(*), 1) AS n FROM m)"
            " INSERT INTO medicine_lines (claim_id, name, ean13, ppv, pbr, quantity)"
            " SELECT c.id, coalesce(m.name, 'DOLIPRANE 1000 MG'), coalesce(m.ean13, ''), coalesce(m.ppv, 19.90),"
            "  m.pbr, 1 + (c.id + k) % 2"
            " FROM claims c CROSS JOIN LATERAL generate_series(1, (c.id / 3) % 3) AS k CROSS JOIN n"
            " LEFT JOIN m ON m.rn = 1 + (c.id * 13 + k) % n.n"
        )
    )
    # Checklist ticks: the feuille on two claims out of three, the prescription on half of them.
    conn.execute(
        text(
            "INSERT INTO checklist_ticks (claim_id, item_key, ticked_at)"
            " SELECT id, CASE kind WHEN 'dentaire' THEN 'feuille_dentaire' WHEN 'ald' THEN 'feuille_ald'"
            "  ELSE 'feuille_maladie' END, now() FROM claims WHERE id % 3 <> 0"
            " UNION ALL SELECT id, 'ordonnance', now() FROM claims WHERE id % 2 = 0"
            " UNION ALL SELECT id, 'facture_medecin', now() FROM claims WHERE id % 5 = 1"
        )
    )
    conn.execute(text("ANALYZE"))


@dataclass
class Student:
    """A virtual student: its fixed session cookie (session id + CSRF token) and the claims it owns."""

    email: str
    claims: list[int]
    drafts: list[int]
    cookie: str = ""
    csrf: str = ""


def pick_students(url: str, count: int, total: int) -> list[Student]:
    """N students spread over the whole population, with their claim ids read back from the database."""
    wanted = sorted({1 + (i * total) // count for i in range(count)})
    emails = [f"etudiant{k}@bench.claimkit.test" for k in wanted]
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT u.email, c.id, c.state FROM claims c JOIN users u ON u.id = c.user_id"
                    " WHERE u.email = ANY(:emails) ORDER BY c.id"
                ),
                {"emails": emails},
            ).all()
    finally:
        engine.dispose()
    by_email = {email: Student(email, [], []) for email in emails}
    for email, claim_id, state in rows:
        by_email[email].claims.append(claim_id)
        if state == "brouillon":
            by_email[email].drafts.append(claim_id)
    return list(by_email.values())


def count_acts(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM acts")).scalar_one())
    finally:
        engine.dispose()


# --------------------------------------------------------------------------------------------------------- http


@dataclass
class Reply:
    status: int
    body: bytes
    cookies: dict[str, str]


def request(port: int, method: str, path: str, cookie: str = "", form: dict[str, str] | None = None) -> Reply:
    """One request on a fresh connection (gunicorn's sync workers close it after each response anyway)."""
    headers = {"Connection": "close"}
    body = None
    if cookie:
        headers["Cookie"] = f"session={cookie}"
    if form is not None:
        body = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        cookies: dict[str, str] = {}
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            cookies.update({name: morsel.value for name, morsel in jar.items()})
        return Reply(response.status, data, cookies)
    finally:
        conn.close()


def csrf_token(body: bytes) -> str:
    match = CSRF_RE.search(body.decode("utf-8", "replace"))
    if not match:
        raise RuntimeError("no csrf_token field in the page")
    return match.group(1) or match.group(2)


def log_in(port: int, student: Student) -> None:
    """Real login form, then one claim page: the resulting cookie carries the session id and a CSRF token."""
    page = request(port, "GET", "/compte/connexion")
    cookie = page.cookies.get("session", "")
    form = {"csrf_token": csrf_token(page.body), "email": student.email, "password": PASSWORD}
    reply = request(port, "POST", "/compte/connexion", cookie, form)
    if reply.status != 302 or "session" not in reply.cookies:
        raise RuntimeError(f"login of {student.email} failed: HTTP {reply.status}")
    cookie = reply.cookies["session"]
    claim = request(port, "GET", f"/dossiers/{student.claims[0]}", cookie)
    if claim.status != 200:
        raise RuntimeError(f"claim page after login of {student.email}: HTTP {claim.status}")
    student.cookie = claim.cookies.get("session", cookie)
    student.csrf = csrf_token(claim.body)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_gunicorn(url: str, port: int, workers: int, instance: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        SECRET_KEY=SECRET_KEY,
        CLAIMKIT_INSTANCE=str(instance),
        MAIL_BACKEND="outbox",
        MAIL_OUTBOX_DIR=str(instance / "outbox"),
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--workers", str(workers), "--bind", f"{HOST}:{port}", "--chdir", str(ROOT)]
    command += ["--error-logfile", str(instance / "gunicorn.log"), "wsgi:app"]
    return subprocess.Popen(command, env=env, cwd=ROOT)


def wait_until_up(process: subprocess.Popen[bytes], port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}")
        try:
            if request(port, "GET", "/compte/connexion").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s")


def stop_gunicorn(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------------------------------------- load


@dataclass
class Job:
    route: str
    method: str
    path: str
    cookie: str
    form: dict[str, str] | None
    scheduled: float


@dataclass
class Result:
    route: str
    status: int  # 0 when the request raised
    service_ms: float  # from the actual send to the end of the response
    schedule_ms: float  # from the scheduled time (includes client-side queueing)
    finished: float


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    failures: Counter[str] = field(default_factory=Counter)


def make_job(rng: random.Random, students: list[Student], scheduled: float) -> Job:
    student = rng.choice(students)
    route = rng.choices(list(MIX), weights=list(MIX.values()))[0]
    if route == "dashboard":
        return Job(route, "GET", "/", student.cookie, None, scheduled)
    if route == "claim_page":
        return Job(route, "GET", f"/dossiers/{rng.choice(student.claims)}", student.cookie, None, scheduled)
    if route == "packet":
        return Job(route, "GET", f"/dossiers/{rng.choice(student.claims)}/packet.pdf", student.cookie, None, scheduled)
    form = {
        "csrf_token": student.csrf,
        "performed_on": (date.today() - timedelta(days=rng.randint(0, 20))).isoformat(),
        "type": "consultation_generaliste",
        "amount": "150",
    }
    return Job(route, "POST", f"/dossiers/{rng.choice(student.drafts)}/actes", student.cookie, form, scheduled)


def worker(port: int, jobs: queue.Queue[Job | None], run: Run) -> None:
    while (job := jobs.get()) is not None:
        sent = time.perf_counter()
        try:
            status = request(port, job.method, job.path, job.cookie, job.form).status
        except (OSError, http.client.HTTPException) as error:
            status = 0
            with run.lock:
                run.failures[f"{job.route}: {type(error).__name__}"] += 1
        done = time.perf_counter()
        with run.lock:
            run.results.append(Result(job.route, status, (done - sent) * 1000, (done - job.scheduled) * 1000, done))


def drive(
    port: int, students: list[Student], rate: float, duration: float, threads: int, seed: int
) -> tuple[Run, float]:
    """Open loop: Poisson arrivals at `rate` for `duration` seconds, then drain (bounded) and stop the threads."""
    rng = random.Random(seed)
    jobs: queue.Queue[Job | None] = queue.Queue()
    run = Run()
    pool = [threading.Thread(target=worker, args=(port, jobs, run), daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    start = time.perf_counter()
    next_at, sent = start, 0
    while next_at < start + duration:
        delay = next_at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        jobs.put(make_job(rng, students, next_at))
        sent += 1
        next_at += rng.expovariate(rate)
    for _ in pool:
        jobs.put(None)
    drain_deadline = time.monotonic() + 60
    for thread in pool:
        thread.join(timeout=max(0.0, drain_deadline - time.monotonic()))
    with run.lock:
        unfinished = sent - len(run.results)
    if unfinished:
        run.failures[f"not finished within the 60 s drain (of {sent} sent)"] += unfinished
    return run, start


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def report(run: Run, start: float, duration: float) -> bool:
    """Prints the per-route table; True when every response had the expected status."""
    with run.lock:
        results = list(run.results)
    end = max((r.finished for r in results), default=start + duration)
    elapsed = max(end - start, duration)
    header = f"{'route':<11} {'count':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    header += f" {'p99 sched':>9} {'rate/s':>7}  statuses"
    print(header)
    print("-" * len(header))
    clean = True
    for route in [*MIX, "all"]:
        rows = [r for r in results if route in ("all", r.route)]
        if not rows:
            continue
        expected = EXPECTED_STATUS.get(route)
        errors = sum(
            1 for r in rows if r.status == 0 or r.status >= 400 or r.status != EXPECTED_STATUS[r.route]
        )  # a redirect to the login page on a GET would be a silent failure: it counts too
        clean &= errors == 0
        service = sorted(r.service_ms for r in rows)
        scheduled = sorted(r.schedule_ms for r in rows)
        statuses = " ".join(f"{code}×{n}" for code, n in sorted(Counter(r.status for r in rows).items()))
        print(
            f"{route:<11} {len(rows):>6} {errors:>6} {percentile(service, 50):>8.1f} {percentile(service, 95):>8.1f}"
            f" {percentile(service, 99):>8.1f} {service[-1]:>8.1f} {percentile(scheduled, 99):>9.1f}"
            f" {len(rows) / elapsed:>7.1f}  {statuses}" + (f" (expected {expected})" if expected else "")
        )
    for what, n in run.failures.items():
        print(f"  failure: {what} ×{n}")
    return clean


# --------------------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="offered requests per second (default 200)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 10 s of load")
    parser.add_argument("--students", type=int, default=1000, help="students in the database (default 1000)")
    parser.add_argument("--sessions", type=int, default=50, help="virtual students logged in (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=64, help="client threads, the concurrency cap (default 64)")
    parser.add_argument(
        "--percent-names", action="store_true", help='also use medicine names containing "%%" (500s: known app bug)'
    )
    parser.add_argument("--seed", type=int, default=9, help="random seed of the request mix")
    args = parser.parse_args()
    duration = 10.0 if args.quick else args.duration
    if args.rate <= 0 or duration <= 0 or duration > 600 or not 1 <= args.sessions <= args.students:
        parser.error("need rate > 0, 0 < duration ≤ 600 and 1 ≤ sessions ≤ students")

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql") or not os.environ.get("CLAIMKIT_TEST_DATABASE_URL"):
        print(
            "load.py needs a throw-away PostgreSQL: run it as\n"
            "  scripts/with-postgres .venv/bin/python bench/load.py [--quick]",
            file=sys.stderr,
        )
        return 2

    seed(url, args.students, args.percent_names)
    students = pick_students(url, args.sessions, args.students)
    acts_before = count_acts(url)
    with tempfile.TemporaryDirectory(prefix="claimkit-load-") as tmp:
        instance = Path(tmp)
        port = free_port()
        process = start_gunicorn(url, port, args.workers, instance)
        try:
            wait_until_up(process, port)
            print(f"gunicorn up on {HOST}:{port} with {args.workers} workers (pid {process.pid})")
            login_start = time.perf_counter()
            for student in students:
                log_in(port, student)
            print(f"{len(students)} students logged in via the form in {time.perf_counter() - login_start:.1f} s")
            print(
                f"Driving {args.rate:g} req/s (Poisson, open loop) for {duration:g} s, mix "
                + ", ".join(f"{route} {share:.0%}" for route, share in MIX.items())
                + f", {args.threads} client threads, {os.cpu_count()} CPUs shared by client, server and PostgreSQL"
            )
            run, start = drive(port, students, args.rate, duration, args.threads, args.seed)
        except BaseException:
            log = instance / "gunicorn.log"
            if log.exists():
                print("--- gunicorn log (tail) ---\n" + "\n".join(log.read_text().splitlines()[-30:]), file=sys.stderr)
            raise
        finally:
            stop_gunicorn(process)
        print(f"gunicorn stopped (exit code {process.returncode})")
    clean = report(run, start, duration)
    posted = sum(1 for r in run.results if r.route == "add_act" and r.status == 302)
    print(f"acts added in the database: {count_acts(url) - acts_before} (add_act answered 302: {posted})")
    print("latency columns: from send; 'p99 sched' is measured from the scheduled send time (client queueing too)")
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
