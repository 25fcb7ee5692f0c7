"""The search of one photo: which reader on which view, until a code is confirmed or the time is up."""

import functools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image

from claimkit.adapters.decoders.locator import Region, locate
from claimkit.adapters.decoders.photo import Photo
from claimkit.adapters.decoders.readers import (
    Reader,
    zbar_half,
    zbar_read,
    zbar_sparse,
    zxing_fast,
    zxing_level,
    zxing_local,
    zxing_matrix,
    zxing_matrix_turned,
)
from claimkit.domain.barcodes import RawSymbol, Scan, interpret, is_confirmed, merge_scans, with_confirmation

SECOND_CODE_ENERGY = 0.9  # of a read code's region: another region this strong is read as fully as the first
SLANTED_SECOND_ENERGY = 0.6  # weaker regions, once a code is read, are read level only (text, most often)
# A region crop larger than this (after enlarging and rotating) is not read: a merged box of text and bars at full
# size cost up to 60 ms a read, and no decodable code of the corpus was read from a view above 1.9 MP
# (bench/barcodes/trace.py, session 6: capping at 2 MP saved ~1.2 s of CPU over the corpus and lost nothing).
REGION_MAX_PIXELS = 2_000_000
# Seconds of the process's CPU time spent searching before giving up (bench/barcodes/trace.py, session 6: every
# decodable photo of the corpus was offered within 0.17 s). CPU time, not wall time: on a busy machine a wall-clock
# budget ran out before the search had read anything. The wall clock still bounds it (WALL_FACTOR × budget), below
# the scan worker's hard limit (scan_worker.TIME_LIMIT).
DEFAULT_BUDGET = 0.25
WALL_FACTOR = 4


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
    """What a search found: each code kept with its count of independent reads, its scan (confirmed or not), and
    for the bench every read and step."""

    found: list[tuple[RawSymbol, int]]
    scans: list[Scan]
    reads: dict[str, set[Source]]
    steps: list[str]


# Whole-view passes after the located regions, always made: the only ones that read a decodable photo of the
# corpus the regions missed (bench/barcodes/trace.py, session 6: ZBar at ~2000 px read 0262, zxing at full size
# 0045, ZBar turned 45° a hard one). (decoder, reader, target long side in px or 0 for the finest level, rotation.)
FALLBACK: tuple[tuple[str, Reader, int, float], ...] = (
    ("zbar", zbar_sparse, 2000, 0),
    ("zxing", zxing_fast, 0, 0),
    ("zbar", zbar_sparse, 1000, 45),
)
# Then, only while a read awaits a second one (a code not in the reference): more passes to confirm or refute it.
# On the 92 corpus photos that got this far with nothing read, none of these read anything (nor did a full-size
# DataMatrix pass, ~150 ms: dropped), so a photo with nothing read stops here instead of spending the budget.
CONFIRMING: tuple[tuple[str, Reader, int, float], ...] = (
    ("zbar", zbar_sparse, 1000, 0),
    ("zxing", zxing_fast, 2000, 0),
    ("zxing", zxing_local, 1000, 0),
    ("zbar", zbar_sparse, 1000, 22.5),
    ("zbar", zbar_sparse, 1000, 67.5),
    ("zxing", zxing_local, 2000, 0),
    ("zxing", zxing_matrix_turned, 2000, 0),
    ("zbar", zbar_sparse, 0, 0),
)


