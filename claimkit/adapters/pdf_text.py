"""Drawing French and Arabic text with the embedded fonts, for the templates, the filled copies and the packet.

Arabic is shaped (joined letter forms) and put in visual order by claimkit.adapters.fonts.visual. Noto Naskh
Arabic has no "-", "/", "(", ")" or apostrophe, and reportlab silently drops a glyph its font lacks, so an Arabic
string is drawn as runs: what Naskh has in Naskh, the rest in DejaVu Sans (which has all Latin and punctuation).
`rtl` marks a line of an Arabic page: its base direction is right to left even when it starts with Latin letters or
digits ("CNOPS …", "2 يناير 2027"), so its words come out in Arabic reading order; such lines are drawn right-aligned.
"""

from functools import cache, lru_cache
from typing import Literal

from arabic_reshaper import reshape
from bidi.algorithm import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters.fonts import ARABIC, BOLD, SANS, has_arabic, register, visual

Align = Literal["left", "right", "center"]


@cache
def _arabic_glyphs() -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(ARABIC).face.charToGlyph)


# python-bidi knows the embeddings, not the isolates the catalogue uses for web pages: LRI/RLI/FSI → LRE/RLE,
# PDI → PDF (the same runs for a line of text that holds no paragraph separator).
_EMBEDDINGS = str.maketrans({"\u2066": "\u202a", "\u2067": "\u202b", "\u2068": "\u202a", "\u2069": "\u202c"})


@lru_cache(maxsize=8192)
def _visual(text: str, rtl: bool) -> str:
    """Cached: wrapping measures every trial line, and a packet's fixed sentences are the same for every student."""
    return str(get_display(reshape(text.translate(_EMBEDDINGS)), base_dir="R")) if rtl else visual(text)


def runs(text: str, bold: bool = False, rtl: bool = False) -> list[tuple[str, str]]:
    """(font, text) pieces in drawing (visual, left-to-right) order."""
    latin = BOLD if bold else SANS
    if not has_arabic(text):
        return [(latin, text)]
    covered = _arabic_glyphs()
    pieces: list[tuple[str, str]] = []
    for char in _visual(text, rtl):
        font = ARABIC if ord(char) in covered else latin
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + char)
        else:
            pieces.append((font, char))
    return pieces


def _size(font: str, size: float, arabic_scale: float) -> float:
    return size * arabic_scale if font == ARABIC else size


def width(text: str, size: float, bold: bool = False, arabic_scale: float = 1.0, rtl: bool = False) -> float:
    return float(
        sum(
            pdfmetrics.stringWidth(piece, font, _size(font, size, arabic_scale))
            for font, piece in runs(text, bold, rtl)
        )
    )


def fitting_size(text: str, size: float, max_width: float, smallest: float = 6.0) -> float:
    """The largest size up to `size` at which `text` fits `max_width` (a table cell): a long amount such as
    "12.206,00 درهم" shrinks rather than running into the next column."""
    while size > smallest and width(text, size) > max_width:
        size -= 0.2
    return size


def draw(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    bold: bool = False,
    align: Align = "left",
    arabic_scale: float = 1.0,
    rtl: bool = False,
) -> float:
    """Draws `text` with its baseline at y, anchored at x on its left, right or centre; returns its width.

    `arabic_scale` enlarges the Naskh runs: at the same point size its letters look smaller than DejaVu's.
    """
    pieces = [(font, piece, _size(font, size, arabic_scale)) for font, piece in runs(text, bold, rtl)]
    total = float(sum(pdfmetrics.stringWidth(piece, font, sz) for font, piece, sz in pieces))
    x -= {"left": 0.0, "right": total, "center": total / 2}[align]
    for font, piece, sz in pieces:
        canvas.setFont(font, sz)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, font, sz)
    return total


def wrap(
    text: str, size: float, max_width: float, bold: bool = False, arabic_scale: float = 1.0, rtl: bool = False
) -> list[str]:
    """Greedy word wrap on the logical text (Arabic lines are shaped and reordered one by one when drawn): the
    first words of a right-to-left paragraph stay on its first line, at the right."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in filter(None, paragraph.split(" ")):  # only real spaces: no-break spaces keep "34,90 DH" whole
            trial = f"{line} {word}".strip()
            if line and width(trial, size, bold, arabic_scale, rtl) > max_width:
                lines.append(line)
                trial = word
            line = trial
        lines.append(line)
    return lines
