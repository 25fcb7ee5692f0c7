"""Where the bars of a linear barcode probably are, from the direction of the edges."""

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

# Pixel shifts whose differences measure the gradient across bars at 0° (vertical bars), 90°, 45° and 135°.
_SHIFTS = {0: (1, 0), 90: (0, 1), 45: (1, -1), 135: (1, 1)}
_PERPENDICULAR = {0: 90, 90: 0, 45: 135, 135: 45}
LOCATE_BLOCK = 4  # px of the ~1000 px view per cell of the energy map
LOCATE_MIN_ENERGY = 6  # weaker peaks are texture or text, not bars
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
    while len(regions) < 2 * limit:
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
        regions.append(Region((x0, y0, x1 + 1, y1 + 1), direction, peak))
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


def _merged(regions: list[Region]) -> list[Region]:
    """Areas of one direction whose boxes (in cells) come within LOCATE_GAP of each other, as one area each."""
    merged: list[Region] = []
    for region in regions:  # strongest first: a merged area keeps its strongest part's energy and direction
        while True:  # a grown box may now reach an area kept apart before
            near = next((o for o in merged if o.direction == region.direction and _near(o.box, region.box)), None)
            if near is None:
                break
            merged.remove(near)
            strong, weak = (near, region) if near.energy >= region.energy else (region, near)
            box = tuple(f(a, b) for f, a, b in zip((min, min, max, max), strong.box, weak.box, strict=True))
            region = Region(box, strong.direction, strong.energy, strong.core or strong.box)  # type: ignore[arg-type]
        merged.append(region)
    return sorted(merged, key=lambda region: -region.energy)


def _near(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return (
        a[0] - LOCATE_GAP <= b[2]
        and b[0] - LOCATE_GAP <= a[2]
        and a[1] - LOCATE_GAP <= b[3]
        and b[1] - LOCATE_GAP <= a[3]
    )
