"""Reading medicine barcodes from an uploaded photo (issue 6), in-process.

A package of one module per job: `upload` (checks on the header), `photo` (the grayscale pyramid), `readers`
(the two decoders), `locator` (where the bars are), `search` (the order of the passes and the agreement rule).

The web layer calls it through `claimkit.adapters.scan_worker.ScanWorker`, never directly: a hostile image may be
slow or huge, and only the worker process has a time and a memory limit.

How a photo is searched, and why (figures from bench/barcodes/run.py on this project's 2-core machine):
1. Cheap checks on the header (size, format, pixel count), then a grayscale decode at 1/2 scale. Decoding a
   3 MB 12 MP JPEG costs ~30 ms, most of a typical search: entropy decoding cannot be skipped.
2. zxing-cpp, rows only, on that ~2000 px view (4 ms): most photos hold the barcode roughly level.
3. Where are the bars? `locate` finds areas of parallel edges on a ~1000 px view in a few ms, even when the bars
   are too thin there to decode, and merges the halves of one symbol; a square area is first read as a
   DataMatrix/QR at the decoded scale; each area is cropped at a scale where its modules are ~2.5 px and read by
   both decoders, level and slanted: first every area at the scales decoded already, then a DataMatrix/QR pass
   over the ~2000 px view, and only then the crops that need the full-size photo decoded (crops above
   REGION_MAX_PIXELS are not read). After a first code, the other areas are still read (two boxes in one photo):
   as fully as the first when as strong, else cheaply.
4. Three whole-view passes (ZBar at ~2000 px, zxing at full size, ZBar turned 45°); then, only while a read awaits
   confirmation, more whole-view passes until a code is confirmed or DEFAULT_BUDGET (CPU time) is spent. A photo
   with nothing read stops after the three: the others read nothing more on the bench corpus.
Both decoders sometimes return a *wrong* EAN-13 whose check digit is valid (the bench's single-read policy gives
2–3 wrong answers on 265 photos; DOMAIN.md reports the same on real photos). So a linear code is accepted only
when two reads agree that differ by decoder or by scale. The same decoder at the same scale with another binarizer
repeats its mistakes (measured: 3 wrong answers accepted); at another angle it was not caught wrong on the corpus
(2 more finds) but is not counted either, to stay on the safe side. A read nobody confirms is dropped: the student
can type the digits. A DataMatrix has Reed–Solomon error correction: one read is enough.
"""

from collections.abc import Callable

from claimkit.adapters.decoders.locator import Region, locate
from claimkit.adapters.decoders.photo import WORK_PIXELS, Photo
from claimkit.adapters.decoders.readers import Hit, zbar_read, zxing_read
from claimkit.adapters.decoders.search import DEFAULT_BUDGET, Outcome, search_image
from claimkit.adapters.decoders.upload import (
    FORMATS,
    MAX_ASPECT,
    MAX_PIXELS,
    MAX_PIXELS_BY_FORMAT,
    MSG_BAD_SHAPE,
    MSG_DAMAGED,
    MSG_EMPTY,
    MSG_HEIC,
    MSG_NOT_IMAGE,
    MSG_TOO_LARGE,
    MSG_TOO_MANY_PIXELS,
    MSG_TOO_MANY_PIXELS_LOSSLESS,
    TOO_LARGE,
    ScanRefused,
    check_header,
    open_checked,
)
from claimkit.domain.barcodes import Scan

__all__ = [
    "DEFAULT_BUDGET",
    "FORMATS",
    "MAX_ASPECT",
    "MAX_PIXELS",
    "MAX_PIXELS_BY_FORMAT",
    "MSG_BAD_SHAPE",
    "MSG_DAMAGED",
    "MSG_EMPTY",
    "MSG_HEIC",
    "MSG_NOT_IMAGE",
    "MSG_TOO_LARGE",
    "MSG_TOO_MANY_PIXELS",
    "MSG_TOO_MANY_PIXELS_LOSSLESS",
    "TOO_LARGE",
    "WORK_PIXELS",
    "Hit",
    "Outcome",
    "Photo",
    "Region",
    "ScanRefused",
    "check_header",
    "decode_image",
    "locate",
    "open_checked",
    "search_image",
    "zbar_read",
    "zxing_read",
]


def decode_image(
    data: bytes, *, is_known: Callable[[str], bool] | None = None, budget: float = DEFAULT_BUDGET
) -> list[Scan]:
    """The medicine barcodes in an uploaded photo, validated, each confirmed or not; [] when none could be read.

    `is_known` says whether a GTIN is a product of the medicines reference (the scan service passes it from the
    database): a single read of such a product is confirmed. Any other single linear read comes back with
    `confirmed=False`, to be shown as digits to check, never as the medicine found (docs/domain.md#medicine-barcodes).
    In-process: the web layer calls `ScanWorker.scan` instead. Raises ScanRefused for unusable files.
    """
    return search_image(data, budget=budget, is_known=is_known).scans
