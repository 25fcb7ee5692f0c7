"""Dated configuration rows: rates, tariffs and the insurer's address change on known dates (law 54-23).

Any frozen dataclass with `valid_from` and `valid_to` qualifies (RateRow, TariffRow, InsurerRow), so the rule
for "which row applies on this day" is written once.
"""

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
    """The row valid on `day` (both ends inclusive, no valid_to = still in force), or None.

    When rows overlap, the latest valid_from wins: an operator who adds the new CNSS row and forgets to close the
    CNOPS one still gets the new row from its first day.
    """
    valid = [r for r in rows if r.valid_from <= day and (r.valid_to is None or day <= r.valid_to)]
    return max(valid, key=lambda r: r.valid_from, default=None)
