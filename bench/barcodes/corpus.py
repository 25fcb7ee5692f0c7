"""Synthetic phone photos of medicine boxes, from a fixed seed, for the barcode bench (issue 6).

Each sample is drawn from its own `random.Random(f"{seed}:{index}")`, so any image can be regenerated alone. The
generator, not the decoder, says whether an image is *decodable*: a sample is decodable when every degradation
stays inside the ranges below, chosen from what a symbol physically keeps, before any decoder has run.

Decodable ranges (an image outside any of them is kept in the corpus as "hard", reported apart):
- narrowest module, measured on the final image at its far (most foreshortened) end: ≥ 1.5 px for EAN-13,
  ≥ 2.5 px for DataMatrix;
- Gaussian blur sigma ≤ 0.5 × that module for EAN-13 (the narrowest bar keeps ≥ 68 % of its contrast),
  ≤ 0.4 × for DataMatrix;
- glare (a white specular highlight): opacity over the symbol ≤ 0.6;
- contrast between bars and background after exposure and haze ≥ 0.25 of full scale.
Shots: a 26 mm-equivalent phone lens 8–40 cm from the box (log-uniform), EAN-13 modules of 0.264–0.33 mm
(80–100 % of nominal), DataMatrix modules of 0.30–0.45 mm at 8–30 cm; smaller sizes are the same shots downsized.
In-plane angle: within ±12° for 60 % of the shots, ±30° for 25 %, any angle for 15 %.
Always decodable by construction: tilt up to 35° about both axes, any in-plane angle, Gaussian noise σ ≤ 10, JPEG
quality 85–95 at 12 and 8 MP (as cameras save; 12 MP files are 3 MB at the median, like real photos) and 55–90 at
smaller sizes (apps that downsize recompress), any EXIF orientation, box text and stripes around the symbol, the
symbol wholly in frame. Not modelled: shiny plastic.

Classes added for issue 19 (what an outside set of phone photos showed to be hard), each a tag of the sample:
- `motion`: hand shake during the exposure, a linear smear of 0.2–1.6 modules in a random direction; decodable
  when its component across the bars is ≤ 0.8 module (the narrowest space keeps some contrast);
- `defocus`: the Gaussian blur above at ≥ 0.3 module (the realistic upper half of the decodable range);
- `curved`: the face wrapped on a cylinder (a tube, a round bottle) spanning ±50–80° of arc; the modules shrink
  by cos(angle) toward the edge, and the decodable module test applies at the symbol's most slanted end;
- `near-print`: no cleared area: text lines 1–3 modules above and below the bars, a rule just outside each
  quiet zone (the quiet zones themselves, 11 and 7 modules, are kept: printers keep them);
- `two-codes`: two EAN-13 of different products side by side (two boxes in one shot); both are expected;
- `small`: 12 MP frames shot from 40–70 cm, the symbol a small part of the frame (module test as above);
- `qr`: a GS1 Digital Link QR (`https://id.gs1.org/01/<GTIN>/10/<lot>/21/<serial>?17=<expiry>`), the
  DataMatrix thresholds (module ≥ 2.5 px, blur ≤ 0.4 module).

Kinds: `ean13` (a real EAN-13 from data/medicines_ma.csv on a box or vignette), `datamatrix` (a GS1 DataMatrix
with AI 01, 17, 10, 21 for one of those GTINs), `qr` (a GS1 Digital Link QR for one of them), `none` (boxes,
text and bar-like stripes, no barcode).
"""

import csv
import functools
import hashlib
import io
import json
import math
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from stdnum import ean

ROOT = Path(__file__).resolve().parents[2]
MEDICINES = ROOT / "claimkit" / "data" / "medicines_ma.csv"
CACHE = Path(__file__).resolve().parent / ".corpus"
GENERATOR_VERSION = 7
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansCondensed.ttf", "DejaVuSerif.ttf")

