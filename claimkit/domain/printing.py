"""Printing the student's values onto a paper sheet bought in a bookshop: the printer's offset, in millimetres.

Every printer feeds the paper a little off; the student prints the calibration page once at 100 %, measures where
the crosses landed and enters the correction, which moves every value of a values-only print (docs/domain.md,
"Official sheets and the student's part").
"""

from decimal import Decimal, InvalidOperation

from claimkit.domain.messages import N_, Message

MAX_OFFSET_MM = 15  # beyond this the paper is in crooked or the page was scaled: print the calibration page again
POINTS_PER_MM = 72 / 25.4
OFFSET_PROBLEM = N_(
    "Décalage « %(axis)s » : un nombre de millimètres entre -%(max)d et %(max)d (par exemple 1,5 ou -2). "
    "Rien n'a été modifié."
)


def parse_offset(raw: str) -> Decimal | None:
    """A typed offset ("1,5", "-2", "+0.5", empty = 0) to the tenth of a millimetre; None when not a number in range."""
    text = raw.strip().replace(",", ".").replace("\u2212", "-") or "0"
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) > MAX_OFFSET_MM:
        return None
    return value.quantize(Decimal("0.1"))


def offset_problem(axis: str) -> Message:
    return Message(OFFSET_PROBLEM, {"axis": axis, "max": MAX_OFFSET_MM})


def to_points(x_mm: Decimal, y_mm: Decimal) -> tuple[float, float]:
    """The offset in PDF points: right and down on the paper."""
    return float(x_mm) * POINTS_PER_MM, float(y_mm) * POINTS_PER_MM
