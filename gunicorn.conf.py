"""gunicorn settings read from the repository root (gunicorn loads ./gunicorn.conf.py by default).

The access log masks the secret tokens of reset, confirmation, unsubscribe and calendar links (SECURITY.md).

Once a worker has loaded the app, its objects (modules, SQLAlchemy's mappers and compiled statements, Jinja's
templates, Babel's catalogues: a few hundred thousand) are moved out of the garbage collector's sight: they live
as long as the worker, and a full collection would otherwise walk them all inside some request's time (issue 20,
the p99 of bench/load.py).
"""

import gc
from typing import Any

logger_class = "claimkit.web.log_masking.MaskingLogger"


def post_worker_init(_worker: Any) -> None:
    """After the app is loaded in the worker, before its first request."""
    gc.collect()
    gc.freeze()
