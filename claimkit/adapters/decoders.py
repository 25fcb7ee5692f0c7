"""Reading medicine barcodes from an uploaded photo (issue 6), in-process.

The web layer calls it through `claimkit.adapters.scan_worker.ScanWorker`, never directly: a hostile image may be
slow or huge, and only the worker process has a time and a memory limit.

How a photo is searched, and why (figures from bench/barcodes/run.py on this project's 2-core machine):
1. Cheap checks on the header (size, format, pixel count), then a grayscale decode at 1/2 scale. Decoding a
   3 MB 12 MP JPEG costs ~30 ms, most of a typical search: entropy decoding cannot be skipped.
2. zxing-cpp, rows only, on that ~2000 px view (4 ms): most photos hold the barcode roughly level.
3. Where are the bars? `locate` finds areas of parallel edges on a ~1000 px view in a few ms, even when the bars
   are too thin there to decode; each area is cropped at a scale where its modules are ~2.5 px (the full-size
   photo is decoded only then) and read by both decoders, level and slanted.
4. DataMatrix passes, then whole-view passes of both decoders at several scales and angles, until a code is
   confirmed or DEFAULT_BUDGET is spent.
Both decoders sometimes return a *wrong* EAN-13 whose check digit is valid (the bench's single-read policy gives
2–3 wrong answers on 265 photos; DOMAIN.md reports the same on real photos). So a linear code is accepted only
when two reads agree that differ by decoder or by scale. The same decoder at the same scale with another binarizer
repeats its mistakes (measured: 3 wrong answers accepted); at another angle it was not caught wrong on the corpus
(2 more finds) but is not counted either, to stay on the safe side. A read nobody confirms is dropped: the student
can type the digits. A DataMatrix has Reed–Solomon error correction: one read is enough.
"""

import functools
import io
import math
import time
import warnings
from collections.abc import Callable
from ctypes import string_at
from dataclasses import dataclass, field

import zxingcpp
from PIL import Image, ImageChops, ImageFilter, UnidentifiedImageError
from pyzbar import wrapper as zbar

from claimkit.domain.barcodes import RawSymbol, Scan, Symbology, interpret, interpret_all
from claimkit.domain.messages import N_

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 100_000_000
FORMATS = ("JPEG", "PNG", "WEBP")
WORK_PIXELS = 16_000_000  # larger photos are read at a reduced scale: no phone barcode needs more
DEFAULT_BUDGET = 0.5  # seconds of searching before giving up; the worker's hard limit is above it

MSG_EMPTY = N_("Le fichier est vide : choisissez une photo du code-barres.")
MSG_TOO_LARGE = N_("La photo dépasse 20 Mo : reprenez-la en qualité normale ou réduisez-la.")
MSG_NOT_IMAGE = N_("Ce fichier n'est pas une image lisible : envoyez une photo du code-barres (JPEG ou PNG).")
MSG_HEIC = N_("Les photos HEIC ne sont pas prises en charge : envoyez la photo au format JPEG.")
MSG_TOO_MANY_PIXELS = N_("L'image est trop grande (plus de 100 mégapixels) : envoyez une photo ordinaire.")
MSG_DAMAGED = N_("La photo est incomplète ou endommagée : envoyez-la à nouveau.")

_HEIF_BRANDS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypheim", b"ftypheis", b"ftypmif1", b"ftypmsf1")
_ZXING_FORMATS = zxingcpp.barcode_formats_from_str("EAN13,EAN8,UPCA,DataMatrix")
_ZXING_LINEAR = zxingcpp.barcode_formats_from_str("EAN13,EAN8,UPCA")
_ZXING_MATRIX = zxingcpp.barcode_formats_from_str("DataMatrix")
_ZBAR_SYMBOLS = (zbar.ZBarSymbol.EAN13, zbar.ZBarSymbol.EAN8, zbar.ZBarSymbol.UPCA)
_GRAY = 808466521  # fourcc 'Y800'


