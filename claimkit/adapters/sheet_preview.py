"""PNG previews of a filled official sheet for the phone: the whole page, and the line of one written value
enlarged so that it reads at 390 px wide (docs/domain.md, "Official sheets and the student's part").

Rendered with pypdfium2 (already used for OCR) at RENDER_SCALE once per written PDF and kept in a small LRU: the
preview page asks for the page and one crop per value, and each nudge renders once.
"""

import hashlib
import io
import threading
from collections import OrderedDict

import pypdfium2
from PIL import Image

from claimkit.adapters.official_forms import Filled

RENDER_SCALE = 3.0  # pixels per point: a crop of ~250 pt is 750 px, sharp on a 2–3× phone screen at 390 px
PAGE_WIDTH = 1200  # px of the whole-page picture (a 390 px screen at 3×)
CROP_LEFT, CROP_RIGHT, CROP_ABOVE, CROP_BELOW = 70.0, 25.0, 12.0, 10.0  # points around a value: its label shows
CACHE = 3

_RENDERED: OrderedDict[bytes, Image.Image] = OrderedDict()
_LOCK = threading.Lock()


def _render(filled: Filled) -> Image.Image:
    key = hashlib.sha256(filled.pdf).digest()
    with _LOCK:
        if (found := _RENDERED.get(key)) is not None:
            _RENDERED.move_to_end(key)
            return found
    document = pypdfium2.PdfDocument(filled.pdf)
    try:
        image: Image.Image = document[filled.page].render(scale=RENDER_SCALE).to_pil().convert("RGB")
    finally:
        document.close()
    with _LOCK:
        _RENDERED[key] = image
        while len(_RENDERED) > CACHE:
            _RENDERED.popitem(last=False)
    return image


def crop_box(filled: Filled, key: str) -> tuple[float, float, float, float]:
    """The part of the page (points, top-down) shown for one value: the value, the end of its label, some margin."""
    x0, top, x1, bottom = filled.boxes[key]
    return (
        max(0.0, x0 - CROP_LEFT),
        max(0.0, top - CROP_ABOVE),
        min(filled.width, x1 + CROP_RIGHT),
        min(filled.height, bottom + CROP_BELOW),
    )


def png(filled: Filled, key: str = "") -> bytes:
    """The page (PAGE_WIDTH px wide, the page's proportions) or, with `key`, that value's line at full scale."""
    image = _render(filled)
    if key:
        left, top, right, bottom = (round(v * RENDER_SCALE) for v in crop_box(filled, key))
        picture = image.crop((left, top, right, bottom))
    else:
        width = min(PAGE_WIDTH, image.width)
        size = (width, round(image.height * width / image.width))
        picture = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    out = io.BytesIO()
    picture.save(out, "PNG")  # optimize=True saves 2 % for 4× the time (bench/own_sheet_preview.py)
    return out.getvalue()
