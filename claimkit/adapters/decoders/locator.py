"""Where the bars of a linear barcode probably are, from the direction of the edges."""

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

# Pixel shifts whose differences measure the gradient across bars at 0° (vertical bars), 90°, 45° and 135°.
_SHIFTS = {0: (1, 0), 90: (0, 1), 45: (1, -1), 135: (1, 1)}
_PERPENDICULAR = {0: 90, 90: 0, 45: 135, 135: 45}
LOCATE_BLOCK = 4  # px of the ~1000 px view per cell of the energy map
LOCATE_MIN_ENERGY = 6  # weaker peaks are texture or text, not bars
LOCATE_GROWTH = 3  # a merged area is at most this many times its strongest part (see `_mergeable`)
LOCATE_GAP = 2  # cells: areas of one direction this close are the halves of one symbol (see `_merged`)


@dataclass(frozen=True)
class Region:
    """Where bars may be: a box (normalised, upright), the gradient direction across them, and its strength.

    `core` is the strongest area's own box before merging (see `locate`): its size estimates the module size.
    """

    box: tuple[float, float, float, float]
    direction: int
    energy: int
    core: tuple[float, float, float, float] | None = None


def locate(image: Image.Image, limit: int = 3) -> list[Region]:
    """The strongest areas of parallel edges in a ~1000 px grayscale view: where a linear barcode probably is.

    Bars give a strong gradient in one direction and almost none across it; text and pictures give both. For each
    of four directions the map keeps |gradient| minus |gradient across|, averaged over blocks; the peaks of the
    strongest direction, grown into boxes, are the candidates. A few ms on a 1000 × 750 view, and it finds the
    bars even when they are too thin there to be decoded, so the full-size photo is then read only where they are.
    The fill often stops at the centre guard or the digits and splits one symbol in two: areas of one direction
    that touch are merged (bench/barcodes: 3 codes were missed because a crop held only half of their bars).
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
    # Filling only zeroes cells, so each next peak is found counting down from the last one with `find` (memchr):
    # `max` over the map, six times, was a third of `locate`'s time.
    peak = int(combined.getextrema()[1])  # type: ignore[arg-type]  # an L image: (min, max)
    while len(regions) < 2 * limit:
        while peak >= LOCATE_MIN_ENERGY and (start := energy.find(peak)) < 0:
            peak -= 1
        if peak < LOCATE_MIN_ENERGY:
            break
        x, y = start % width, start // width
        direction = max(maps, key=lambda d: maps[d].getpixel((x, y)) or 0)
        regions.append(Region(_fill(energy, start, width, peak * 0.4), direction, peak))
    scale = (width, height, width, height)
    return [
        Region(
            tuple(v / d for v, d in zip(region.box, scale, strict=True)),  # type: ignore[arg-type]
            region.direction,
            region.energy,
            tuple(v / d for v, d in zip(region.core or region.box, scale, strict=True)),  # type: ignore[arg-type]
        )
        for region in _merged(regions)[:limit]
    ]


def _fill(energy: bytearray, start: int, width: int, threshold: float) -> tuple[int, int, int, int]:
    """The bounding box (in cells, end exclusive) of the cells above `threshold` connected to `start`; visited cells
    are zeroed. Plain comparisons rather than min/max calls: this loop was half of `locate`'s time."""
    stack, energy[start] = [start], 0
    y0, x0 = divmod(start, width)
    x1, y1 = x0, y0
    last = len(energy) - width
    while stack:
        cell = stack.pop()
        y, x = divmod(cell, width)
        if x < x0:
            x0 = x
        elif x > x1:
            x1 = x
        if y < y0:
            y0 = y
        elif y > y1:
            y1 = y
        if x + 1 < width and energy[cell + 1] >= threshold:
            energy[cell + 1] = 0
            stack.append(cell + 1)
        if x > 0 and energy[cell - 1] >= threshold:
            energy[cell - 1] = 0
            stack.append(cell - 1)
        if cell < last and energy[cell + width] >= threshold:
            energy[cell + width] = 0
            stack.append(cell + width)
        if cell >= width and energy[cell - width] >= threshold:
            energy[cell - width] = 0
            stack.append(cell - width)
    return x0, y0, x1 + 1, y1 + 1


def _merged(regions: list[Region]) -> list[Region]:
    """Areas of one direction whose boxes (in cells) come within LOCATE_GAP of each other, as one area each."""
    merged: list[Region] = []
    for region in regions:  # strongest first: a merged area keeps its strongest part's energy and direction
        while True:  # a grown box may now reach an area kept apart before
            near = next((o for o in merged if _mergeable(o, region)), None)
            if near is None:
                break
            merged.remove(near)
            strong, weak = (near, region) if near.energy >= region.energy else (region, near)
            region = Region(_union(strong.box, weak.box), strong.direction, strong.energy, strong.core or strong.box)
        merged.append(region)
    return sorted(merged, key=lambda region: -region.energy)


def _union(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _area(box: tuple[float, float, float, float]) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _mergeable(a: Region, b: Region) -> bool:
    """Same direction, touching, and the union no more than LOCATE_GROWTH times the strongest core: halves of one
    symbol merge, a symbol and the text around it do not (a large crop costs ZBar tens of ms, and misleads the
    module size)."""
    core = (a.core or a.box) if a.energy >= b.energy else (b.core or b.box)
    union = _union(a.box, b.box)
    return a.direction == b.direction and _near(a.box, b.box) and _area(union) <= LOCATE_GROWTH * _area(core)


def _near(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return (
        a[0] - LOCATE_GAP <= b[2]
        and b[0] - LOCATE_GAP <= a[2]
        and a[1] - LOCATE_GAP <= b[3]
        and b[1] - LOCATE_GAP <= a[3]
    )
