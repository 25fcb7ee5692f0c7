"""One database session per request, opened lazily and closed at teardown."""

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from claimkit.services import Clock


def db() -> Session:
    if "db" not in g:
        g.db = current_app.extensions["claimkit.sessions"]()
    session: Session = g.db
    return session


def clock() -> Clock:
    configured: Clock = current_app.extensions["claimkit.clock"]
    return configured


def _close(_exc: BaseException | None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
