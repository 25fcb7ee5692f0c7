"""Load bench (issues 9 and 20): what does the real stack (gunicorn, 2 workers, PostgreSQL) cost per request?

The issue-9 version drove the load from 64 Python threads, which took much of the 2 cores and so measured the
client as much as the server. This one uses `hey` (Debian package, compiled Go; installed here when missing), with
a rate per worker (`-q`) and enough workers that a slow response does not lower the offered rate much.

1. refuses to run outside `scripts/with-postgres` (it seeds a throw-away database, never a real one);
2. migrates, seeds the reference data through the services, bulk-inserts 1,000 students × 20 claims with
   set-based SQL, then lets `backfill_summaries` (what `flask db-upgrade` runs) store the dashboard figures;
3. starts gunicorn (2 workers) on a free 127.0.0.1 port, signs students in through the real login form;
4. phase "cost": each route alone at a low rate (--cost-rate): latency, and the server's CPU time per request
   (gunicorn workers + PostgreSQL backends, read from /proc), each divided by the login page's = the floor;
5. phase "dashboard": the dashboard alone at --dashboard-rate (300/s) offered;
6. phase "mix": dashboard 60 %, claim 25 %, add act 10 %, packet 5 % at --rate (200/s) offered;
7. prints count, errors, p50/p95/p99 and achieved rate per route, the load average, then stops gunicorn.

Add act is posted the way students add acts: into many drafts, ACTS_PER_DRAFT each, never the same few claims
all run long (a claim would grow by hundreds of acts, each POST costing more than the last, and the sheet's act
rows would refuse most of them). Each draft belongs to a student signed in for it (not one whose dashboard or
claim pages are measured) and gets its own short hey process (`-n ACTS_PER_DRAFT -c 1`), launched on a fixed
schedule (open loop: a slow answer does not delay the next launch, up to a cap on the processes running at
once, see `_post_acts`); each phase takes fresh drafts, and checks that the acts added in the database are
exactly the add-act requests sent and answered.

Run: `make bench-load` or `scripts/with-postgres .venv/bin/python bench/load.py [--quick]`.
Targets 127.0.0.1 only; every hey run is bounded by -z (duration) or -n (a draft's acts).
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
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
from claimkit.services import system_clock

try:  # a tree from before issue 20 has no stored dashboard figures (the bench also measures the "before")
    from claimkit.services.claims import backfill_summaries
except ImportError:
    backfill_summaries = None
from claimkit.adapters.db.reference import seed_defaults
from claimkit.services.medicines import seed_snapshot

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
PASSWORD = "bench-password-2024"
SECRET_KEY = "bench-load-secret-key-not-for-production"
CLAIMS_PER_STUDENT = 20
# Claim index (0..19) → state. Drafts first: add-act requests target them.
STATES = ["brouillon"] * 8 + ["prete"] * 2 + ["envoyee"] * 3 + ["recue"] * 2 + ["remboursee"] * 3
STATES += ["rejetee", "resoumise"]
# Acts one add-act target posts into one draft: a student adds a few acts to a claim, never more than its sheet's
# rows (6 on the maladie sheet); the seeded drafts hold 1-3 acts already.
ACTS_PER_DRAFT = 3
MIX = {"dashboard": 0.60, "claim_page": 0.25, "add_act": 0.10, "packet": 0.05}
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


def spread(count: int, total: int) -> list[int]:
    """The numbers of N students spread over the whole population."""
    return sorted({1 + (i * total) // count for i in range(count)})


def pick_students(url: str, count: int, total: int) -> list[Student]:
    """N students spread over the whole population, with their claim ids read back from the database."""
    return numbered_students(url, spread(count, total))


def numbered_students(url: str, numbers: list[int]) -> list[Student]:
    """The students of these numbers (etudiantN@…), with their claim ids read back from the database."""
    emails = [f"etudiant{k}@bench.claimkit.test" for k in numbers]
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


@dataclass(frozen=True)
class Draft:
    """A draft that one add-act hey process posts ACTS_PER_DRAFT acts into, as its student (cookie, CSRF)."""

    claim_id: int
    cookie: str
    csrf: str


class Drafts:
    """The drafts of the add-act students, each handed out once: no claim receives acts from two phases."""

    def __init__(self, students: list[Student]) -> None:
        self.left = [Draft(claim, s.cookie, s.csrf) for s in students for claim in s.drafts]

    def take(self, count: int) -> list[Draft]:
        if count > len(self.left):
            raise SystemExit(f"load.py: {count} drafts wanted, {len(self.left)} left (more --act-students?)")
        taken, self.left = self.left[:count], self.left[count:]
        return taken


def drafts_needed(rate: float, duration: float) -> int:
    """Drafts an add-act load at `rate` for `duration` posts into, ACTS_PER_DRAFT acts each."""
    return max(1, round(rate * duration / ACTS_PER_DRAFT))


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
    etag: str = ""


def request(
    port: int, method: str, path: str, cookie: str = "", form: dict[str, str] | None = None, etag: str = ""
) -> Reply:
    """One request on a fresh connection (gunicorn's sync workers close it after each response anyway)."""
    headers = {"Connection": "close"}
    if etag:
        headers["If-None-Match"] = etag
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
        return Reply(response.status, data, cookies, response.headers.get("ETag", ""))
    finally:
        conn.close()


def csrf_token(body: bytes) -> str:
    match = CSRF_RE.search(body.decode("utf-8", "replace"))
    if not match:
        raise RuntimeError("no csrf_token field in the page")
    return match.group(1) or match.group(2)


def packet_answers_304(port: int, student: Student) -> bool:
    """The acceptance line "a repeated packet download answers 304", checked on the running server."""
    path = f"/dossiers/{student.claims[0]}/packet.pdf"
    first = request(port, "GET", path, student.cookie)
    repeat = request(port, "GET", path, student.cookie, etag=first.etag)
    print(f"packet: first download HTTP {first.status} ({len(first.body):,} bytes, ETag {first.etag}); "
          f"repeat with If-None-Match: HTTP {repeat.status} ({len(repeat.body)} bytes)")  # fmt: skip
    return first.status == 200 and repeat.status == 304 and not repeat.body


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
    with (instance / "app.log").open("ab") as app_log:  # the app's INFO lines, kept out of the figures
        return subprocess.Popen(command, env=env, cwd=ROOT, stderr=app_log)


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
class Target:
    """One hey process: a fixed URL for one signed-in student, at `rate` requests/s."""

    route: str
    url: str
    cookie: str
    rate: float


@dataclass
class Outcome:
    route: str
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    offered: float = 0.0  # requests that the schedule asked for
    sent: int | None = None  # requests sent, when exactly known (add act: ACTS_PER_DRAFT per hey launched)

    @property
    def lost(self) -> int:
        """Requests sent that hey has no answer for (its CSV omits a request that timed out or failed)."""
        return 0 if self.sent is None else self.sent - len(self.latencies_ms)


def ensure_hey() -> str:
    """The compiled client; installed from Debian when missing and root (the Makefile's bench-load does it too)."""
    found = shutil.which("hey")
    if found:
        return found
    if os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "hey"]
        if subprocess.run(install, env=env, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, capture_output=True)
            subprocess.run(install, env=env, check=True, capture_output=True)
        if found := shutil.which("hey"):
            return found
    raise SystemExit("load.py needs `hey` (Debian package hey): apt-get install hey")