# Phone picture sizes (landscape sensor): 12 MP is what phones upload; the others come from apps that resize.
SIZES = {"12MP": (4000, 3000), "8MP": (3264, 2448), "2.8MP": (1920, 1440), "1.2MP": (1280, 960)}
SIZE_WEIGHTS = {"12MP": 0.62, "8MP": 0.1, "2.8MP": 0.14, "1.2MP": 0.14}
KIND_WEIGHTS = {"ean13": 0.74, "datamatrix": 0.07, "qr": 0.07, "none": 0.12}
# Probability of each added condition for an EAN-13 sample (see the module docstring); motion for every kind.
CONDITIONS = {"motion": 0.15, "curved": 0.12, "near-print": 0.2, "two-codes": 0.08, "small": 0.12}

# Decodable thresholds (see the module docstring).
MIN_MODULE = {"ean13": 1.5, "datamatrix": 2.5, "qr": 2.5}
MAX_BLUR = {"ean13": 0.5, "datamatrix": 0.4, "qr": 0.4}
MAX_MOTION_ACROSS = 0.8
MAX_GLARE = 0.6
MIN_CONTRAST = 0.25

MASTER_MODULE = 6  # px per module on the flat artwork, before the camera projection
EXIF_ORIENTATION = 0x0112
# Pixels are stored so that ImageOps.exif_transpose restores the scene: the inverse of its transposition.
STORE_TRANSPOSE = {3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}

_L = ("0001101", "0011001", "0010011", "0111101", "0100011", "0110001", "0101111", "0111011", "0110111", "0001011")
_R = tuple("".join("1" if bit == "0" else "0" for bit in code) for code in _L)
_G = tuple(code[::-1] for code in _R)
_PARITY = ("LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG", "LGGLLG", "LGGGLL", "LGLGLL", "LGLGGL", "LGGLGL")


@dataclass
class Sample:
    name: str
    kind: str
    size: str
    expected: str | None
    decodable: bool
    reasons: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # a second code in the photo (`two-codes`)

    @property
    def codes(self) -> set[str]:
        return {self.expected, *self.also} - {None}  # type: ignore[arg-type]


def ean13_modules(code: str) -> str:
    """The 95 modules of an EAN-13 (1 = bar), from the standard's L/G/R tables."""
    first, left, right = int(code[0]), code[1:7], code[7:]
    tables = {"L": _L, "G": _G}
    middle = "".join(tables[parity][int(digit)] for parity, digit in zip(_PARITY[first], left, strict=True))
    return "101" + middle + "01010" + "".join(_R[int(d)] for d in right) + "101"


@functools.cache
def load_codes() -> tuple[list[str], list[str]]:
    """Valid EAN-13s and product names from the medicines reference."""
    codes, names = [], []
    with MEDICINES.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = (row.get("barcode") or "").strip()
            if len(code) == 13 and code.isdigit() and ean.is_valid(code):
                codes.append(code)
            names.append(row["name"])
    return sorted(set(codes)), names


def font(size: int, rng: random.Random) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / rng.choice(FONTS)), size)


