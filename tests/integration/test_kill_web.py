"""The web process killed with SIGKILL while requests are in flight loses no committed data.

A real gunicorn serves the real app; browser-like clients (cookies, CSRF tokens) create claims and acts in
a loop; the whole server (master and worker) is SIGKILLed mid-stream. Every request that got its 302
answer must then be in the database, the SQLite file must pass `PRAGMA integrity_check`, and a restarted
server must serve the same data. On PostgreSQL (`make test-pg`) the same run goes against the server.
"""

import html
import os
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from functools import partial
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import make_url, select

from claimkit.adapters.db.engine import make_engine
from claimkit.adapters.db.models import Act, Claim
from tests.conftest import PASSWORD
from tests.integration.live_server import scheduler_link
from tests.integration.test_profile import VALID

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
WRITERS = 3  # concurrent clients, so that some requests wait in the socket backlog when the kill comes


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 302 itself is the acknowledgement we record


class Browser:
    """Cookies and CSRF tokens like a browser, without following redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect())

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=5) as response:
                return response.status, response.headers.get("Location", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), error.read().decode()

    def token(self, path: str) -> str:
        status, _, page = self.request(path)
        match = _CSRF.search(page)
        assert status == 200 and match, f"no CSRF token on {path} ({status})"
        return match.group(1) or match.group(2)

    def post(self, path: str, data: dict[str, str], token: str | None = None) -> tuple[int, str, str]:
        return self.request(path, {"csrf_token": token or self.token(path), **data})

    def log_in(self, email: str) -> None:
        """The same account on another device: its own cookies, so each device reads its own notices."""
        assert self.post("/compte/connexion", {"email": email, "password": PASSWORD})[0] == 302

    def sign_up(self, email: str, link: Callable[[str], str]) -> None:
        """Mail-first sign-up; `link(email)` sends the outbox and returns the path mailed to finish it."""
        assert self.post("/compte/inscription", {"email": email})[0] == 302
        finish = link(email)
        assert self.post(finish, {"password": PASSWORD, "confirm": PASSWORD, "consent": "y"})[0] == 302


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """gunicorn in its own process group, so that SIGKILL reaches the master and its worker at once."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [str(GUNICORN), "-w", "1", "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "gunicorn exited at start-up"
            try:
                with urllib.request.urlopen(self.base + "/compte/connexion", timeout=1) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.05)
        raise AssertionError("gunicorn did not answer within 15 s")

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=5)
        self.log.close()


@pytest.fixture
def server_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    instance = tmp_path / "instance"
    instance.mkdir()
    return {
        **os.environ,
        "DATABASE_URL": database_url,  # the migrated, seeded test database (SQLite file or PostgreSQL)
        "SECRET_KEY": "kill-test-" + os.urandom(8).hex(),
        "CLAIMKIT_INSTANCE": str(instance),
        "CLAIMKIT_UPLOAD_DIR": str(instance / "uploads"),
        "MAIL_BACKEND": "outbox",
    }


@pytest.fixture
def servers(server_env: dict[str, str], tmp_path: Path) -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.kill()


def stored(database_url: str) -> tuple[set[str], set[str]]:
    engine = make_engine(database_url)  # a fresh engine: nothing cached from before the kill
    try:
        with engine.connect() as conn:
            labels = set(conn.scalars(select(Claim.label)))
            practitioners = set(conn.scalars(select(Act.practitioner)))
        return labels, practitioners
    finally:
        engine.dispose()


def test_sigkill_mid_requests_loses_no_acknowledged_write(
    server_env: dict[str, str], servers: list[Server], database_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "gunicorn.log"
    servers.append(Server(server_env, log))
    base = servers[0].base
    browser = Browser(base)
    browser.sign_up("kill@example.ma", partial(scheduler_link, server_env))
    assert browser.post("/profil/", VALID)[0] == 302
    status, location, _ = browser.post("/dossiers/nouveau", {"kind": "maladie", "label": "base"})
    assert status == 302, location
    claim_path = urllib.parse.urlsplit(location).path
    token = browser.token(claim_path)

    acknowledged: set[str] = set()  # acts (practitioner) and claims (label) whose 302 came back
    lock = threading.Lock()
    stop = threading.Event()

    def write(worker: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            marker = f"w{worker}-{n}"
            try:
                if worker == 0:  # one client opens claims, the others add acts to the first claim
                    data = {"kind": "maladie", "label": marker}
                    status, _, _ = browser.post("/dossiers/nouveau", data, token)
                else:
                    data = {"performed_on": "2026-11-20", "type": "consultation_generaliste", "amount": "150"}
                    status, _, _ = browser.post(f"{claim_path}/actes", {**data, "practitioner": marker}, token)
            except OSError:  # refused, reset or timed out: the server is gone, nothing was acknowledged
                return
            if status == 302:
                with lock:
                    acknowledged.add(marker)
            else:
                raise AssertionError(f"{marker}: unexpected {status}")

    threads = [threading.Thread(target=write, args=(i,), daemon=True) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and len(acknowledged) < 40:
        time.sleep(0.01)
    servers[0].kill()  # mid-stream: the writers are still posting
    stop.set()
    for thread in threads:
        thread.join(timeout=5)
    assert not any(t.is_alive() for t in threads)
    assert len(acknowledged) >= 10, log.read_text()

    labels, practitioners = stored(database_url)
    found = labels | practitioners
    missing = acknowledged - found
    assert not missing, f"acknowledged but lost after SIGKILL: {sorted(missing)}"
    # At most one unanswered request per client can have committed (its answer was cut by the kill).
    assert len(found - acknowledged - {"base", None}) <= WRITERS

    if make_url(database_url).get_backend_name() == "sqlite":
        with sqlite3.connect(str(make_url(database_url).database)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []

    # A restarted server serves again, with the same session cookie and the acknowledged acts.
    servers.append(Server(server_env, log))
    browser.base = servers[1].base
    status, _, page = browser.request(claim_path)
    assert status == 200
    acts = sorted(m for m in acknowledged if not m.startswith("w0-"))
    assert acts and all(marker in html.unescape(page) for marker in acts)
    assert browser.post("/dossiers/nouveau", {"kind": "maladie", "label": "after restart"})[0] == 302