def hey_command(hey: str, target: Target, duration: float) -> list[str]:
    # Workers: enough that each sends at most 5 requests/s, i.e. a response may take 200 ms before the worker
    # falls behind its schedule (hey's -q is a ticker per worker: closed loop per worker, open loop overall).
    workers = max(1, math.ceil(target.rate / 5))
    command = [hey, "-z", f"{duration:g}s", "-c", str(workers), "-q", f"{target.rate / workers:.3f}", "-t", "10"]
    command += ["-o", "csv", "-H", f"Cookie: session={target.cookie}", "-disable-compression"]
    return [*command, target.url]


ACT_PACE = 5.0  # requests/s of one draft's hey: its ACTS_PER_DRAFT acts go out 200 ms apart


def act_form(csrf: str) -> str:
    form = {
        "csrf_token": csrf,
        "performed_on": (date.today() - timedelta(days=3)).isoformat(),
        "type": "consultation_generaliste",
        "amount": "150",
    }
    return urllib.parse.urlencode(form)


def draft_command(hey: str, port: int, draft: Draft) -> list[str]:
    """One draft's acts: ACTS_PER_DRAFT POSTs from one hey worker at ACT_PACE, each followed by its redirect."""
    command = [hey, "-n", str(ACTS_PER_DRAFT), "-c", "1", "-q", f"{ACT_PACE:g}", "-t", "10", "-o", "csv"]
    command += ["-H", f"Cookie: session={draft.cookie}", "-disable-compression", "-m", "POST"]
    command += ["-T", "application/x-www-form-urlencoded", "-d", act_form(draft.csrf)]
    return [*command, f"http://{HOST}:{port}/dossiers/{draft.claim_id}/actes"]