def render_ean13(code: str, rng: random.Random, ink: tuple[int, int, int], paper: tuple[int, int, int]) -> Image.Image:
    """The printed symbol: quiet zones, bars (guards longer), digits below; returns the label and its bar box."""
    m = MASTER_MODULE
    bar_height = rng.randint(22, 70) * m  # pharma boxes often truncate the bars
    quiet_left, quiet_right = 11 * m, 7 * m
    width, height = quiet_left + 95 * m + quiet_right, bar_height + 14 * m
    label = Image.new("RGB", (width, height), paper)
    draw = ImageDraw.Draw(label)
    top = 3 * m
    guard = {0, 1, 2, 45, 46, 47, 48, 49, 92, 93, 94}
    for index, bit in enumerate(ean13_modules(code)):
        if bit == "1":
            bottom = top + bar_height + (5 * m if index in guard else 0)
            draw.rectangle((quiet_left + index * m, top, quiet_left + (index + 1) * m - 1, bottom), fill=ink)
    digits = ImageFont.truetype(str(FONT_DIR / "DejaVuSansMono.ttf"), 9 * m)
    y = top + bar_height + m
    draw.text((2 * m, y), code[0], font=digits, fill=ink)
    for position, digit in enumerate(code[1:]):
        module = 3 + 7 * position + (5 if position >= 6 else 0)  # digits sit under their 7-module slots
        draw.text((quiet_left + module * m + m // 2, y), digit, font=digits, fill=ink)
    return label


def render_datamatrix(
    content: str, ink: tuple[int, int, int], paper: tuple[int, int, int], qr: bool = False
) -> Image.Image:
    """A GS1 DataMatrix (FNC1 first, so decoders report GS1), or a QR code of `content` when `qr`, with its quiet
    zone, at MASTER_MODULE px per module."""
    if qr:
        symbol = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.QRCode)
    else:
        symbol = zxingcpp.create_barcode(content, zxingcpp.BarcodeFormat.DataMatrix, gs1=True, forceSquare=True)
    bitmap = symbol.to_image(scale=1, add_quiet_zones=True)
    height, width = bitmap.shape
    mask = Image.frombytes("L", (width, height), bytes(memoryview(bitmap)))
    mask = mask.resize((width * MASTER_MODULE, height * MASTER_MODULE), Image.Resampling.NEAREST)
    label = Image.new("RGB", mask.size, paper)
    label.paste(ink, mask=ImageChops.invert(mask))
    return label


def stripes(rng: random.Random, size: tuple[int, int], ink: tuple[int, int, int]) -> Image.Image:
    """Bar-like decoration that is not a barcode: what a decoder must not read as one."""
    width, height = size
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    x = 0
    while x < width:
        bar = rng.choice((1, 1, 2, 3, 4)) * rng.randint(3, 9)
        if rng.random() < 0.5:
            draw.rectangle((x, 0, x + bar - 1, height), fill=(*ink, 255))
        x += bar
    return image


def box_face(
    rng: random.Random, names: list[str], symbol: Image.Image | None, kind: str, near_print: bool = False
) -> tuple[Image.Image, tuple[float, float, float, float] | None]:
    """A box side: coloured bands, product text, sometimes stripes, and the symbol on a light area or a vignette.

    Returns the face and the symbol's box on it (None for a face without barcode).
    """
    base = symbol.size if symbol is not None else (700, 500)
    width = int(base[0] * rng.uniform(1.7, 3.2))
    height = int(max(base[1] * rng.uniform(2.0, 3.5), width * rng.uniform(0.45, 0.8)))
    light = tuple(rng.randint(200, 255) for _ in range(3))
    face = Image.new("RGB", (width, height), light)
    draw = ImageDraw.Draw(face)
    for _ in range(rng.randint(1, 3)):
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        y = rng.randint(0, height)
        draw.rectangle((0, y, width, y + rng.randint(height // 20, height // 5)), fill=colour)
    for _ in range(rng.randint(3, 8)):
        text = rng.choice(names)[: rng.randint(6, 30)]
        draw.text(
            (rng.randint(0, width // 2), rng.randint(0, height)),
            text,
            font=font(rng.randint(height // 30 + 8, height // 9 + 10), rng),
            fill=tuple(rng.randint(0, 120) for _ in range(3)),
        )
    if kind == "none" or rng.random() < 0.3:
        deco = stripes(rng, (rng.randint(width // 6, width // 2), rng.randint(height // 8, height // 3)), (20, 20, 20))
        face.paste(deco, (rng.randint(0, width - deco.width), rng.randint(0, height - deco.height)), deco)
    if symbol is None:
        return face, None
    x = rng.randint(0, width - symbol.width)
    y = rng.randint(0, height - symbol.height)
    # Clear a light area around the symbol, as printers do: text must not touch the quiet zone.
    draw.rectangle((x - 10, y - 10, x + symbol.width + 10, y + symbol.height + 10), fill=symbol.getpixel((0, 0)))
    face.paste(symbol, (x, y))
    if near_print:  # other print right up to the symbol: text above and below, rules beyond the quiet zones
        m, ink = MASTER_MODULE, tuple(rng.randint(0, 90) for _ in range(3))
        size = rng.randint(5, 9) * m
        for top in (y - rng.randint(1, 3) * m - size, y + symbol.height + rng.randint(1, 3) * m):
            draw.text((x, top), rng.choice(names)[:24], font=font(size, rng), fill=ink)
        for left in (x - 2 * m, x + symbol.width + m):
            draw.rectangle((left, y, left + m - 1, y + symbol.height), fill=ink)
    return face, (x, y, x + symbol.width, y + symbol.height)


def side_by_side(first: Image.Image, second: Image.Image, paper: tuple[int, int, int]) -> Image.Image:
    """Two labels next to each other with a gap of 20 modules, as two boxes held together."""
    gap = 20 * MASTER_MODULE
    both = Image.new("RGB", (first.width + gap + second.width, max(first.height, second.height)), paper)
    both.paste(first, (0, 0))
    both.paste(second, (first.width + gap, 0))
    return both


def curve(
    face: Image.Image, box: tuple[float, float, float, float] | None, span_deg: float
) -> tuple[Image.Image, tuple[float, float, float, float] | None, float]:
    """The face wrapped on a cylinder seen from the front (orthographic; the camera comes after): the face spans
    ±`span_deg` of arc. Returns the curved face, the symbol's new box and the module shrink at its most slanted
    end (cos of its angle on the cylinder)."""
    width, height = face.size
    radius = width / 2 / math.radians(span_deg)
    out_width = int(2 * radius * math.sin(width / 2 / radius))

    def to_out(u: float) -> float:  # arc position (px from the left edge) to output column
        return radius * math.sin((u - width / 2) / radius) + out_width / 2

    mesh, strips = [], 96
    for i in range(strips):
        x0, x1 = out_width * i / strips, out_width * (i + 1) / strips
        u0, u1 = (radius * math.asin(max(-1.0, min(1.0, (x - out_width / 2) / radius))) + width / 2 for x in (x0, x1))
        mesh.append(((int(x0), 0, int(x1) + 1, height), (u0, 0, u0, height, u1, height, u1, 0)))
    curved = face.transform((out_width, height), Image.Transform.MESH, mesh, Image.Resampling.BICUBIC)
    shade = Image.new("L", (out_width, 1))
    shade.putdata(
        [
            int(255 * (0.75 + 0.25 * math.cos(math.asin(min(1.0, abs(x - out_width / 2) / radius)))))
            for x in range(out_width)
        ]
    )
    curved = ImageChops.multiply(curved, Image.merge("RGB", [shade.resize((out_width, height))] * 3))
    if box is None:
        return curved, None, 1.0
    worst = max(abs(box[0] - width / 2), abs(box[2] - width / 2)) / radius
    return curved, (to_out(box[0]), box[1], to_out(box[2]), box[3]), math.cos(worst)


def motion_blur(image: Image.Image, length: float, angle: float) -> Image.Image:
    """A linear smear of `length` px along `angle` degrees: the average of shifted copies (PIL has no line kernel)."""
    steps = max(2, round(length) + 1)
    result = image
    for i in range(1, steps):
        t = i / (steps - 1) - 0.5
        dx, dy = round(t * length * math.cos(math.radians(angle))), round(t * length * math.sin(math.radians(angle)))
        result = Image.blend(result, ImageChops.offset(image, dx, dy), 1 / (i + 1))
    return result


def solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (8×8 here; no numpy in this project)."""
    size = len(vector)
    rows = [[*row, value] for row, value in zip(matrix, vector, strict=True)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(size):
            if r != col:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def homography(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    """Coefficients mapping dst points to src points, as PIL's PERSPECTIVE transform wants."""
    matrix, vector = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        vector.append(u)
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        vector.append(v)
    return solve(matrix, vector)


class Camera:
    """A pinhole camera looking at a flat box face: tilt (yaw, pitch), in-plane roll, distance and offset."""

    def __init__(self, size: tuple[int, int], yaw: float, pitch: float, roll: float, depth: float) -> None:
        self.cx, self.cy = size[0] / 2, size[1] / 2
        self.focal = 0.72 * max(size)  # a 26 mm-equivalent phone lens
        self.depth = depth
        self.shift = (0.0, 0.0)
        cy, sy = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
        cp, sp = math.cos(math.radians(pitch)), math.sin(math.radians(pitch))
        cr, sr = math.cos(math.radians(roll)), math.sin(math.radians(roll))
        # R = Rx(pitch) · Ry(yaw) · Rz(roll), applied to points of the face plane (z = 0).
        rz = ((cr, -sr, 0.0), (sr, cr, 0.0), (0.0, 0.0, 1.0))
        ry = ((cy, 0.0, sy), (0.0, 1.0, 0.0), (-sy, 0.0, cy))
        rx = ((1.0, 0.0, 0.0), (0.0, cp, -sp), (0.0, sp, cp))
        self.rotation = _matmul(rx, _matmul(ry, rz))

    def project(self, u: float, v: float) -> tuple[float, float]:
        r = self.rotation
        x = r[0][0] * u + r[0][1] * v
        y = r[1][0] * u + r[1][1] * v
        z = r[2][0] * u + r[2][1] * v + self.depth
        return self.cx + self.shift[0] + self.focal * x / z, self.cy + self.shift[1] + self.focal * y / z


def _matmul(a: tuple[tuple[float, ...], ...], b: tuple[tuple[float, ...], ...]) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(sum(a[i][k] * b[k][j] for k in range(3)) for j in range(3)) for i in range(3))


def _distance(p: tuple[float, float], q: tuple[float, float]) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def min_module(camera: Camera, box: tuple[float, float, float, float], origin: tuple[float, float]) -> float:
    """The narrowest projected module over the symbol's corners, in final-image pixels."""
    x0, y0, x1, y1 = (box[0] - origin[0], box[1] - origin[1], box[2] - origin[0], box[3] - origin[1])
    m = MASTER_MODULE
    widths = []
    for u, v in ((x0, y0), (x1 - m, y0), (x0, y1), (x1 - m, y1)):
        widths.append(_distance(camera.project(u, v), camera.project(u + m, v)))
        widths.append(_distance(camera.project(u, v), camera.project(u, v + m)))
    return min(widths)


def glare_layer(
    rng: random.Random, size: tuple[int, int]
) -> tuple[Image.Image, tuple[float, float, float, float, float]]:
    """A white elliptical highlight as an opacity mask, and its parameters (centre, radii, peak)."""
    width, height = size
    cx, cy = rng.uniform(0.1, 0.9) * width, rng.uniform(0.1, 0.9) * height
    rx, ry = rng.uniform(0.05, 0.3) * width, rng.uniform(0.05, 0.3) * height
    peak = rng.uniform(0.25, 0.95)
    small = Image.new("L", (200, 150), 0)
    draw = ImageDraw.Draw(small)
    sx, sy = 200 / width, 150 / height
    for step in range(20, 0, -1):
        f = step / 20
        value = int(255 * peak * (1 - f) ** 1.5)
        draw.ellipse((sx * (cx - rx * f), sy * (cy - ry * f), sx * (cx + rx * f), sy * (cy + ry * f)), fill=value)
    return small.resize(size, Image.Resampling.BILINEAR), (cx, cy, rx, ry, peak)


def glare_at(params: tuple[float, float, float, float, float], point: tuple[float, float]) -> float:
    cx, cy, rx, ry, peak = params
    f = math.hypot((point[0] - cx) / rx, (point[1] - cy) / ry)
    return peak * max(0.0, 1 - f) ** 1.5


def background(rng: random.Random, size: tuple[int, int]) -> Image.Image:
    """A table or a hand: smooth colour blotches with a coarse grain."""
    small = Image.new("RGB", (6, 5))
    small.putdata([tuple(rng.randint(50, 200) for _ in range(3)) for _ in range(30)])
    image = small.resize(size, Image.Resampling.BICUBIC)
    grain = Image.effect_noise((max(1, size[0] // 16), max(1, size[1] // 16)), 12).resize(size)
    return ImageChops.add(image, Image.merge("RGB", [grain] * 3), 1.0, -128)


def make_sample(index: int, seed: int, codes: list[str], names: list[str]) -> tuple[Sample, bytes]:
    """Draws one photo's parameters, renders it and returns its description and JPEG bytes."""
    rng = random.Random(f"{seed}:{index}")
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    size_name = rng.choices(list(SIZES), weights=list(SIZE_WEIGHTS.values()))[0]
    orientation = rng.choices((1, 6, 3, 8), weights=(0.6, 0.3, 0.05, 0.05))[0]
    portrait = orientation in (6, 8) or rng.random() < 0.15
    width, height = SIZES[size_name]
    scene_size = (height, width) if portrait else (width, height)
    code = rng.choice(codes)
    ink = tuple(rng.randint(0, 70) for _ in range(3))
    paper = tuple(rng.randint(215, 255) for _ in range(3))
    expected: str | None = None
    symbol: Image.Image | None = None
    params: dict[str, Any] = {"orientation": orientation, "portrait": portrait}
    tags = [name for name, p in CONDITIONS.items() if rng.random() < p] if kind == "ean13" else []
    if kind != "ean13" and rng.random() < CONDITIONS["motion"]:
        tags.append("motion")
    if "small" in tags and size_name != "12MP":
        tags.remove("small")
    also: list[str] = []
    if kind == "ean13":
        symbol, expected = render_ean13(code, rng, ink, paper), code
        if "two-codes" in tags:
            other = rng.choice([c for c in codes if c != code])
            symbol, also = side_by_side(symbol, render_ean13(other, rng, ink, paper), paper), [other]
    elif kind == "qr":
        expiry = f"{rng.randint(26, 31):02d}{rng.randint(1, 12):02d}{rng.choice(('00', '15', '28'))}"
        batch = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(rng.randint(4, 10)))
        serial = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(12))
        content = f"https://id.gs1.org/01/0{code}/10/{batch}/21/{serial}?17={expiry}"
        symbol, expected = render_datamatrix(content, ink, paper, qr=True), code
        params["content"] = content
    elif kind == "datamatrix":
        expiry = f"{rng.randint(26, 31):02d}{rng.randint(1, 12):02d}{rng.choice(('00', '15', '28'))}"
        batch = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(rng.randint(4, 10)))
        serial = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(12))
        content = f"(01)0{code}(17){expiry}(10){batch}(21){serial}"
        symbol, expected = render_datamatrix(content, ink, paper), code
        params["content"] = content
    face, box = box_face(rng, names, symbol, kind, near_print="near-print" in tags)
    shrink = 1.0
    if "curved" in tags:
        span = rng.uniform(50, 80)
        face, box, shrink = curve(face, box, span)
        params["curve_deg"] = round(span, 1)

    # Camera: a phone (26 mm-equivalent lens) at 8–40 cm from the box (log-uniform: people hold it close), a
    # symbol printed at 80–100 % of the EAN-13 nominal 0.33 mm module (pharma packs often shrink it); the
    # apparent module size then follows from the projection. Downsized photos keep the same shot, fewer pixels.
    focal = 0.72 * max(scene_size)
    distance = math.exp(rng.uniform(math.log(80), math.log(400 if kind == "ean13" else 300)))
    if "small" in tags:
        distance = rng.uniform(400, 700)
    module_mm = rng.uniform(0.264, 0.33) if kind == "ean13" else rng.uniform(0.3, 0.45)
    if kind == "none":  # a box filling a good part of the frame, as when aiming at its barcode side
        target = rng.uniform(0.4, 1.3) * scene_size[0] * MASTER_MODULE / face.width
    else:
        target = focal * module_mm / distance
    params.update(distance_mm=round(distance), module_mm=round(module_mm, 3))
    yaw, pitch = rng.uniform(-35, 35), rng.uniform(-35, 35)
    roll_kind = rng.random()
    roll = (
        rng.uniform(-12, 12)
        if roll_kind < 0.6
        else rng.uniform(-30, 30)
        if roll_kind < 0.85
        else rng.uniform(-180, 180)
    )
    camera = Camera(scene_size, yaw, pitch, roll, depth=0.72 * max(scene_size) * MASTER_MODULE / target)
    centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2) if box else (face.width / 2, face.height / 2)
    symbol_box = box or (0, 0, face.width, face.height)
    for _ in range(50):
        camera.shift = (rng.uniform(-0.4, 0.4) * scene_size[0], rng.uniform(-0.4, 0.4) * scene_size[1])
        corners = [camera.project(x - centre[0], y - centre[1]) for x, y in _corners(symbol_box)]
        margin = 0.02 * min(scene_size)
        if all(margin <= x <= scene_size[0] - margin and margin <= y <= scene_size[1] - margin for x, y in corners):
            break
    else:
        camera.shift = (0.0, 0.0)
        corners = [camera.project(x - centre[0], y - centre[1]) for x, y in _corners(symbol_box)]
    face_corners = [camera.project(x - centre[0], y - centre[1]) for x, y in _corners((0, 0, face.width, face.height))]

    scene = background(rng, scene_size)
    warp_face(scene, face, face_corners)

    # Lighting: exposure, haze, a shadow gradient.
    gain, haze = rng.uniform(0.45, 1.15), rng.uniform(0.0, 0.35)
    scene = scene.point(lambda value: int(min(255, (value * (1 - haze) + 128 * haze) * gain)))
    shade = Image.linear_gradient("L").resize((64, 64)).rotate(rng.uniform(0, 360), Image.Resampling.BILINEAR)
    shade = shade.resize(scene_size, Image.Resampling.BILINEAR)
    depth = rng.uniform(0.0, 0.35)
    shade = shade.point(lambda value: 255 - int(value * depth))
    scene = ImageChops.multiply(scene, Image.merge("RGB", [shade] * 3))
    glare = None
    if rng.random() < 0.4:
        mask, glare = glare_layer(rng, scene_size)
        scene = Image.composite(Image.new("RGB", scene_size, (255, 255, 255)), scene, mask)
    module = min_module(camera, symbol_box, centre) * shrink if box else 0.0
    soft = MAX_BLUR.get(kind, 0.5)
    blur_rel = rng.uniform(0.0, soft - 0.05) if rng.random() < 0.9 else rng.uniform(soft - 0.05, soft + 0.35)
    sigma = blur_rel * module if box else rng.uniform(0, 3)  # relative to the narrowest module
    scene = defocus(scene, sigma)
    if box and blur_rel >= 0.3:
        tags.append("defocus")
    motion_across = 0.0
    if "motion" in tags:
        smear, direction = rng.uniform(0.2, 1.6) * max(module, 1.0), rng.uniform(0, 180)
        scene = motion_blur(scene, smear, direction)
        # The bars' normal is about the roll direction; only the smear across the bars erases them.
        motion_across = smear * abs(math.cos(math.radians(direction - roll))) / max(module, 1e-6) if box else 0.0
        params.update(motion_px=round(smear, 1), motion_across=round(motion_across, 2))
    noise = rng.uniform(1, 10)
    grain = sensor_noise(rng, scene_size, noise)
    scene = ImageChops.add(scene, Image.merge("RGB", [grain] * 3), 1.0, -128)

    reasons: list[str] = []
    if box:
        if module < MIN_MODULE[kind]:
            reasons.append(f"module {module:.2f}px")
        if sigma > MAX_BLUR[kind] * module:
            reasons.append(f"blur {sigma / module:.2f} module")
        if motion_across > MAX_MOTION_ACROSS:
            reasons.append(f"motion {motion_across:.2f} module")
        worst_glare = max((glare_at(glare, p) for p in _grid(corners)), default=0.0) if glare else 0.0
        if worst_glare > MAX_GLARE:
            reasons.append(f"glare {worst_glare:.2f}")
        darkest = min(shade.getpixel((int(x), int(y))) for x, y in corners) / 255
        contrast = gain * (1 - haze) * darkest * (sum(paper) - sum(ink)) / 3 / 255
        if contrast < MIN_CONTRAST:
            reasons.append(f"contrast {contrast:.2f}")
        params.update(module=round(module, 2), blur_sigma=round(sigma, 2), glare=round(worst_glare, 2))
    # Straight from the camera (12 and 8 MP) phones save at quality 85–95; apps that downsize recompress harder.
    quality = rng.randint(85, 95) if size_name in ("12MP", "8MP") else rng.randint(55, 90)
    params.update(yaw=round(yaw, 1), pitch=round(pitch, 1), roll=round(roll, 1), gain=round(gain, 2))
    params.update(haze=round(haze, 2), noise=round(noise, 1), quality=quality)

    stored = scene.transpose(STORE_TRANSPOSE[orientation]) if orientation in STORE_TRANSPOSE else scene
    if stored.size != (width, height) and not portrait:
        raise AssertionError("stored image must keep the sensor size")
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = orientation
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=quality, exif=exif)
    sample = Sample(
        f"{index:04d}", kind, size_name, expected, kind != "none" and not reasons, reasons, params, tags, also
    )
    return sample, out.getvalue()


def _corners(box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    x0, y0, x1, y1 = box
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def _grid(corners: list[tuple[float, float]]) -> list[tuple[float, float]]:
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = corners
    points = []
    for i in range(9):
        for j in range(5):
            s, t = i / 8, j / 4
            top = (ax + (bx - ax) * s, ay + (by - ay) * s)
            bottom = (dx + (cx - dx) * s, dy + (cy - dy) * s)
            points.append((top[0] + (bottom[0] - top[0]) * t, top[1] + (bottom[1] - top[1]) * t))
    return points


def warp_face(scene: Image.Image, face: Image.Image, corners: list[tuple[float, float]]) -> None:
    """Pastes `face`, seen through the camera, onto the scene (only the bounding box is transformed)."""
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    left, top = max(0, int(min(xs))), max(0, int(min(ys)))
    right, bottom = min(scene.width, int(max(xs)) + 1), min(scene.height, int(max(ys)) + 1)
    if right <= left or bottom <= top:
        return
    local = [(x - left, y - top) for x, y in corners]
    coefficients = homography(_corners((0, 0, face.width, face.height)), local)
    size = (right - left, bottom - top)
    patch = face.transform(size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC)
    mask = Image.new("L", face.size, 255).transform(size, Image.Transform.PERSPECTIVE, coefficients)
    scene.paste(patch, (left, top), mask)


def defocus(image: Image.Image, sigma: float) -> Image.Image:
    """Gaussian blur; a wide one is applied at half size (4× cheaper, the resampling error is small beside it)."""
    if sigma < 0.3:
        return image
    if sigma < 2:
        return image.filter(ImageFilter.GaussianBlur(sigma))
    half = image.reduce(2).filter(ImageFilter.GaussianBlur(math.sqrt(sigma**2 - 1) / 2))
    return half.resize(image.size, Image.Resampling.BICUBIC)


@functools.cache
def _unit_noise() -> Image.Image:
    return Image.effect_noise((1024, 1024), 32)


def sensor_noise(rng: random.Random, size: tuple[int, int], sigma: float) -> Image.Image:
    """Gaussian grain centred on 128: a cached tile, rescaled to `sigma` and tiled from a random offset."""
    tile = _unit_noise().point(lambda value: int(128 + (value - 128) * sigma / 32))
    dx, dy = rng.randrange(1024), rng.randrange(1024)
    grain = Image.new("L", size)
    for x in range(-dx, size[0], 1024):
        for y in range(-dy, size[1], 1024):
            grain.paste(tile, (x, y))
    return grain


def corpus_dir(seed: int, count: int) -> Path:
    key = hashlib.sha256(f"{GENERATOR_VERSION}:{seed}:{count}".encode()).hexdigest()[:12]
    return CACHE / key


def _build_one(args: tuple[int, int, Path]) -> dict[str, Any]:
    index, seed, directory = args
    codes, names = load_codes()
    sample, data = make_sample(index, seed, codes, names)
    (directory / f"{sample.name}.jpg").write_bytes(data)
    return asdict(sample)


def build(seed: int, count: int, jobs: int = 1) -> tuple[Path, list[Sample]]:
    """Generates the corpus once and caches it; returns the directory and the samples."""
    directory = corpus_dir(seed, count)
    manifest = directory / "manifest.json"
    if manifest.exists():
        return directory, [Sample(**row) for row in json.loads(manifest.read_text())]
    directory.mkdir(parents=True, exist_ok=True)
    tasks = [(index, seed, directory) for index in range(count)]
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(jobs) as pool:
            rows = pool.map(_build_one, tasks, chunksize=4)
    else:
        rows = [_build_one(task) for task in tasks]
    manifest.write_text(json.dumps(rows, indent=1))
    return directory, [Sample(**row) for row in rows]
