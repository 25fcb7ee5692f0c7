"""Dated configuration rows: rates, tariffs and the insurer's address change on known dates (law 54-23)."""

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar


class Dated(Protocol):
    @property
    def valid_from(self) -> date: ...

    @property
    def valid_to(self) -> date | None: ...


Row = TypeVar("Row", bound=Dated)


def in_force(rows: Iterable[Row], day: date) -> Row | None:
    """The row valid on `day` (valid_to inclusive); the latest start wins if rows overlap."""
    valid = [r for r in rows if r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)]
    return max(valid, key=lambda r: r.valid_from, default=None)