@dataclass
class ActLoad:
    """The add-act share of a phase: `rate` acts/s into fresh drafts, one short hey process per draft."""

    port: int
    drafts: Drafts
    rate: float


def _read(outcome: Outcome, out: str) -> None:
    for row in csv.DictReader(io.StringIO(out)):
        outcome.latencies_ms.append(float(row["response-time"]) * 1000)
        outcome.statuses[int(row["status-code"])] += 1


def _post_acts(hey: str, load: ActLoad, duration: float, outcome: Outcome) -> None:
    """Launches one hey per draft every ACTS_PER_DRAFT / rate seconds for `duration`, whatever the answers
    (open loop), and reads each one's rows as it ends. At most twice the processes the schedule needs with instant
    answers run at once: past that a launch waits for one to end (as the old closed-loop workers did), so an
    overloaded server shows as a lower achieved rate, not as a queue that grows until requests time out."""
    count = drafts_needed(load.rate, duration)
    interval, cap = duration / count, 2 * max(1, math.ceil(load.rate / ACT_PACE))
    outcome.offered += count * ACTS_PER_DRAFT
    outcome.sent = 0
    running: list[subprocess.Popen[str]] = []

    def reap() -> None:
        for process in [p for p in running if p.poll() is not None]:
            _read(outcome, process.communicate()[0])
            running.remove(process)

    started = time.monotonic()
    for n in range(count):
        time.sleep(max(0.0, started + n * interval - time.monotonic()))
        reap()
        while len(running) >= cap and time.monotonic() < started + duration:
            time.sleep(0.01)
            reap()
        if time.monotonic() >= started + duration:
            break  # behind schedule: the phase's time is up
        (draft,) = load.drafts.take(1)
        running.append(subprocess.Popen(draft_command(hey, load.port, draft), stdout=subprocess.PIPE, text=True))
        outcome.sent += ACTS_PER_DRAFT
    for process in running:
        _read(outcome, process.communicate(timeout=60)[0])


def run_targets(hey: str, targets: list[Target], duration: float, acts: ActLoad | None = None) -> dict[str, Outcome]:
    """All targets at once (one hey process each) and the add-act drafts, for `duration` seconds; per-request
    rows from hey's CSV."""
    processes = [
        (target, subprocess.Popen(hey_command(hey, target, duration), stdout=subprocess.PIPE, text=True))
        for target in targets
    ]
    outcomes: dict[str, Outcome] = {}
    if acts is not None:
        _post_acts(hey, acts, duration, outcomes.setdefault("add_act", Outcome("add_act")))
    for target, process in processes:
        out, _ = process.communicate(timeout=duration + 60)
        outcome = outcomes.setdefault(target.route, Outcome(target.route))
        outcome.offered += target.rate * duration
        _read(outcome, out)
    return {route: outcomes[route] for route in EXPECTED if route in outcomes}  # the tables' order


