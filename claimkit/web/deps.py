"""The composition root's one object: what the app is built from, read through one typed accessor.

`create_app(config, deps=None)` builds a `Deps` (or takes one a test or an embedding built) and keeps it in
`app.extensions`; views, the CLI and tests read it with `deps()` / `deps(app)` instead of string keys, so a missing
or misspelt dependency is a type error, not a KeyError at request time.
"""

from dataclasses import dataclass, field
from typing import cast

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from claimkit.adapters.mailer import Mailer
from claimkit.adapters.page_store import DEFAULT_BYTES, PageStore
from claimkit.adapters.scan_worker import ScanWorker
from claimkit.services import Clock
from claimkit.services.links import Links
from claimkit.services.packet_cache import Recent

KEY = "claimkit"


@dataclass
class Deps:
    """Engine, session factory, clock, mailer, scan worker and links of one app (one per web or scheduler process),
    its LRU of built packets and its cache of drawn pages (per app, not per module: two apps on two databases, as in
    the tests, must never share one, since their keys are made of that database's revision counters)."""

    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    mailer: Mailer
    scanner: ScanWorker
    links: Links
    packets: Recent = field(default_factory=Recent)
    pages: PageStore = field(default_factory=lambda: PageStore(DEFAULT_BYTES))


def install(app: Flask, built: Deps) -> None:
    app.extensions[KEY] = built


def deps(app: Flask | None = None) -> Deps:
    """The app's dependencies (`current_app`'s by default)."""
    return cast(Deps, (app or current_app).extensions[KEY])