class _Search:
    """One photo's search: reads tallied by (decoder, level) until a code is confirmed or the time is up."""

    def __init__(
        self, photo: Photo, budget: float, require_agreement: bool, is_known: Callable[[str], bool] | None
    ) -> None:
        self.photo = photo
        self.deadline = time.process_time() + budget
        self.wall_deadline = time.monotonic() + WALL_FACTOR * budget
        self.require_agreement = require_agreement
        self.is_known = is_known or (lambda gtin: False)
        self.candidates: dict[tuple[str, str | None], _Candidate] = {}
        self.unreadable: list[tuple[Box, int]] = []  # symbols zxing found but could not decode
        self.views: dict[tuple[int, float], View] = {}
        self.steps: list[str] = []
        self.regions_done = False  # the located regions are read even once a code is confirmed: two boxes
        self.located: list[Region] = []  # what `locate` found, strongest first
        self.tried: set[tuple[Box, int, str]] = set()  # region crops read already: box, level, how
        self.passes: set[tuple[str, int, float]] = set()  # whole-view passes made: reader, level, angle

    def view(self, level: int, angle: float = 0.0) -> View:
        key = (level, angle)
        if key not in self.views:
            image = self.photo.level(level)
            rotated = image.rotate(angle, Image.Resampling.BILINEAR, expand=True, fillcolor=255) if angle else image
            self.views[key] = View(rotated, level, angle, image.size)
        return self.views[key]

    def out_of_time(self) -> bool:
        return self.remaining() < 0

    def remaining(self) -> float:
        """Seconds left: of CPU time, or of the wall-clock bound when that is shorter."""
        return min(self.deadline - time.process_time(), self.wall_deadline - time.monotonic())

    def confirmed(self, candidate: _Candidate) -> bool:
        """Two independent reads, an error-corrected symbol, or a product of the reference (domain rule)."""
        if not self.require_agreement:
            return True
        return is_confirmed(candidate.scan, len(candidate.sources), self.is_known(candidate.scan.gtin))

    def kept(self) -> list[_Candidate]:
        """The candidates worth showing: confirmed ones, and unconfirmed ones no confirmed code contradicts.

        A single read lying where a confirmed code of another GTIN was read is that code misread: it is refuted
        and dropped. Confirmed codes come first.
        """
        confirmed = [c for c in self.candidates.values() if self.confirmed(c)]
        boxes = [seen[0] for c in confirmed for seen in c.seen]
        unconfirmed = [
            c
            for c in self.candidates.values()
            if not self.confirmed(c) and not any(_overlap(seen[0], box) for seen in c.seen for box in boxes)
        ]
        return confirmed + sorted(unconfirmed, key=lambda c: -len(c.sources))

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

    def _bounds(self, box: Box, level: int, margin: float) -> tuple[int, int, int, int] | None:
        """The pixels of `box` at `level`, widened for the quiet zones and the bar height; None when too small."""
        w, h = self.photo.level(level).size if self.photo.cheap(level) else self._size(level)
        x0, y0, x1, y1 = box
        pad = margin * max((x1 - x0) * w, (y1 - y0) * h) + 12
        left, top = max(0, int(x0 * w - pad)), max(0, int(y0 * h - pad))
        right, bottom = min(w, int(x1 * w + pad)), min(h, int(y1 * h + pad))
        if right - left < 24 or bottom - top < 24:
            return None
        return left, top, right, bottom

    def too_large(self, box: Box, level: int, angle: float, margin: float, enlarge: bool = False) -> bool:
        """Whether the crop of `box` would exceed REGION_MAX_PIXELS once enlarged and rotated (before making it)."""
        bounds = self._bounds(box, level, margin)
        if bounds is None:
            return False
        factor = 2 if enlarge else 1
        width, height = (bounds[2] - bounds[0]) * factor, (bounds[3] - bounds[1]) * factor
        cos, sin = abs(math.cos(math.radians(angle))), abs(math.sin(math.radians(angle)))
        return (width * cos + height * sin) * (width * sin + height * cos) > REGION_MAX_PIXELS

    def crop(self, box: Box, level: int, angle: float, margin: float = 0.3, enlarge: bool = False) -> View | None:
        """The region of `box` at `level`, widened for the quiet zones and the bar height, then rotated."""
        image = self.photo.level(level)
        bounds = self._bounds(box, level, margin)
        if bounds is None:
            return None
        region = image.crop(bounds)
        left, top = bounds[:2]
        if enlarge:
            region = region.resize((region.width * 2, region.height * 2), Image.Resampling.BICUBIC)
        size = region.size
        if angle:
            region = region.rotate(angle, Image.Resampling.BILINEAR, expand=True, fillcolor=255)
        return View(region, level, angle, size, (left, top), 2.0 if enlarge else 1.0)

    def read_both(self, view: View, step: str, box: Box) -> None:
        """A small view read by both decoders: two agreeing reads confirm a code at once. ZBar (2–3× zxing's cost
        on a crop) is skipped when zxing's read is already confirmed there (a product of the reference)."""
        self.read("zxing", zxing_fast, view, f"zxing {step}")
        if not self.settled(box):
            self.read("zbar", zbar_half, view, f"zbar {step}")

    def read_region(self, region: Region, cheap_only: bool = False, slanted: bool = True, decode: bool = True) -> None:
        """A located region, cropped where its modules are about 2.5 px or more, read level then slanted by ±22.5°.

        Its length over ~100 modules estimates the module size. When that scale is not decoded yet (the full-size
        photo costs more than most searches), the decoded scale is tried first if its modules are 1.4 px or more,
        enlarged twice (bicubic). Diagonal bars are turned by 45° first. `cheap_only` (a code is already
        confirmed elsewhere in the photo): no new decoding of the photo, and the slanted retries (a second box in
        the photo is seldom level with the first, bench/barcodes `two-codes`) by ZBar only, which reads more crops;
        `slanted=False`: level only (a region much weaker than the code read, see `regions`); `decode=False`: only
        the levels decoded already (the first round over the regions, see `regions`). A crop read once is skipped.
        While nothing is read, the region is first read as a DataMatrix or QR code at the decoded scale: the
        locator takes a 2D symbol's edges for bars, and this crop (1–3 ms) reads 31 of the corpus's 34 decodable
        2D symbols where the whole-view DataMatrix pass costs 15–20 ms and came after the full-size linear reads.
        """
        x0, y0, x1, y1 = region.core or region.box
        module = max((x1 - x0) * self.photo.width, (y1 - y0) * self.photo.height) / 100
        levels = self.photo.levels()
        ideal = max([lv for lv in levels if module / lv >= 2.5] or [self.photo.finest])
        attempts = [(ideal, False)]
        if not self.photo.cheap(ideal):
            decoded = min(lv for lv in levels if self.photo.cheap(lv))
            if module / decoded >= 1.4:
                attempts.insert(0, (decoded, True))
        elif ideal != self.photo.finest and self.photo.cheap(self.photo.finest):
            attempts.append((self.photo.finest, False))  # decoded already: the box may be text merged with bars
        base = 45.0 if region.direction in (45, 135) else 0.0
        angles: tuple[float, ...] = (base, base + 22.5, base - 22.5)
        if not slanted:
            angles = angles[:1]
        if cheap_only or not decode:
            attempts = [(level, enlarge) for level, enlarge in attempts if self.photo.cheap(level)]
        decoded = self.photo.finest_decoded()
        if (
            not cheap_only
            and not self.candidates
            and (region.box, decoded, "matrix") not in self.tried
            and _squarish(region.core or region.box, self.photo.level(decoded).size)
        ):
            self.tried.add((region.box, decoded, "matrix"))
            view = None if self.too_large(region.box, decoded, 0.0, 0.5) else self.crop(region.box, decoded, 0.0, 0.5)
            if view is not None:
                self.read("zxing", zxing_matrix_turned, view, f"zxing matrix region@1/{decoded}")
                if self.settled(region.core or region.box):
                    return
        for level, enlarge in attempts:
            for angle in angles:
                if (region.box, level, f"{angle}{enlarge}") in self.tried:
                    continue
                self.tried.add((region.box, level, f"{angle}{enlarge}"))
                if self.too_large(region.box, level, angle, 0.15, enlarge):
                    continue  # a merged box of text and bars, at full size (REGION_MAX_PIXELS)
                view = self.crop(region.box, level, angle, margin=0.15, enlarge=enlarge)
                if view is None or self.out_of_time():
                    return
                step = f"region@1/{level}r{angle:g}" + ("x2" if enlarge else "")
                if cheap_only and angle != base:
                    self.read("zbar", zbar_half, view, f"zbar {step}")  # ZBar only: it reads more in crops
                else:
                    self.read_both(view, step, region.core or region.box)
                if self.settled(region.core or region.box):
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
                    self.read("zbar", zbar_half, view, f"confirm zbar@1/{attempt_level}")
                    continue
                for reader in (zxing_fast, zxing_local):
                    self.read("zxing", reader, view, f"confirm zxing@1/{attempt_level}")
                    if self.confirmed(candidate):
                        break
                if not self.confirmed(candidate) and attempt_level == self.photo.finest:
                    enlarged = self.crop(box, attempt_level, angle, enlarge=True)
                    if enlarged is not None:
                        self.read("zxing", zxing_local, enlarged, "confirm zxing x2")

    def whole(self, decoder: str, reader: Reader, level: int, angle: float) -> None:
        """One decoder over a whole view, unless the time left cannot pay for it (~12 ns per pixel, the slowest
        passes): the budget then bounds the search instead of being overrun by a last full-size pass."""
        if (reader.__name__, level, angle) in self.passes:
            return  # small photos: several targets are one level
        self.passes.add((reader.__name__, level, angle))
        width, height = self.photo.level(level).size if self.photo.cheap(level) else self._size(level)
        if self.remaining() < width * height * 12e-9:
            self.steps.append(f"skipped {reader.__name__}@1/{level}")
            return
        step = f"{reader.__name__}@1/{level}" + (f"r{angle:g}" if angle else "")
        self.read(decoder, reader, self.view(level, angle), step)
        if not all(self.confirmed(c) for c in self.candidates.values()):
            self.confirm()

    def _size(self, level: int) -> tuple[int, int]:
        """A level's upright size before it is decoded (EXIF orientations 5–8 swap the sides)."""
        width, height = math.ceil(self.photo.width / level), math.ceil(self.photo.height / level)
        return (height, width) if self.photo.orientation in (5, 6, 7, 8) else (width, height)

    def regions(self) -> None:
        """The located regions, strongest first (see `locate`): first every region at the levels decoded already,
        then the DataMatrix/QR pass over the ~2000 px view, then the regions at the scales that need a new decode.

        The full-size decode and its crops cost ~60–150 ms; a 2D symbol whose located box missed part of it is read
        by the whole-view pass in ~10 ms (bench/barcodes/trace.py: 0039, 0141, 0208 came only after them).
        """
        regions = self.located = locate(self.photo.level(self.photo.level_for(1000)))
        self.steps.append(f"located {len(regions)}")
        settled: list[int] = []
        self._read_regions(regions, settled, decode=False)
        if not self.done() and not self.out_of_time():
            self.whole("zxing", zxing_matrix, self.photo.level_for(2000), 0)
        self._read_regions(regions, settled, decode=True)
        self.regions_done = True

    def _read_regions(self, regions: list[Region], settled: list[int], decode: bool) -> None:
        """One round over the located regions; `settled` holds the energies of the regions a code was read in.

        A region found settled in the second round was settled by another region's read (often a merged box
        holding it): its energy is not added, else a second code's weaker region would be read cheaply only
        (bench/barcodes 0239, two codes).
        """
        for region in regions:
            if self.out_of_time():
                break
            if self.settled(region.core or region.box):
                if not decode:
                    settled.append(region.energy)
                continue
            # A second box in the photo is read even after a first code; as fully as the first when its bars are
            # as strong as a code already read (two boxes side by side, bench/barcodes `two-codes`).
            strong = bool(settled) and region.energy >= SECOND_CODE_ENERGY * max(settled)
            slanted = not settled or region.energy >= SLANTED_SECOND_ENERGY * max(settled)
            self.read_region(region, cheap_only=self.done() and not strong, slanted=slanted, decode=decode)
            if self.settled(region.core or region.box):
                settled.append(region.energy)

    def settled(self, box: Box) -> bool:
        """A confirmed code was read where `box` is."""
        return any(_overlap(seen[0], box) for c in self.candidates.values() if self.confirmed(c) for seen in c.seen)

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
                self.read("zxing", zxing_local, view, f"reread@1/{self.photo.finest}")
                self.read("zbar", zbar_read, view, f"reread@1/{self.photo.finest}")

    def run(self) -> None:
        """Level rows at ~2000 px (most photos end here), located regions (a 2D symbol's region is read as one
        first), DataMatrix at ~2000 px, then whole-view passes."""
        photo = self.photo
        steps: list[Callable[[], None]] = [
            functools.partial(self.whole, "zxing", zxing_level, photo.level_for(2000), 0),
            self.regions,
            self.reread,
        ]
        for decoder, reader, long_side, angle in FALLBACK:
            level = photo.level_for(long_side) if long_side else photo.finest
            steps.append(functools.partial(self.whole, decoder, reader, level, angle))
        for step in steps:
            step()
            if (self.done() and self.regions_done) or self.out_of_time():
                return
        for decoder, reader, long_side, angle in CONFIRMING:
            if not self.candidates:
                self.steps.append("nothing read: stop")
                return
            self.whole(decoder, reader, photo.level_for(long_side) if long_side else photo.finest, angle)
            if self.done() or self.out_of_time():
                return


