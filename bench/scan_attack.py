"""Hostile scans against a real server (issue 19): does another student's dashboard stay fast meanwhile?

    .venv/bin/python bench/scan_attack.py                       # gunicorn, 2 sync workers (the README's command)
    .venv/bin/python bench/scan_attack.py --threads 4            # gunicorn, 2 workers of 4 threads (gthread)
    .venv/bin/python bench/scan_attack.py --server werkzeug      # the threaded dev server (`make run`)

A throw-away SQLite database and instance folder are created and removed; the server listens on 127.0.0.1 only.
One account posts the 192 KB PNG of 1 × 99,000,000 pixels from --parallel threads, --rounds times each, while a
second student loads her dashboard in a loop. Prints the dashboard's latency alone, then under attack, and what
the attacker's pages said. The integration test `test_hostile_uploads_leave_another_dashboard_fast` asserts a
generous bound on the same scenario; the figures belong here.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claimkit.adapters.db.engine import make_engine, make_session_factory  # noqa: E402
from claimkit.adapters.db.migrate import upgrade  # noqa: E402
from claimkit.adapters.db.reference import seed_defaults  # noqa: E402
from claimkit.services.medicines import seed_snapshot  # noqa: E402
from tests.integration.live_server import (  # noqa: E402
    Attack,
    HttpStudent,
    attack,
    dashboard_times,
    scheduler_link,
    thin_png,
)
from tests.integration.test_decoders import single_read_png  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(url: str, instance: Path) -> dict[str, str]:
    return dict(os.environ, DATABASE_URL=url, CLAIMKIT_INSTANCE=str(instance), SECRET_KEY="bench-scan-attack")


def start(server: str, url: str, instance: Path, port: int, threads: int) -> subprocess.Popen[bytes]:
    env = server_env(url, instance)
    bin_dir = Path(sys.executable).parent
    if server == "gunicorn":
        command = [
            str(bin_dir / "gunicorn"),
            "--workers",
            "2",
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
        ]
        command.append("wsgi:app")
    else:
        command = [str(bin_dir / "flask"), "--app", "claimkit.web:create_app", "run", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/compte/connexion", timeout=2).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


def outcome(page: str) -> str:
    markers = ("déjà en cours", "réessayez", "trop grande", "trop allongée", "à temps", "pas pu être analysée")
    for marker in (*markers, "À vérifier", "Aucun code"):
        if marker in page:
            return marker
    return page[:40]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", choices=("gunicorn", "werkzeug"), default="gunicorn")
    parser.add_argument("--parallel", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (1: sync workers)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        instance = Path(folder)
        url = f"sqlite:///{instance / 'claimkit.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        with make_session_factory(engine)() as db:
            seed_defaults(db)
            seed_snapshot(db)
        engine.dispose()
        port = free_port()
        process = start(args.server, url, instance, port, args.threads)
        try:
            base = f"http://127.0.0.1:{port}"
            attacker, victim = HttpStudent(base, "attaque@example.ma"), HttpStudent(base, "lecture@example.ma")
            link = partial(scheduler_link, server_env(url, instance))  # the sign-up mails, sent as the scheduler does
            claim_id = attacker.sign_up_with_claim(link)
            victim.sign_up_with_claim(link)
            alone = Attack(dashboard_times(victim, 30), [0.0])
            data = thin_png()
            threads = f" -w 2 --threads {args.threads}" if args.server == "gunicorn" else ""
            print(f"server: {args.server}{threads}; load average {os.getloadavg()[0]:.2f} on 2 shared cores")
            print(f"hostile PNG: 1 x 99,000,000 px, {len(data) / 1024:.0f} KB; {args.parallel} x {args.rounds} uploads")
            print("alone:        " + alone.summary().split(";")[0])
            result = attack(attacker, claim_id, victim, data, args.parallel, args.rounds)
            print("under attack: " + result.summary())
            print("attacker saw: " + ", ".join(f"{k} {v}" for k, v in Counter(map(outcome, result.pages)).items()))
            slow = attack(attacker, claim_id, victim, single_read_png("6118000000006"), args.parallel, args.rounds)
            print("slow photos (one read, the whole 0.5 s budget) from the same account:")
            print("under attack: " + slow.summary())
            print("attacker saw: " + ", ".join(f"{k} {v}" for k, v in Counter(map(outcome, slow.pages)).items()))
        finally:
            process.terminate()
            process.wait(20)


if __name__ == "__main__":
    main()
