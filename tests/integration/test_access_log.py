"""Issue 18: a real gunicorn, started as the README says (`gunicorn wsgi:app` from the repository root), writes
no reset, confirmation, unsubscribe or calendar token into its access log."""

import contextlib
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from claimkit.web.log_masking import mask_tokens
from tests.integration.test_kill_web import GUNICORN, ROOT, free_port, server_env  # noqa: F401 - fixture

SECRETS = ["Zr3set-T0ken_abc", "c0nfirm.T0k-3n", "uNsub.tok-En", "caL3ndarT0k"]
PATHS = [
    f"/compte/reinitialiser/{SECRETS[0]}",
    f"/rappels/confirmer/{SECRETS[1]}?x=1",
    f"/desabonnement/{SECRETS[2]}",
    f"/calendrier/{SECRETS[3]}.ics",
]


def test_mask_tokens() -> None:
    assert mask_tokens('"GET /calendrier/abc.ics HTTP/1.1" "/compte/reinitialiser/xyz"') == (
        '"GET /calendrier/***.ics HTTP/1.1" "/compte/reinitialiser/***"'
    )
    assert mask_tokens("/dossiers/12/actes") == "/dossiers/12/actes"


def test_gunicorn_access_log_masks_tokens(server_env: dict[str, str], tmp_path: Path) -> None:  # noqa: F811
    port, access = free_port(), tmp_path / "access.log"
    command = [str(GUNICORN), "-w", "1", "-b", f"127.0.0.1:{port}", "--access-logfile", str(access), "wsgi:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/compte/connexion", timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline and process.poll() is None, "gunicorn did not start"
                time.sleep(0.1)
        for path in PATHS:
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Referer": path})
            with contextlib.suppress(urllib.error.HTTPError):  # a 404 is fine: only the log line matters
                urllib.request.urlopen(request, timeout=5).close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    log = access.read_text()
    assert log.count("***") >= len(PATHS), log
    for secret in SECRETS:
        assert secret not in log, secret
