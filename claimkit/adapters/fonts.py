"""Unicode fonts for PDFs: DejaVu for Latin (accents), Noto Naskh for Arabic, shaped and reordered.

reportlab draws glyphs left to right without shaping, so Arabic is first reshaped (joined letter forms)
and put in visual order with python-bidi; AcroForm fields cannot use a TTF (TOOLCHAIN §6), so filled values
are drawn as an overlay with these fonts.
"""

import re
from functools import cache
from pathlib import Path

from arabic_reshaper import reshape
from bidi.algorithm import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_FILES = {
    "DejaVuSans": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "DejaVuSans-Bold": Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    "NotoNaskhArabic": Path("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"),
}
SANS, BOLD, ARABIC = "DejaVuSans", "DejaVuSans-Bold", "NotoNaskhArabic"
_ARABIC_CHARS = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


@cache
def register() -> None:
    """Registers the fonts once per process; a missing package gets a message naming it."""
    for name, path in FONT_FILES.items():
        if not path.exists():
            raise RuntimeError(f"Police absente : {path} (installez fonts-dejavu-core et fonts-noto-core).")
        pdfmetrics.registerFont(TTFont(name, str(path)))


def has_arabic(text: str) -> bool:
    return bool(_ARABIC_CHARS.search(text))


def visual(text: str) -> str:
    """The string as it must be drawn left to right (Arabic shaped and reversed, Latin untouched)."""
    return str(get_display(reshape(text))) if has_arabic(text) else text
