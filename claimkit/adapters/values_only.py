"""Printing onto a paper feuille bought in a bookshop: the student's values alone, and the calibration page.

The values-only PDF has no background: each page is the size of the matching official sheet and carries only what
official_forms.overlay would write on it, at the same places (the one writer, official_forms.values_layer), moved
by the student's printer offset. The calibration page has millimetre rulers along its top and left edges and
crosses at known distances from the paper's edges: printed at 100 %, the rulers check the scale and the crosses,
measured from the paper's edges with a ruler, give the offset (docs/domain.md, "Official sheets and the student's
part").
"""

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters import official_forms
from claimkit.adapters import pdf_text as txt
from claimkit.adapters.fonts import register
from claimkit.domain.printing import POINTS_PER_MM

RULER_FROM_EDGE_MM = 8.0  # the rulers' base line, this far inside the paper's top and left edges
RULER_END_MM = (200, 280)  # along the top edge up to 200 mm, along the left edge up to 280 mm (A4: 210 × 297)
# The crosses, (mm from the left edge, mm from the top edge); the first one is the one the instructions measure.
CROSSES_MM: tuple[tuple[int, int], ...] = ((50, 50), (160, 50), (50, 250), (160, 250))
CROSS_ARM_MM = 6.0


def values_only(sheets: Sequence[tuple[bytes, Mapping[str, str]]], shift: tuple[float, float]) -> bytes:
    """One page per (official sheet, values): the values alone, moved `shift` points right and down. Raises
    official_forms.SheetRefused as overlay does when a needed label cannot be found on a sheet."""
    writer = PdfWriter()
    for sheet, fields in sheets:
        writer.add_page(PdfReader(io.BytesIO(official_forms.values_layer(sheet, fields, shift))).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class CalibrationText:
    """The page's words in the student's language (the service translates them); `rtl` for Arabic."""

    title: str
    steps: Sequence[str]
    cross: str  # "%(x)d mm du bord gauche, %(y)d mm du bord haut"-like, filled with each cross's distances
    rtl: bool = False


def _mm(value: float) -> float:
    return value * POINTS_PER_MM


def _rulers(c: Canvas, height: float) -> None:
    """A tick each millimetre, longer each 5, numbered each 10: distances from the paper's left and top edges."""
    base = _mm(RULER_FROM_EDGE_MM)
    c.setLineWidth(0.4)
    for mm in range(int(RULER_FROM_EDGE_MM) + 2, RULER_END_MM[0] + 1):  # along the top edge
        x, long = _mm(mm), 4.0 if mm % 10 == 0 else 2.5 if mm % 5 == 0 else 1.5
        c.line(x, height - base, x, height - base - _mm(long))
        if mm % 10 == 0:
            txt.draw(c, x, height - base - _mm(long) - 7, str(mm), 6.5, align="center")
    for mm in range(int(RULER_FROM_EDGE_MM) + 2, RULER_END_MM[1] + 1):  # along the left edge
        y, long = height - _mm(mm), 4.0 if mm % 10 == 0 else 2.5 if mm % 5 == 0 else 1.5
        c.line(base, y, base + _mm(long), y)
        if mm % 10 == 0 and mm > 10:  # "10" would sit on the top ruler's numbers
            txt.draw(c, base + _mm(long) + 1.5, y - 2.2, str(mm), 6.5)
    c.line(base, height - base, _mm(RULER_END_MM[0]), height - base)
    c.line(base, height - base, base, height - _mm(RULER_END_MM[1]))


def _cross(c: Canvas, height: float, x_mm: int, y_mm: int, label: str) -> None:
    x, y, arm = _mm(x_mm), height - _mm(y_mm), _mm(CROSS_ARM_MM)
    c.setLineWidth(0.5)
    c.line(x - arm, y, x + arm, y)
    c.line(x, y - arm, x, y + arm)
    c.circle(x, y, _mm(1.5))
    txt.draw(c, x, y - arm - 9, label, 7, align="center")


def calibration_page(text: CalibrationText) -> bytes:
    """One A4 page: the rulers, the crosses (each with its distances written under it) and the instructions."""
    register()
    width, height = float(A4[0]), float(A4[1])
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=A4, invariant=1)
    _rulers(c, height)
    for x_mm, y_mm in CROSSES_MM:
        _cross(c, height, x_mm, y_mm, text.cross % {"x": x_mm, "y": y_mm})
    left, right = _mm(25), width - _mm(20)
    y = height - _mm(75)
    anchor = right if text.rtl else left
    align: txt.Align = "right" if text.rtl else "left"
    txt.draw(c, anchor, y, text.title, 13, bold=True, align=align, rtl=text.rtl)
    y -= 22
    for step in text.steps:
        for line in txt.wrap(step, 10, right - left, rtl=text.rtl):
            txt.draw(c, anchor, y, line, 10, align=align, rtl=text.rtl)
            y -= 14
        y -= 5
    c.showPage()
    c.save()
    return buffer.getvalue()
