"""Where the bars of a linear barcode probably are, from the direction of the edges."""

from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

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
