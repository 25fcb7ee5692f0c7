"""Use cases. Each receives the database session and a clock, and commits once."""

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from claimkit.domain.messages import Message, Value

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class ServiceError(Exception):
    """A refusal the student must read: `message` is French (translated by the web layer)."""

    def __init__(self, message: str, values: Mapping[str, Value] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.values = dict(values or {})  # figures (dates, amounts) filled in after translation

    @property
    def as_message(self) -> Message:
        return Message(self.message, self.values)