def server_cpu_seconds(gunicorn_pid: int, postmaster_pid: int | None) -> float:
    """utime + stime of the gunicorn workers and of PostgreSQL's client backends (children of the postmaster
    connected through the socket, "[local]"; not autovacuum or the checkpointer, whose work is not the route's)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parent = int(fields[1])  # after the command name: state, ppid, …; utime and stime are fields 14 and 15
            if parent == postmaster_pid and b"[local]" not in (entry / "cmdline").read_bytes():
                continue
        except OSError:
            continue
        if parent in (gunicorn_pid, postmaster_pid):
            total += int(fields[11]) + int(fields[12])
    return total / tick


def postmaster_pid(url: str) -> int | None:
    """The throw-away cluster's postmaster (scripts/with-postgres puts the socket in the cluster's folder)."""
    host = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("host", [""])[0]
    pid_file = Path(host) / "data" / "postmaster.pid"
    try:
        return int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


EXPECTED = {"login": 200, "dashboard": 200, "claim_page": 200, "add_act": 200, "packet": 200}  # hey follows 302


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


def table(title: str, outcomes: dict[str, Outcome], duration: float, cpu: dict[str, float] | None = None) -> bool:
    """Prints one phase; True when every request answered with the expected status and none went missing."""
    print(f"\n{title} (load average {os.getloadavg()[0]:.1f})")
    header = f"{'route':<11} {'offered/s':>9} {'rate/s':>7} {'count':>6} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7}"
    header += f" {'p99 ms':>7} {'max ms':>7}"
    header += f" {'CPU ms/req':>10} {'× floor':>7} {'p50 × floor':>11}" if cpu else ""
    print(header)
    print("-" * len(header))
    clean = True
    floor_p50 = percentile(sorted(outcomes["login"].latencies_ms), 50) if "login" in outcomes else None
    for route, outcome in outcomes.items():
        values = sorted(outcome.latencies_ms)
        wrong = sum(n for code, n in outcome.statuses.items() if code != EXPECTED[route]) + outcome.lost
        clean &= wrong == 0 and bool(values)
        line = f"{route:<11} {outcome.offered / duration:>9.1f} {len(values) / duration:>7.1f} {len(values):>6}"
        line += f" {wrong:>6} {percentile(values, 50):>7.1f} {percentile(values, 95):>7.1f}"
        line += f" {percentile(values, 99):>7.1f} {(values[-1] if values else float('nan')):>7.1f}"
        if cpu:
            ratio = cpu[route] / cpu["login"] if cpu.get("login") else float("nan")
            p50_ratio = percentile(values, 50) / floor_p50 if floor_p50 else float("nan")
            line += f" {cpu[route]:>10.2f} {ratio:>7.2f} {p50_ratio:>11.2f}"
        if wrong:
            line += "  statuses " + " ".join(f"{code}×{n}" for code, n in sorted(outcome.statuses.items()))
            line += f", {outcome.lost} without an answer" if outcome.lost else ""
        print(line)
    return clean


def targets_for(students: list[Student], port: int, rate: float, shares: dict[str, float]) -> list[Target]:
    """Spreads each route's share of `rate` over several students, one hey each (add act: `ActLoad`)."""
    base = f"http://{HOST}:{port}"
    per_route = {"login": 1, "dashboard": 6, "claim_page": 4, "packet": 2}
    targets = []
    for route, share in shares.items():
        if route == "add_act":
            continue
        picks = students[: per_route[route]]
        for n, student in enumerate(picks):
            each = rate * share / len(picks)
            if route == "login":
                targets.append(Target(route, f"{base}/compte/connexion", "", each))
            elif route == "dashboard":
                targets.append(Target(route, f"{base}/", student.cookie, each))
            elif route == "claim_page":
                targets.append(
                    Target(route, f"{base}/dossiers/{student.claims[n % len(student.claims)]}", student.cookie, each)
                )
            else:
                targets.append(Target(route, f"{base}/dossiers/{student.claims[-1]}/packet.pdf", student.cookie, each))
    return targets


def acts_match(url: str, before: int, outcome: Outcome) -> bool:
    """The acts the phase added in the database are exactly its add-act requests answered (none lost, none
    doubled, none refused); printed under the phase's table."""
    added, answered = count_acts(url) - before, outcome.statuses.get(EXPECTED["add_act"], 0)
    print(f"add_act: {outcome.sent} requests sent into {(outcome.sent or 0) // ACTS_PER_DRAFT} drafts"
          f" ({ACTS_PER_DRAFT} each), {answered} answered {EXPECTED['add_act']}, {added} acts added")  # fmt: skip
    return added == answered == outcome.sent


def cost_phase(hey: str, students: list[Student], drafts: Drafts, url: str, port: int, pids: tuple[int, int | None],
               rate: float, duration: float) -> bool:  # fmt: skip
    """Each route alone at the same low rate: latency and server CPU per request, against the login page."""
    outcomes: dict[str, Outcome] = {}
    cpu: dict[str, float] = {}
    acts_before = count_acts(url)
    for route in ("login", "dashboard", "claim_page", "add_act", "packet"):
        before, acts_then = server_cpu_seconds(*pids), count_acts(url)
        acts = ActLoad(port, drafts, rate) if route == "add_act" else None
        outcomes.update(run_targets(hey, targets_for(students, port, rate, {route: 1.0}), duration, acts))
        served = max(1, count_acts(url) - acts_then if acts else len(outcomes[route].latencies_ms))
        cpu[route] = (server_cpu_seconds(*pids) - before) * 1000 / served
    clean = table(f"Cost: each route alone at {rate:g} req/s for {duration:g} s; floor = login page", outcomes,
                  duration, cpu)  # fmt: skip
    return acts_match(url, acts_before, outcomes["add_act"]) and clean


