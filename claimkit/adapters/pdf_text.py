"""Drawing French and Arabic text with the embedded fonts, for the templates, the filled copies and the packet.

Arabic is shaped (joined letter forms) and put in visual order by claimkit.adapters.fonts.visual. Noto Naskh
Arabic has no "-", "/", "(", ")" or apostrophe, and reportlab silently drops a glyph its font lacks, so an Arabic
string is drawn as runs: what Naskh has in Naskh, the rest in DejaVu Sans (which has all Latin and punctuation).
"""

from functools import cache
from typing import Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters.fonts import ARABIC, BOLD, SANS, has_arabic, register, visual

Align = Literal["left", "right", "center"]


@cache
def _arabic_glyphs() -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(ARABIC).face.charToGlyph)


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font, text) pieces in drawing (visual, left-to-right) order."""
    latin = BOLD if bold else SANS
    if not has_arabic(text):
        return [(latin, text)]
    covered = _arabic_glyphs()
    pieces: list[tuple[str, str]] = []
    for char in visual(text):
        font = ARABIC if ord(char) in covered else latin
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + char)
        else:
            pieces.append((font, char))
    return pieces


def _size(font: str, size: float, arabic_scale: float) -> float:
    return size * arabic_scale if font == ARABIC else size


def width(text: str, size: float, bold: bool = False, arabic_scale: float = 1.0) -> float:
    return float(
        sum(pdfmetrics.stringWidth(piece, font, _size(font, size, arabic_scale)) for font, piece in runs(text, bold))
    )


def draw(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    bold: bool = False,
    align: Align = "left",
    arabic_scale: float = 1.0,
) -> float:
    """Draws `text` with its baseline at y, anchored at x on its left, right or centre; returns its width.

    `arabic_scale` enlarges the Naskh runs: at the same point size its letters look smaller than DejaVu's.
    """
    pieces = [(font, piece, _size(font, size, arabic_scale)) for font, piece in runs(text, bold)]
    total = float(sum(pdfmetrics.stringWidth(piece, font, sz) for font, piece, sz in pieces))
    x -= {"left": 0.0, "right": total, "center": total / 2}[align]
    for font, piece, sz in pieces:
        canvas.setFont(font, sz)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font, sz)
    return total


def wrap(text: str, size: float, max_width: float, bold: bool = False, arabic_scale: float = 1.0) -> list[str]:
    """Greedy word wrap on the logical text (Arabic lines are shaped and reordered one by one when drawn)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in filter(None, paragraph.split(" ")):  # only real spaces: no-break spaces keep "34,90 DH" whole
            trial = f"{line} {word}".strip()
            if line and width(trial, size, bold, arabic_scale) > max_width:
                lines.append(line)
                trial = word
            line = trial
        lines.append(line)
    return lines