class ScanRefused(Exception):
    """The upload cannot be analysed; `message` (French) says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def open_checked(data: bytes) -> Image.Image:
    """Opens the upload after the cheap checks, reading only its header.

    Refuses (ScanRefused) empty and oversized files, HEIC, anything that is not JPEG/PNG/WebP, and images over
    100 megapixels, before any pixel is decoded.
    """
    if not data:
        raise ScanRefused(MSG_EMPTY)
    if len(data) > MAX_BYTES:
        raise ScanRefused(MSG_TOO_LARGE)
    if data[4:12] in _HEIF_BRANDS:
        raise ScanRefused(MSG_HEIC)
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own default (89 MP); claimkit's limit, checked below, is 100 MP.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError:
        raise ScanRefused(MSG_TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ScanRefused(MSG_NOT_IMAGE) from None
    if image.width * image.height > MAX_PIXELS:
        raise ScanRefused(MSG_TOO_MANY_PIXELS)
    return image


def _orientation(image: Image.Image) -> int:
    try:
        return int(image.getexif().get(0x0112, 1))
    except Exception:  # a malformed EXIF block only costs us the orientation
        return 1


_TRANSPOSE = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


class Photo:
    """The upload in grayscale, upright (EXIF orientation applied), at power-of-two reductions made on demand.

    A JPEG is decoded by libjpeg at the reduced size itself (`draft`): luminance only, no colour conversion. The
    time goes into entropy decoding (~9 ms per MB of file), so a 1/2-scale decode costs ~75 % of a full one plus
    its reduction: the search starts at 1/2 and decodes the full size only when a far shot needs it (measured
    both ways: starting at full size made the median 12 MP photo ~15 ms slower). Other formats are decoded once
    and reduced.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        image = open_checked(data)
        self._opened: Image.Image | None = image
        self.format = image.format
        self.width, self.height = image.size
        self.orientation = _orientation(image)
        # The finest level ever used: photos above WORK_PIXELS are read at a reduced scale.
        self.finest = 1
        while self.width * self.height / self.finest**2 > WORK_PIXELS:
            self.finest *= 2
        self._levels: dict[int, Image.Image] = {}

    @property
    def long_side(self) -> int:
        return max(self.width, self.height)

    def level_for(self, long_side: float) -> int:
        """The reduction whose long side is closest to `long_side` (never finer than `finest`)."""
        level, best = self.finest, self.finest
        while self.long_side / level >= 300:
            if abs(self.long_side / level - long_side) < abs(self.long_side / best - long_side):
                best = level
            level *= 2
        return best

    def levels(self) -> list[int]:
        """Every usable level, finest first (down to ~300 px on the long side)."""
        found, level = [], self.finest
        while self.long_side / level >= 300:
            found.append(level)
            level *= 2
        return found or [self.finest]

    def cheap(self, level: int) -> bool:
        """True when `level` needs no new decoding: it is a reduction of a level already decoded."""
        return any(level % known == 0 for known in self._levels)

    def level(self, level: int) -> Image.Image:
        """The upright grayscale photo reduced `level` times (a power of two)."""
        if level in self._levels:
            return self._levels[level]
        finer = [known for known in self._levels if known < level and level % known == 0]
        if not finer and self.format != "JPEG" and level != self.finest:
            finer = [self.finest]  # decoded once at full size, then reduced
            self.level(self.finest)
        image = self._levels[max(finer)].reduce(level // max(finer)) if finer else self._decode(level)
        self._levels[level] = image
        return image

    def _decode(self, level: int) -> Image.Image:
        image, self._opened = self._opened or open_checked(self.data), None
        try:
            if image.format == "JPEG":
                image.draft("L", (math.ceil(self.width / level), math.ceil(self.height / level)))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                image.load()
            gray = image if image.mode == "L" else image.convert("L")
        except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
            # Pillow refuses truncated files (LOAD_TRUNCATED_IMAGES is off); corrupt data fails the same way.
            raise ScanRefused(MSG_DAMAGED) from None
        remaining = max(1, level // max(1, round(self.width / gray.width)))
        if remaining > 1:
            gray = gray.reduce(remaining)
        if self.orientation in _TRANSPOSE:
            gray = gray.transpose(_TRANSPOSE[self.orientation])
        return gray


# --- the two decoders -------------------------------------------------------------------------------------------

Quad = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Hit:
    """One decoder result on one view: the raw symbol (None for a detected but unreadable symbol), where it is."""

    raw: RawSymbol | None
    decoder: str
    quad: Quad


def zbar_read(image: Image.Image, density: int = 1) -> list[Hit]:
    """ZBar on a grayscale image (pyzbar's ctypes bindings, with the scan density pyzbar does not expose).

    ZBar scans every `density`-th row and column: 2 halves the time and misses only very short bars.
    """
    pixels = image.tobytes()
    scanner = zbar.zbar_image_scanner_create()
    zimage = zbar.zbar_image_create()
    hits = []
    try:
        zbar.zbar_image_scanner_set_config(scanner, zbar.ZBarSymbol.NONE, zbar.ZBarConfig.CFG_ENABLE, 0)
        for symbol in _ZBAR_SYMBOLS:
            zbar.zbar_image_scanner_set_config(scanner, symbol, zbar.ZBarConfig.CFG_ENABLE, 1)
        zbar.zbar_image_scanner_set_config(scanner, zbar.ZBarSymbol.NONE, zbar.ZBarConfig.CFG_X_DENSITY, density)
        zbar.zbar_image_scanner_set_config(scanner, zbar.ZBarSymbol.NONE, zbar.ZBarConfig.CFG_Y_DENSITY, density)
        zbar.zbar_image_set_format(zimage, _GRAY)
        zbar.zbar_image_set_size(zimage, image.width, image.height)
        zbar.zbar_image_set_data(zimage, pixels, len(pixels), None)  # ctypes passes bytes as void*; kept alive here
        if zbar.zbar_scan_image(scanner, zimage) > 0:
            symbol = zbar.zbar_image_first_symbol(zimage)
            while symbol:
                text = string_at(zbar.zbar_symbol_get_data(symbol), zbar.zbar_symbol_get_data_length(symbol))
                name = zbar.ZBarSymbol(symbol.contents.type).name
                points = tuple(
                    (float(zbar.zbar_symbol_get_loc_x(symbol, i)), float(zbar.zbar_symbol_get_loc_y(symbol, i)))
                    for i in range(zbar.zbar_symbol_get_loc_size(symbol))
                )
                hits.append(Hit(RawSymbol(name, text.decode("ascii", "replace")), "zbar", points))
                symbol = zbar.zbar_symbol_next(symbol)
    finally:
        zbar.zbar_image_destroy(zimage)
        zbar.zbar_image_scanner_destroy(scanner)
    return hits


def zxing_read(
    image: Image.Image,
    *,
    rotate: bool = True,
    downscale: bool = True,
    binarizer: zxingcpp.Binarizer = zxingcpp.Binarizer.LocalAverage,
    formats: zxingcpp.BarcodeFormats = _ZXING_FORMATS,
) -> list[Hit]:
    """zxing-cpp on a grayscale image; symbols it located but could not read come back with `raw=None`.

    A GS1 DataMatrix is passed on with its symbology identifier (`]d2`), which tells the domain it is GS1 data.
    """
    hits = []
    results = zxingcpp.read_barcodes(
        image,
        formats=formats,
        try_rotate=rotate,
        try_downscale=downscale,
        try_invert=False,
        binarizer=binarizer,
        text_mode=zxingcpp.TextMode.Plain,
        return_errors=True,
    )
    for result in results:
        p = result.position
        quad = tuple((float(q.x), float(q.y)) for q in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        name = result.format.name
        if result.error is not None or not result.valid:
            hits.append(Hit(None, "zxing", quad))
        elif name == "DataMatrix":
            hits.append(Hit(RawSymbol(name, result.symbology_identifier + result.text), "zxing", quad))
        else:
            hits.append(Hit(RawSymbol(name, result.text), "zxing", quad))
    return hits


# --- where the barcode is ---------------------------------------------------------------------------------------

# Pixel shifts whose differences measure the gradient across bars at 0° (vertical bars), 90°, 45° and 135°.
_SHIFTS = {0: (1, 0), 90: (0, 1), 45: (1, -1), 135: (1, 1)}
_PERPENDICULAR = {0: 90, 90: 0, 45: 135, 135: 45}
LOCATE_BLOCK = 4  # px of the ~1000 px view per cell of the energy map
LOCATE_MIN_ENERGY = 6  # weaker peaks are texture or text, not bars


@dataclass(frozen=True)
class Region:
    """Where bars may be: a box (normalised, upright), the gradient direction across them, and its strength."""

    box: tuple[float, float, float, float]
    direction: int
    energy: int


def locate(image: Image.Image, limit: int = 3) -> list[Region]:
    """The strongest areas of parallel edges in a ~1000 px grayscale view: where a linear barcode probably is.

    Bars give a strong gradient in one direction and almost none across it; text and pictures give both. For each
    of four directions the map keeps |gradient| minus |gradient across|, averaged over blocks; the peaks of the
    strongest direction, grown into boxes, are the candidates. A few ms on a 1000 × 750 view, and it finds the
    bars even when they are too thin there to be decoded, so the full-size photo is then read only where they are.
    """
    edges = {
        direction: ImageChops.difference(image, ImageChops.offset(image, dx, dy))
        for direction, (dx, dy) in _SHIFTS.items()
    }
    maps = {
        direction: ImageChops.subtract(edges[direction], edges[_PERPENDICULAR[direction]]).reduce(LOCATE_BLOCK)
        for direction in _SHIFTS
    }
    combined = ImageChops.lighter(ImageChops.lighter(maps[0], maps[90]), ImageChops.lighter(maps[45], maps[135]))
    combined = combined.filter(ImageFilter.BoxBlur(1))
    width, height = combined.size
    energy = bytearray(combined.tobytes())
    regions: list[Region] = []
    while len(regions) < limit:
        peak = max(energy, default=0)
        if peak < LOCATE_MIN_ENERGY:
            break
        start = energy.find(peak)
        x, y = start % width, start // width
        direction = max(maps, key=lambda d: maps[d].getpixel((x, y)) or 0)
        threshold = peak * 0.4
        stack, energy[start] = [start], 0
        x0 = x1 = x
        y0 = y1 = y
        while stack:  # flood fill of the cells above 40 % of the peak; visited cells are zeroed
            cell = stack.pop()
            x, y = cell % width, cell // width
            x0, x1, y0, y1 = min(x0, x), max(x1, x), min(y0, y), max(y1, y)
            neighbours = (
                (cell + 1, x + 1 < width),
                (cell - 1, x > 0),
                (cell + width, y + 1 < height),
                (cell - width, y > 0),
            )
            for near, inside in neighbours:
                if inside and energy[near] >= threshold:
                    energy[near] = 0
                    stack.append(near)
        box = (x0 / width, y0 / height, (x1 + 1) / width, (y1 + 1) / height)
        regions.append(Region(box, direction, peak))
    return regions


# --- the search -------------------------------------------------------------------------------------------------


@dataclass
class View:
    """One level of the photo, possibly rotated by `angle` degrees (counter-clockwise, canvas expanded)."""

    image: Image.Image
    level: int
    angle: float
    base_size: tuple[int, int]  # the unrotated level's size
    offset: tuple[float, float] = (0.0, 0.0)  # where a crop starts, in the level's pixels
    zoom: float = 1.0  # a crop enlarged for the decoders

    def to_upright(self, point: tuple[float, float], full: tuple[int, int]) -> tuple[float, float]:
        """A point of this view in normalised (0–1) coordinates of the upright photo of size `full`/level."""
        x, y = point
        if self.angle:
            w, h = self.base_size
            cx, cy = x - self.image.width / 2, y - self.image.height / 2
            a = math.radians(self.angle)
            x = cx * math.cos(a) - cy * math.sin(a) + w / 2
            y = cx * math.sin(a) + cy * math.cos(a) + h / 2
        return (x / self.zoom + self.offset[0]) / full[0], (y / self.zoom + self.offset[1]) / full[1]


Box = tuple[float, float, float, float]
Source = tuple[str, int]  # (decoder, level): two reads agree only if these differ


@dataclass
class _Candidate:
    scan: Scan
    raw: RawSymbol
    sources: set[Source] = field(default_factory=set)
    seen: list[tuple[Box, int, float]] = field(default_factory=list)  # box, level, angle


@dataclass
class Outcome:
    """What a search found: the accepted raw symbols, their scans, and for the bench every read and step."""

    symbols: list[RawSymbol]
    scans: list[Scan]
    reads: dict[str, set[Source]]
    steps: list[str]


Reader = Callable[[Image.Image], list[Hit]]


def _zxing_fast(image: Image.Image) -> list[Hit]:
    """Linear codes, rows and columns, global-histogram binarizer: as good as the local one here, 2.5× faster."""
    return zxing_read(image, downscale=False, binarizer=zxingcpp.Binarizer.GlobalHistogram, formats=_ZXING_LINEAR)


def _zxing_level(image: Image.Image) -> list[Hit]:
    """Rows only: most photos hold the barcode roughly level, and this pass is 2× cheaper than trying 90° too."""
    return zxing_read(
        image, rotate=False, downscale=False, binarizer=zxingcpp.Binarizer.GlobalHistogram, formats=_ZXING_LINEAR
    )


def _zxing_matrix(image: Image.Image) -> list[Hit]:
    """DataMatrix only, local binarizer (uneven light), one orientation: a few ms at ~1000 px."""
    return zxing_read(image, rotate=False, downscale=False, formats=_ZXING_MATRIX)


def _zxing_matrix_turned(image: Image.Image) -> list[Hit]:
    """DataMatrix in every orientation: zxing's finder misses some slanted symbols without it, at 3× the cost."""
    return zxing_read(image, downscale=False, formats=_ZXING_MATRIX)


def _zxing_local(image: Image.Image) -> list[Hit]:
    """Every format, local binarizer: slower, reads some blurred or unevenly lit codes the fast pass misses."""
    return zxing_read(image, downscale=False, binarizer=zxingcpp.Binarizer.LocalAverage)


def _zbar_sparse(image: Image.Image) -> list[Hit]:
    """Every third row and column of a whole view: as many finds as every row here, at a third of the cost."""
    return zbar_read(image, density=3)


def _zbar_half(image: Image.Image) -> list[Hit]:
    """Every other row and column: enough lines across a cropped symbol, at half the cost."""
    return zbar_read(image, density=2)


# Whole-view passes after the located regions, most codes found per millisecond first (bench/barcodes, greedy
# over the corpus). (decoder, reader, target long side in px or 0 for the finest level, rotation in degrees).
FALLBACK: tuple[tuple[str, Reader, int, float], ...] = (
    ("zbar", _zbar_sparse, 1000, 0),
    ("zxing", _zxing_matrix, 0, 0),
    ("zxing", _zxing_fast, 2000, 0),
    ("zbar", _zbar_sparse, 2000, 0),
    ("zbar", _zbar_sparse, 1000, 45),
    ("zxing", _zxing_local, 1000, 0),
    ("zbar", _zbar_sparse, 1000, 22.5),
    ("zbar", _zbar_sparse, 1000, 67.5),
    ("zxing", _zxing_fast, 0, 0),
    ("zxing", _zxing_local, 2000, 0),
    ("zxing", _zxing_matrix_turned, 2000, 0),
    ("zbar", _zbar_sparse, 0, 0),
)


class _Search:
    """One photo's search: reads tallied by (decoder, level) until a code is confirmed or the time is up."""

    def __init__(self, photo: Photo, budget: float, require_agreement: bool) -> None:
        self.photo = photo
        self.deadline = time.monotonic() + budget
        self.require_agreement = require_agreement
        self.candidates: dict[tuple[str, str | None], _Candidate] = {}
        self.unreadable: list[tuple[Box, int]] = []  # symbols zxing found but could not decode
        self.views: dict[tuple[int, float], View] = {}
        self.steps: list[str] = []

    def view(self, level: int, angle: float = 0.0) -> View:
        key = (level, angle)
        if key not in self.views:
            image = self.photo.level(level)
            rotated = image.rotate(angle, Image.Resampling.BILINEAR, expand=True, fillcolor=255) if angle else image
            self.views[key] = View(rotated, level, angle, image.size)
        return self.views[key]

    def out_of_time(self) -> bool:
        return time.monotonic() > self.deadline

    def confirmed(self, candidate: _Candidate) -> bool:
        if candidate.scan.symbology is Symbology.DATAMATRIX or not self.require_agreement:
            return True  # Reed–Solomon: a DataMatrix read is either right or not read at all
        return len(candidate.sources) >= 2

    def done(self) -> bool:
        return any(self.confirmed(c) for c in self.candidates.values())

    def read(self, decoder: str, reader: Reader, view: View, step: str) -> None:
        self.steps.append(step)
        size = self.photo.level(view.level).size
        for hit in reader(view.image):
            if hit.raw is None and hit.quad and not view.offset[0] and not view.offset[1]:
                self.unreadable.append((_bbox([view.to_upright(point, size) for point in hit.quad]), view.level))
            if hit.raw is None or (scan := interpret(hit.raw)) is None:
                continue
            candidate = self.candidates.setdefault((scan.gtin, scan.serial), _Candidate(scan, hit.raw))
            candidate.sources.add((decoder, view.level))
            if hit.quad:
                box = _bbox([view.to_upright(point, size) for point in hit.quad])
                candidate.seen.append((box, view.level, view.angle))

    def crop(self, box: Box, level: int, angle: float, margin: float = 0.3, enlarge: bool = False) -> View | None:
        """The region of `box` at `level`, widened for the quiet zones and the bar height, then rotated."""
        image = self.photo.level(level)
        x0, y0, x1, y1 = box
        w, h = image.size
        pad = margin * max((x1 - x0) * w, (y1 - y0) * h) + 12
        left, top = max(0, int(x0 * w - pad)), max(0, int(y0 * h - pad))
        right, bottom = min(w, int(x1 * w + pad)), min(h, int(y1 * h + pad))
        if right - left < 24 or bottom - top < 24:
            return None
        region = image.crop((left, top, right, bottom))
        if enlarge:
            region = region.resize((region.width * 2, region.height * 2), Image.Resampling.BICUBIC)
        size = region.size
        if angle:
            region = region.rotate(angle, Image.Resampling.BILINEAR, expand=True, fillcolor=255)
        return View(region, level, angle, size, (left, top), 2.0 if enlarge else 1.0)

    def read_both(self, view: View, step: str) -> None:
        """A small view read by both decoders: two agreeing reads confirm a code at once."""
        self.read("zxing", _zxing_fast, view, f"zxing {step}")
        self.read("zbar", _zbar_half, view, f"zbar {step}")

    def read_region(self, region: Region) -> None:
        """A located region, cropped where its modules are about 2.5 px or more, read level then slanted by ±22.5°.

        Its length over ~100 modules estimates the module size. When that scale is not decoded yet (the full-size
        photo costs more than most searches), the decoded scale is tried first if its modules are 1.4 px or more,
        enlarged twice (bicubic). Diagonal bars are turned by 45° first.
        """
        x0, y0, x1, y1 = region.box
        module = max((x1 - x0) * self.photo.width, (y1 - y0) * self.photo.height) / 100
        levels = self.photo.levels()
        ideal = max([lv for lv in levels if module / lv >= 2.5] or [self.photo.finest])
        attempts = [(ideal, False)]
        if not self.photo.cheap(ideal):
            decoded = min(lv for lv in levels if self.photo.cheap(lv))
            if module / decoded >= 1.4:
                attempts.insert(0, (decoded, True))
        base = 45.0 if region.direction in (45, 135) else 0.0
        for level, enlarge in attempts:
            for angle in (base, base + 22.5, base - 22.5):
                view = self.crop(region.box, level, angle, margin=0.15, enlarge=enlarge)
                if view is None or self.out_of_time():
                    return
                self.read_both(view, f"region@1/{level}r{angle:g}" + ("x2" if enlarge else ""))
                if self.done():
                    return

    def confirm_levels(self, box: Box, level: int) -> list[int]:
        """Levels to re-read a symbol at, best first: no new decoding, modules of 1.6 to 8 px, near 3 px.

        The symbol's length along its box diagonal over 95 modules (EAN-13) estimates its module size.
        """
        module = max(0.1, math.hypot((box[2] - box[0]) * self.photo.width, (box[3] - box[1]) * self.photo.height) / 95)
        levels = [lv for lv in self.photo.levels() if 1.6 <= module / lv <= 8] or [level]
        levels.sort(key=lambda lv: (not self.photo.cheap(lv), abs(math.log(module / lv / 3))))
        return levels[:2]

    def confirm(self) -> None:
        """Second reads for the codes read once: their region, at a good scale, by the other decoder first.

        Crops are small, so a confirmation costs a few milliseconds where a whole-view pass costs tens. zxing
        needs wider modules than ZBar: for it, a crop of thin modules is also tried enlarged twice (bicubic).
        """
        for candidate in list(self.candidates.values()):
            if self.confirmed(candidate) or not candidate.seen:
                continue
            box, level, angle = candidate.seen[0]
            decoder = next(iter(candidate.sources))[0]
            other = "zbar" if decoder == "zxing" else "zxing"
            best, *rest = self.confirm_levels(box, level)
            second = rest[0] if rest else best
            attempts = [(other, best), (decoder, best if best != level else second), (other, second)]
            for attempt, attempt_level in dict.fromkeys(attempts):
                if self.confirmed(candidate) or self.out_of_time():
                    break
                if (attempt, attempt_level) in candidate.sources:
                    continue
                view = self.crop(box, attempt_level, angle)
                if view is None:
                    continue
                if attempt == "zbar":
                    self.read("zbar", _zbar_half, view, f"confirm zbar@1/{attempt_level}")
                    continue
                for reader in (_zxing_fast, _zxing_local):
                    self.read("zxing", reader, view, f"confirm zxing@1/{attempt_level}")
                    if self.confirmed(candidate):
                        break
                if not self.confirmed(candidate) and attempt_level == self.photo.finest:
                    enlarged = self.crop(box, attempt_level, angle, enlarge=True)
                    if enlarged is not None:
                        self.read("zxing", _zxing_local, enlarged, "confirm zxing x2")

    def whole(self, decoder: str, reader: Reader, level: int, angle: float) -> None:
        """One decoder over a whole view, unless the time left cannot pay for it (~12 ns per pixel, the slowest
        passes): the budget then bounds the search instead of being overrun by a last full-size pass."""
        width, height = self.photo.level(level).size if self.photo.cheap(level) else self._size(level)
        if self.deadline - time.monotonic() < width * height * 12e-9:
            self.steps.append(f"skipped {reader.__name__}@1/{level}")
            return
        step = f"{reader.__name__}@1/{level}" + (f"r{angle:g}" if angle else "")
        self.read(decoder, reader, self.view(level, angle), step)
        if not self.done():
            self.confirm()

    def _size(self, level: int) -> tuple[int, int]:
        return math.ceil(self.photo.width / level), math.ceil(self.photo.height / level)

    def regions(self) -> None:
        """The located regions, strongest first (see `locate`)."""
        regions = locate(self.photo.level(self.photo.level_for(1000)))
        self.steps.append(f"located {len(regions)}")
        for region in regions:
            if self.done() or self.out_of_time():
                return
            self.read_region(region)

    def reread(self) -> None:
        """Symbols zxing located but could not decode (too small at that scale): read again at full scale."""
        seen: set[tuple[float, ...]] = set()
        for box, level in self.unreadable[:6]:
            key = tuple(round(v, 2) for v in box)  # one symbol is often reported by several passes
            if level == self.photo.finest or key in seen or self.done() or self.out_of_time():
                continue
            seen.add(key)
            view = self.crop(box, self.photo.finest, 0.0, margin=0.5)
            if view is not None:
                self.read("zxing", _zxing_local, view, f"reread@1/{self.photo.finest}")
                self.read("zbar", zbar_read, view, f"reread@1/{self.photo.finest}")

    def run(self) -> None:
        """Level rows at ~2000 px (most photos end here), DataMatrix, located regions, then whole-view passes."""
        photo = self.photo
        steps: list[Callable[[], None]] = [
            functools.partial(self.whole, "zxing", _zxing_level, photo.level_for(2000), 0),
            self.regions,
            functools.partial(self.whole, "zxing", _zxing_matrix, photo.level_for(2000), 0),
            self.reread,
        ]
        done: set[tuple[str, int, float]] = set()
        for decoder, reader, long_side, angle in FALLBACK:
            level = photo.level_for(long_side) if long_side else photo.finest
            if (reader.__name__, level, angle) not in done:  # small photos: several targets are one level
                done.add((reader.__name__, level, angle))
                steps.append(functools.partial(self.whole, decoder, reader, level, angle))
        for step in steps:
            step()
            if self.done() or self.out_of_time():
                return


def _bbox(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def search_image(data: bytes, *, budget: float = DEFAULT_BUDGET, require_agreement: bool = True) -> Outcome:
    """Runs the search on one upload (the bench calls it to see every read; the app uses `decode_image`)."""
    search = _Search(Photo(data), budget, require_agreement)
    search.run()
    accepted = [c.raw for c in search.candidates.values() if search.confirmed(c)]
    reads = {c.scan.gtin: c.sources for c in search.candidates.values()}
    return Outcome(accepted, interpret_all(accepted), reads, search.steps)


def decode_image(data: bytes, *, budget: float = DEFAULT_BUDGET) -> list[Scan]:
    """The medicine barcodes in an uploaded photo, validated and confirmed; [] when none could be read.

    In-process: the web layer calls `ScanWorker.scan` instead. Raises ScanRefused for unusable files.
    """
    return search_image(data, budget=budget).scans
