"""Use cases. Each receives the database session and a clock, and commits once."""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class ServiceError(Exception):
    """A refusal the student must read: `message` is French (translated by the web layer)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
