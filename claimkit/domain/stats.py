""" "Mes chiffres": what was spent, what should come back, what came back, and how long it took."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import mean

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ClaimFigures:
    spent: Decimal
    estimated: Decimal
    paid: Decimal
    first_act: date | None
    sent_on: date | None
    payments: tuple[tuple[date, Decimal], ...] = ()
    rejected: bool = False


@dataclass(frozen=True)
class Totals:
    spent: Decimal
    estimated: Decimal
    reimbursed: Decimal
    outstanding: Decimal
    average_days_to_payment: float | None
    claims: int


def totals(figures: Iterable[ClaimFigures]) -> Totals:
    """Outstanding: what sent, non-rejected claims may still bring (estimate minus what was paid)."""
    items = list(figures)
    delays = [(f.payments[0][0] - f.sent_on).days for f in items if f.sent_on and f.payments]
    return Totals(
        spent=sum((f.spent for f in items), ZERO),
        estimated=sum((f.estimated for f in items), ZERO),
        reimbursed=sum((f.paid for f in items), ZERO),
        outstanding=sum((max(f.estimated - f.paid, ZERO) for f in items if f.sent_on and not f.rejected), ZERO),
        average_days_to_payment=round(mean(delays), 1) if delays else None,
        claims=len(items),
    )


def in_year(figures: Iterable[ClaimFigures], year: int) -> list[ClaimFigures]:
    """Claims whose first act falls in `year` (the year the money was spent)."""
    return [f for f in figures if f.first_act and f.first_act.year == year]


def last_months(today: date, count: int = 12) -> list[tuple[int, int]]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def monthly(figures: Iterable[ClaimFigures], months: Sequence[tuple[int, int]]) -> list[tuple[Decimal, Decimal]]:
    """(spent by first-act month, reimbursed by payment month) for each month."""
    spent = dict.fromkeys(months, ZERO)
    paid = dict.fromkeys(months, ZERO)
    for f in figures:
        if f.first_act and (key := (f.first_act.year, f.first_act.month)) in spent:
            spent[key] += f.spent
        for day, amount in f.payments:
            if (key := (day.year, day.month)) in paid:
                paid[key] += amount
    return [(spent[m], paid[m]) for m in months]


def axis_max(series: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """The chart's scale: the largest value rounded up to 1, 2 or 5 × a power of ten, so the axis reads easily."""
    value = max((max(a, b) for a, b in series), default=Decimal(0))
    if value <= 0:
        return Decimal(100)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 2, 5):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude
