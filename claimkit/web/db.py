"""One database session per request, opened lazily and closed at teardown."""

from flask import Flask, g
from sqlalchemy.orm import Session

from claimkit.adapters.db import engine
from claimkit.services import Clock
from claimkit.web.deps import deps


def db() -> Session:
    if "db" not in g:
        g.db = deps().sessions()
    session: Session = g.db
    return session


def clock() -> Clock:
    return deps().clock


def _close(_exc: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        engine.end(session)


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
