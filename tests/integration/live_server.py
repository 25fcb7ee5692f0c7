"""A real HTTP server for the app and students who talk to it over sockets (issue 19's hostile-upload test and
bench/scan_attack.py): a flood of hostile scans from one account while another student reads her dashboard.

Kept apart from the Flask test client on purpose: the test client runs requests one after the other in the test's
thread, so it cannot show one request stalling another. Here each student is a cookie jar over `urllib`, the
server is werkzeug's threaded server (or gunicorn, started by the bench), and latencies are wall-clock times.
"""

import html
import http.cookiejar
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import link_in, mails_in

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def thin_png(width: int = 1, height: int = 99_000_000) -> bytes:
    """A valid grayscale PNG of `width` × `height` white pixels: ~192 KB for 1 × 99 M, 99 MP once decoded.

    The shape of the attack in issue 19: under the 100 MP limit, so only an aspect-ratio bound refuses it.
    """

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    row = b"\x00" + b"\xff" * width
    packer = zlib.compressobj(9)
    block = row * max(1, 1_000_000 // len(row))
    rows_per_block = len(block) // len(row)
    parts, done = [], 0
    while done + rows_per_block <= height:
        parts.append(packer.compress(block))
        done += rows_per_block
    parts.append(packer.compress(row * (height - done)))
    parts.append(packer.flush())
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes((8, 0, 0, 0, 0))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"".join(parts)) + chunk(b"IEND", b"")


class HttpStudent:
    """One browser: a cookie jar, CSRF tokens read from the pages, redirects followed."""

    def __init__(self, base: str, email: str) -> None:
        self.base = base
        self.email = email
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), urllib.request.HTTPRedirectHandler()
        )

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return str(response.read().decode())

    def _token(self, path: str) -> str:
        match = _CSRF.search(self.get(path))
        if not match:
            raise AssertionError(f"no CSRF token on {path}")
        return match.group(1) or match.group(2)

    def post(self, path: str, fields: dict[str, str], form_page: str | None = None) -> tuple[str, str]:
        """A form post; returns the final URL and the page, unescaped."""
        body = urllib.parse.urlencode({"csrf_token": self._token(form_page or path), **fields}).encode()
        with self.opener.open(self.base + path, data=body, timeout=60) as response:
            return response.geturl(), html.unescape(response.read().decode())

    def sign_up_with_claim(self, link: Callable[[str], str]) -> int:
        """Mail-first sign-up (`link(email)` sends the outbox and returns the mailed path), then one claim."""
        self.post("/compte/inscription", {"email": self.email})
        self.post(link(self.email), {"password": PASSWORD, "confirm": PASSWORD, "consent": "y"})
        url, _ = self.post("/dossiers/nouveau", {"kind": "maladie", "label": ""})
        match = re.search(r"/dossiers/(\d+)$", url)
        if not match:
            raise AssertionError(f"no claim created: {url}")
        return int(match.group(1))

    def upload(self, claim_id: int, data: bytes, token: str) -> str:
        """A photo posted to the scan route as a phone browser would (multipart), with a token read earlier."""
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; filename="p.png"\r\n'
                "Content-Type: image/png\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            f"{self.base}/dossiers/{claim_id}/scanner",
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        try:
            with self.opener.open(request, timeout=60) as response:
                return html.unescape(response.read().decode())
        except urllib.error.HTTPError as error:
            return f"HTTP {error.code}"

    def scan_token(self, claim_id: int) -> str:
        return self._token(f"/dossiers/{claim_id}/scanner")


def scheduler_link(env: dict[str, str], email: str, prefix: str = "/compte/inscription/") -> str:
    """One pass of the real scheduler command in its own process (`flask send-reminders` with the server's
    environment), then the link to `prefix` it mailed to `email` in the outbox folder."""
    flask = [sys.executable, "-m", "flask", "--app", "claimkit.web:create_app", "send-reminders"]
    subprocess.run(flask, env=env, check=True, capture_output=True, timeout=120)
    return link_in(mails_in(Path(env["CLAIMKIT_INSTANCE"]) / "outbox", email), prefix)


@contextmanager
def threaded_server(app: Flask) -> Iterator[str]:
    """werkzeug's threaded server (what `flask run` uses) on a free 127.0.0.1 port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


@dataclass
class Attack:
    """What happened while `uploads` hostile scans ran: the victim's dashboard times and the attackers' pages."""

    dashboard_ms: list[float] = field(default_factory=list)
    upload_ms: list[float] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)

    def summary(self) -> str:
        times = sorted(self.dashboard_ms)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        return (
            f"dashboard n={len(times)} median {statistics.median(times):.0f} ms p95 {p95:.0f} ms "
            f"max {times[-1]:.0f} ms; uploads n={len(self.upload_ms)} median "
            f"{statistics.median(self.upload_ms):.0f} ms max {max(self.upload_ms):.0f} ms"
        )


def quantile(values: list[float], q: float) -> float:
    """The nearest-rank q-quantile: quantile(v, 0.9) of 20 values is the 18th smallest (2 outliers tolerated)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered) + 0.5) - 1))]


def dashboard_times(victim: HttpStudent, count: int) -> list[float]:
    times = []
    for _ in range(count):
        started = time.perf_counter()
        victim.get("/")
        times.append((time.perf_counter() - started) * 1000)
    return times


def attack(
    attacker: HttpStudent, claim_id: int, victim: HttpStudent, data: bytes, parallel: int, rounds: int
) -> Attack:
    """`parallel` threads of one account each post `data` `rounds` times; the victim reads her dashboard meanwhile."""
    result = Attack()
    tokens = [attacker.scan_token(claim_id) for _ in range(parallel)]
    lock = threading.Lock()
    running = threading.Event()
    running.set()

    def flood(token: str) -> None:
        for _ in range(rounds):
            started = time.perf_counter()
            page = attacker.upload(claim_id, data, token)
            with lock:
                result.upload_ms.append((time.perf_counter() - started) * 1000)
                result.pages.append(page)

    def read() -> None:
        while running.is_set():
            result.dashboard_ms.extend(dashboard_times(victim, 1))

    threads = [threading.Thread(target=flood, args=(token,)) for token in tokens]
    reader = threading.Thread(target=read)
    reader.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    running.clear()
    reader.join()
    return result
