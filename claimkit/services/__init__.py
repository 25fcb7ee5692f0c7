"""Use cases. Each receives the database session and a clock, and commits once."""

from collections.abc import Callable
from datetime import UTC, datetime

from claimkit.domain.messages import Refusal

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class ServiceError(Refusal):
    """A use case's refusal the student must read (claimkit.domain.messages.Refusal: msgid and values apart)."""
