"""gunicorn.conf.py's worker hook (issue 20): the app's long-lived objects are frozen out of the collector's
walk once the worker has loaded it."""

import gc
import runpy
from pathlib import Path

SETTINGS = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_the_worker_freezes_what_it_loaded() -> None:
    settings = runpy.run_path(str(SETTINGS))
    assert settings["logger_class"] == "claimkit.web.log_masking.MaskingLogger"
    gc.unfreeze()
    try:
        settings["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000  # the test process's modules, as a worker's
    finally:
        gc.unfreeze()
