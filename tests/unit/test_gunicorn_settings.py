"""gunicorn.conf.py's worker hook (issue 20): the app's long-lived objects are frozen out of the collector's
walk once the worker has loaded it. Run in a child interpreter that has loaded the app, as a worker has: the
test process's own collector is left alone."""

import subprocess
import sys
from pathlib import Path

SETTINGS = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
WORKER = f"""
import gc, runpy
import claimkit.web
settings = runpy.run_path({str(SETTINGS)!r})
print(settings["logger_class"], gc.get_freeze_count())
settings["post_worker_init"](None)
print(gc.get_freeze_count())
"""


def test_the_worker_freezes_what_it_loaded() -> None:
    done = subprocess.run([sys.executable, "-c", WORKER], capture_output=True, text=True, check=True, timeout=60)
    first, second = done.stdout.splitlines()
    logger, before = first.split()
    assert logger == "claimkit.web.log_masking.MaskingLogger"
    assert int(before) == 0 and int(second) > 10_000  # the app's modules and objects, frozen by the hook