def _squarish(box: Box, size: tuple[int, int]) -> bool:
    """Whether a located box could hold a DataMatrix or a QR code: square symbols, within perspective (2:1)."""
    width, height = (box[2] - box[0]) * size[0], (box[3] - box[1]) * size[1]
    return max(width, height) <= 2 * max(1.0, min(width, height))


def _bbox(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _overlap(a: Box, b: Box, margin: float = 0.01) -> bool:
    """Whether two normalised boxes meet, with a margin: zxing reports a linear symbol as a line of no height."""
    return a[0] - margin < b[2] and b[0] - margin < a[2] and a[1] - margin < b[3] and b[1] - margin < a[3]


def search_image(
    data: bytes,
    *,
    budget: float = DEFAULT_BUDGET,
    require_agreement: bool = True,
    is_known: Callable[[str], bool] | None = None,
) -> Outcome:
    """Runs the search on one upload (the bench calls it to see every read; the app uses `decode_image`).

    `is_known` (a GTIN is a product of the medicines reference) confirms a single read, and ends the search as
    soon as one is read; without it only agreeing reads and 2D symbols are confirmed.
    """
    search = _Search(Photo(data), budget, require_agreement, is_known)
    search.run()
    kept = search.kept()
    found = [(c.raw, len(c.sources)) for c in kept]
    scans = merge_scans(
        with_confirmation(c.scan, len(c.sources), search.is_known(c.scan.gtin) or not require_agreement) for c in kept
    )
    reads = {c.scan.gtin: c.sources for c in search.candidates.values()}
    return Outcome(found, scans, reads, search.steps)
