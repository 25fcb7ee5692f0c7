"""Drawing French and Arabic text with the embedded fonts, for the templates, the filled copies and the packet.

Arabic is shaped (joined letter forms) and put in visual order by claimkit.adapters.fonts.visual. Noto Naskh
Arabic has no "-", "/", "(", ")" or apostrophe, and reportlab silently drops a glyph its font lacks, so an Arabic
string is drawn as runs: what Naskh has in Naskh, the rest in DejaVu Sans (which has all Latin and punctuation).
`rtl` marks a line of an Arabic page: its base direction is right to left even when it starts with Latin letters or
digits ("CNOPS …", "2 يناير 2027"), so its words come out in Arabic reading order; such lines are drawn right-aligned.
"""

import re
from functools import cache, lru_cache
from typing import Literal

from arabic_reshaper import reshape
from bidi import algorithm as bidi
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters.fonts import ARABIC, BOLD, SANS, has_arabic, register

Align = Literal["left", "right", "center"]


@cache
def _arabic_glyphs() -> frozenset[int]:
    register()
    return frozenset(pdfmetrics.getFont(ARABIC).face.charToGlyph)


# python-bidi knows the embeddings, not the isolates the catalogue uses for web pages: LRI → LRE, RLI → RLE, PDI →
# PDF, and FSI → LRE or RLE by the first strong letter inside (an Arabic name isolated in a French sentence keeps
# its words in Arabic order); the same runs for a line of text that holds no paragraph separator.
_EMBEDDINGS = str.maketrans({"\u2066": "\u202a", "\u2067": "\u202b", "\u2069": "\u202c"})
_FIRST_STRONG = re.compile("\u2068([^\u2066-\u2069]*)")
_STRONG_LETTER = re.compile(r"[^\W\d_]")


def _embedded(text: str) -> str:
    def first_strong(match: re.Match[str]) -> str:
        letter = _STRONG_LETTER.search(match.group(1))
        return ("\u202b" if letter and has_arabic(letter.group(0)) else "\u202a") + match.group(1)

    return _FIRST_STRONG.sub(first_strong, text).translate(_EMBEDDINGS)


@lru_cache(maxsize=8192)
def _visual(text: str, rtl: bool) -> tuple[str, frozenset[int]]:
    """The shaped text in drawing order, and the positions of the glyphs the bidi algorithm mirrored (L4: "(",
    "«" at a right-to-left level are drawn as ")", "»"). Those are drawn with their logical character as
    /ActualText, so a reader that extracts the text (pdftotext, copy and paste) gets « » and ( ) the right way
    round (issue 17). Cached: wrapping measures every trial line, and a packet's fixed sentences are the same
    for every student."""
    storage = bidi.get_empty_storage()
    shaped = reshape(_embedded(text))
    storage["base_level"] = bidi.PARAGRAPH_LEVELS["R"] if rtl else bidi.get_base_level(shaped)
    storage["base_dir"] = ("L", "R")[storage["base_level"]]
    bidi.get_embedding_levels(shaped, storage)
    for step in (
        bidi.explicit_embed_and_overrides,
        bidi.resolve_weak_types,
        bidi.resolve_neutral_types,
        bidi.resolve_implicit_levels,
        bidi.reorder_resolved_levels,
    ):
        step(storage, False)
    chars, mirrored = [], set()
    for position, item in enumerate(storage["chars"]):
        char = item["ch"]
        if bidi.mirrored(char) and item["level"] % 2:
            char = bidi.MIRRORED.get(char, char)
            mirrored.add(position)
        chars.append(char)
    return "".join(chars), frozenset(mirrored)


def _pdf_string(text: str) -> str:
    """A PDF text string, short: the mirrored characters ( ) « » [ ] … are in PDFDocEncoding (as in Latin-1),
    written as octal escapes; anything else in UTF-16BE."""
    if all(ord(char) < 256 for char in text):
        return "(" + "".join(f"\\{ord(char):03o}" for char in text) + ")"
    return f"<FEFF{text.encode('utf-16-be').hex().upper()}>"


Piece = tuple[str, str, str | None]  # (font, text, /ActualText for a mirrored glyph)


def _pieces(text: str, bold: bool = False, rtl: bool = False) -> list[Piece]:
    """(font, text, actual) pieces in drawing (visual, left-to-right) order; `actual` is the piece with its
    mirrored glyphs given back their own characters, when it has any."""
    latin = BOLD if bold else SANS
    if not has_arabic(text):
        return [(latin, text, None)]
    covered = _arabic_glyphs()
    shown, mirrored = _visual(text, rtl)
    pieces: list[tuple[str, str, str]] = []  # (font, drawn, actual)
    for position, char in enumerate(shown):
        font = ARABIC if ord(char) in covered else latin
        actual = bidi.MIRRORED.get(char, char) if position in mirrored else char
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + char, pieces[-1][2] + actual)
        else:
            pieces.append((font, char, actual))
    return [(font, drawn, actual if actual != drawn else None) for font, drawn, actual in pieces]


def runs(text: str, bold: bool = False, rtl: bool = False) -> list[tuple[str, str]]:
    """(font, text) pieces in drawing (visual, left-to-right) order."""
    return [(font, piece) for font, piece, _actual in _pieces(text, bold, rtl)]


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
    pieces = [
        (font, piece, _size(font, size, arabic_scale), actual) for font, piece, actual in _pieces(text, bold, rtl)
    ]
    total = float(sum(pdfmetrics.stringWidth(piece, font, sz) for font, piece, sz, _ in pieces))
    x -= {"left": 0.0, "right": total, "center": total / 2}[align]
    for font, piece, sz, actual in pieces:
        canvas.setFont(font, sz)
        if actual:  # marked content (PDF 32000 14.9.4): what the glyph stands for, for text extraction
            canvas._code.append(f"/Span<</ActualText{_pdf_string(actual)}>>BDC")
        canvas.drawString(x, y, piece)
        if actual:
            canvas._code.append("EMC")
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


def step_number(number: int, rtl: bool) -> str:
    """A numbered step's marker, in drawing order. Western digits in Arabic too, as everywhere else in the packet
    (dates, amounts, the CNOPS sheets: Morocco writes Arabic with 0-9), placed as a browser places an <ol>
    marker on an Arabic page: the number at the right edge, its full stop after it in reading order, so at its
    left (".1"); drawn "1." the stop came first for a right-to-left reader (issue 17)."""
    return f".{number}" if rtl else f"{number}."