# --------------------------------------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="mix: offered requests/s (default 200)")
    parser.add_argument("--dashboard-rate", type=float, default=300.0, help="dashboard alone (default 300)")
    parser.add_argument("--cost-rate", type=float, default=50.0, help="cost phase, per route (default 50)")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per load phase (default 30)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 5 s phases")
    parser.add_argument("--students", type=int, default=1000, help="students in the database (default 1000)")
    parser.add_argument("--sessions", type=int, default=8, help="students signed in (default 8)")
    parser.add_argument("--act-students", type=int, default=0,
                        help="students signed in to receive the add-act POSTs (default: enough drafts)")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--percent-names", action="store_true", help='also medicine names containing "%%"')
    args = parser.parse_args()
    duration = 5.0 if args.quick else args.duration
    if min(args.rate, args.dashboard_rate, args.cost_rate) <= 0 or not 0 < duration <= 300:
        parser.error("need rates > 0 and 0 < duration ≤ 300")
    if not 6 <= args.sessions <= args.students:
        parser.error("need 6 ≤ sessions ≤ students")

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql") or not os.environ.get("CLAIMKIT_TEST_DATABASE_URL"):
        print("load.py needs a throw-away PostgreSQL: run it as\n"
              "  scripts/with-postgres .venv/bin/python bench/load.py [--quick]", file=sys.stderr)  # fmt: skip
        return 2
    hey = ensure_hey()
    seed(url, args.students, args.percent_names)
    if backfill_summaries is not None:
        started = time.perf_counter()
        engine = make_engine(url)
        with make_session_factory(engine)() as db:
            filled = backfill_summaries(db, system_clock)
        engine.dispose()
        print(f"Dashboard figures stored for {filled:,} claims in {time.perf_counter() - started:.1f} s (db-upgrade)")
    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # now, rather than autovacuum during a measured phase
    engine.dispose()
    students = pick_students(url, args.sessions, args.students)
    drafts = drafts_needed(args.cost_rate, duration) + drafts_needed(args.rate * MIX["add_act"], duration)
    busy = set(spread(args.sessions, args.students))
    free = [k for k in range(1, args.students + 1) if k not in busy]
    act_students = numbered_students(url, free[: args.act_students or -(-drafts // STATES.count("brouillon"))])
    acts_before = count_acts(url)
    clean = True
    with tempfile.TemporaryDirectory(prefix="claimkit-load-") as tmp:
        instance = Path(tmp)
        port = free_port()
        process = start_gunicorn(url, port, args.workers, instance)
        try:
            wait_until_up(process, port)
            print(f"gunicorn up on {HOST}:{port} with {args.workers} workers (pid {process.pid}); client: {hey}")
            for student in students + act_students:
                log_in(port, student)
            pool = Drafts(act_students)
            print(f"{len(students)} students signed in through the form, and {len(act_students)} more whose "
                  f"{len(pool.left)} drafts receive the add-act POSTs; {os.cpu_count()} CPUs shared by hey, "
                  f"gunicorn and PostgreSQL; load average before the run {os.getloadavg()[0]:.1f}")  # fmt: skip
            pids = (process.pid, postmaster_pid(url))
            clean &= packet_answers_304(port, students[0])
            clean &= cost_phase(hey, students, pool, url, port, pids, args.cost_rate, duration)
            dash = run_targets(hey, targets_for(students, port, args.dashboard_rate, {"dashboard": 1.0}), duration)
            clean &= table(
                f"Dashboard alone at {args.dashboard_rate:g} req/s offered for {duration:g} s", dash, duration
            )
            mix_acts = count_acts(url)
            mix_load = ActLoad(port, pool, args.rate * MIX["add_act"])
            mix = run_targets(hey, targets_for(students, port, args.rate, MIX), duration, mix_load)
            clean &= table(f"Mix at {args.rate:g} req/s offered for {duration:g} s: " + ", ".join(
                f"{route} {share:.0%}" for route, share in MIX.items()), mix, duration)  # fmt: skip
            clean &= acts_match(url, mix_acts, mix["add_act"])
        except BaseException:
            log = instance / "gunicorn.log"
            if log.exists():
                print("--- gunicorn log (tail) ---\n" + "\n".join(log.read_text().splitlines()[-30:]), file=sys.stderr)
            raise
        finally:
            stop_gunicorn(process)
        print(f"\ngunicorn stopped (exit code {process.returncode})")
    print(f"acts added in the database: {count_acts(url) - acts_before}")
    print(f"add_act is the POST and the claim page it redirects to (hey follows redirects), {ACTS_PER_DRAFT} acts per"
          " draft; packet: repeated downloads of one claim's packet (built once, then from its ETag)")  # fmt: skip
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
