"""The insurer's OFFICIAL feuille de soins with the student's part written on it, and nothing else.

The official sheets are the insurer's PDFs (downloaded, personalised from the CNOPS account, or scanned): claimkit
does not know their layout, it finds the assuré(e)'s printed labels on the page and writes each value after its
label, as real text in a Unicode TTF (docs/domain.md, "Official sheets and the student's part").

- Labels come from the PDF's text layer (pdfplumber words); a page without one (image-only PDF, scan) is read by
  OCR (Debian tesseract with fra+ara, through pytesseract). OCR garbles labels glued to dotted lines ("Adresse :"
  read as "AÂTRSSE", TOOLCHAIN.md), so labels are matched fuzzily and, when one is still unreadable, placed by the
  printed order of the part (a single unlabelled line between its two found neighbours).
- Only the assuré(e)'s part is searched: nothing is written at or below the heading of the doctor's part.
- Where a comb of boxes follows a label (vector rectangles or lines, or vertical strokes in the raster), the value
  goes one character per box; otherwise on the line, shrunk to fit before the Arabic label or the unit ("Dhs").
- A value already printed after its label (a personalised sheet) is left as it is; N° d'affiliation stays empty.
- A label that cannot be found raises SheetRefused naming it: the caller shows the message (French, Arabic) and
  nothing is written or saved.
"""

import difflib
import hashlib
import io
import itertools
import os
import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
import pypdfium2
import pytesseract
from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters import pdf_text as txt
from claimkit.adapters.fonts import has_arabic, register
from claimkit.adapters.l10n import render
from claimkit.domain.languages import SOURCE
from claimkit.domain.messages import N_, Message, Refusal

KEYS = ("nom_prenom", "immatriculation", "cin", "adresse", "montant_frais", "pieces_jointes")
RELATIONS = ("enfant", "conjoint")  # values of the optional key "lien_parente"

# The assuré(e)'s labels in printed order (forms-research.md §1, §2); each with its normalised spellings.
LABELS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("nom_prenom", "Nom et prénom", ("nom et prenom", "nom prenom")),
    ("affiliation", "N° d'affiliation", ("n affiliation",)),
    ("immatriculation", "N° d'immatriculation", ("n immatriculation",)),
    ("cin", "N° CIN", ("n cin", "cin")),
    ("lien", "Lien de parenté", ("lien de parente",)),
    ("adresse", "Adresse", ("adresse",)),
    ("montant_frais", "Montant des frais", ("montant des frais",)),
    ("pieces_jointes", "Nombre de pièces jointes", ("nombre de pieces jointes", "nombre pieces jointes")),
)
DOCTOR_HEADINGS = ("declaration du medecin traitant", "partie reservee au medecin")
UNITS = {"dhs", "dh", "dirhams", "mad"}
MATCH = 0.72  # difflib ratio above which a run of words is the label (OCR drops or swaps a letter or two)
OCR_DPI = 200  # 9–10 pt labels read as well as at 300 dpi, in half the time (bench/official_overlay.py)
OCR_MIN_CONF = 50.0
OCR_TIMEOUT = 30
_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")  # direction marks tesseract adds around words
MM = 72 / 25.4  # points per millimetre: a student's nudge is in mm (docs/domain.md, "Official sheets…")
Offsets = Mapping[str, tuple[float, float]]  # key → (dx, dy) in mm, dy down the page like the ↓ button

MSG_MISSING = N_(
    "Étiquette « %(label)s » introuvable sur la feuille officielle : chargez une copie plus nette ou la feuille "
    "téléchargée sur cnops.org.ma, ou écrivez cette case à la main."
)
MSG_NOT_PDF = N_("Ce fichier n'est pas un PDF lisible : chargez la feuille officielle en PDF.")


class SheetRefused(Refusal):
    """The sheet cannot be filled; the message names the missing label, `text(locale)` says it in French or Arabic."""

    def __init__(self, message: Message, label: str = "") -> None:
        super().__init__(message)
        self.label = label

    def text(self, locale: str = SOURCE) -> str:
        return render(self.refusal, locale)


@dataclass(frozen=True)
class Word:
    """A word in page points, top-down like pdfplumber (top < bottom); `conf` 100 for a text layer."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 100.0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Page:
    """What overlay reads of one page: its words, its vertical strokes (vector or raster) and its size."""

    width: float
    height: float
    words: list[Word]
    ocr: bool
    vertical: list[tuple[float, float, float]] = field(default_factory=list)  # (x, top, bottom) of box sides
    image: Image.Image | None = None
    scale: float = 1.0  # pixels per point of `image`
    region: tuple[float, float] | None = None  # the assuré(e)'s part, once found (_assure_region)


@dataclass(frozen=True)
class Slot:
    """Where a value goes: after `x` on the baseline `y` (top-down), up to `end`; `cells` when boxes are drawn."""

    x: float
    y: float
    end: float
    size: float
    cells: tuple[tuple[float, float], ...] = ()
    printed: bool = False


def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, "N°"/"No" → "n", the elided "d'" dropped."""
    text = unicodedata.normalize("NFKD", text.replace("°", " ").replace("º", " "))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\b[dl]['’]", " ", text)
    text = re.sub(r"[^a-z0-9\u0600-\u06ff]+", " ", text)
    text = re.sub(r"\bno\b", "n", text)
    return " ".join(text.split())


def _leader(word: Word) -> bool:
    """Dots, underscores, box strokes, colons and OCR noise: not text of the sheet."""
    if word.conf < OCR_MIN_CONF:
        return True
    return not re.search(r"[A-Za-z0-9\u0600-\u06ff]", word.text) or bool(
        re.fullmatch(r"[\[\]|Il1iT:;.,_—–-]+", word.text)
    )


# --- reading the page ---------------------------------------------------------------------------------------------
def _text_page(page: Any) -> Page:
    words = [
        Word(w["text"], float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    ]
    vertical: list[tuple[float, float, float]] = []
    for rect in page.rects:
        w, h = float(rect["width"]), float(rect["height"])
        if 4 <= w <= 30 and 6 <= h <= 30:
            vertical += [(float(rect["x0"]), float(rect["top"]), float(rect["bottom"]))]
            vertical += [(float(rect["x1"]), float(rect["top"]), float(rect["bottom"]))]
    for line in page.lines:
        if abs(float(line["x0"]) - float(line["x1"])) < 0.5 and 6 <= float(line["height"]) <= 30:
            vertical.append((float(line["x0"]), float(line["top"]), float(line["bottom"])))
    return Page(float(page.width), float(page.height), words, False, vertical)


def _ocr_page(pdf: bytes, index: int, width: float, height: float) -> Page:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract's threads slow it down 3× on the 2-core box
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[index].render(scale=OCR_DPI / 72).to_pil().convert("L")
    finally:
        document.close()
    # binarised, "sparse text" (psm 11): labels glued to dotted lines and boxes are found, twice as fast
    binary = image.point(lambda v: 0 if v < 160 else 255)
    data = pytesseract.image_to_data(
        binary, lang="fra+ara", config="--psm 11", output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT
    )
    k = 72 / OCR_DPI
    words = [
        Word(_MARKS.sub("", text).strip(), left * k, top * k, (left + w) * k, (top + h) * k, float(conf))
        for text, left, top, w, h, conf in zip(
            data["text"], data["left"], data["top"], data["width"], data["height"], data["conf"], strict=True
        )
        if _MARKS.sub("", text).strip()
    ]
    return Page(width, height, words, True, image=image, scale=OCR_DPI / 72)


def _raster_strokes(page: Page, x0: float, x1: float, top: float, bottom: float) -> list[tuple[float, float, float]]:
    """Vertical strokes (box sides) in the raster between x0 and x1 over the band top..bottom (points)."""
    if page.image is None:  # a text page has no raster to look at
        return []
    s = page.scale
    box = (int(x0 * s), int(top * s), int(min(x1, page.width) * s), int(bottom * s))
    if box[2] - box[0] < 4 or box[3] - box[1] < 4:
        return []
    # each column's mean ink over the band, in C: a box side is dark over most of the band's height
    band = (
        page.image.crop(box).point(lambda v: 255 if v < 140 else 0).resize((box[2] - box[0], 1), Image.Resampling.BOX)
    )
    columns = list(band.tobytes())
    strokes: list[tuple[float, float, float]] = []
    run: list[int] = []
    for x, dark in enumerate([*columns, 0]):
        if dark >= 0.5 * 255:
            run.append(x)
        elif run:
            strokes.append(((box[0] + sum(run) / len(run)) / s, top, bottom))
            run = []
    return strokes


def _comb(page: Page, start: float, end: float, middle: float, height: float) -> tuple[tuple[float, float], ...]:
    """The boxes drawn from `start` on the line at `middle`: evenly spaced vertical strokes, at least 4 boxes."""
    top, bottom = middle - height, middle + height
    if page.ocr:
        xs = [x for x, _t, _b in _raster_strokes(page, start - 2, end, top, bottom)]
    else:
        xs = [x for x, t, b in page.vertical if start - 2 <= x <= end and t < middle < b]
    xs = sorted(xs)
    merged: list[float] = []
    for x in xs:
        if merged and x - merged[-1] < 2.0:
            continue
        merged.append(x)
    if len(merged) < 5 or merged[0] - start > 25:
        return ()
    cells: list[tuple[float, float]] = []
    pitch = merged[1] - merged[0]
    for a, b in itertools.pairwise(merged):
        if not 5 <= b - a <= 25 or abs((b - a) - pitch) > 0.25 * pitch:
            break
        cells.append((a, b))
    return tuple(cells) if len(cells) >= 4 else ()


_READ: OrderedDict[bytes, tuple[bytes, list[Page]]] = OrderedDict()
_READ_LOCK = threading.Lock()
READ_CACHE = 4  # sheets kept read: a preview, its nudges and the packet of one claim OCR an image sheet once


def _pages(pdf: bytes) -> tuple[bytes, list[Page]]:
    """The pages up to the assuré(e)'s part, read once per sheet content (OCR takes seconds on a scan)."""
    key = hashlib.sha256(pdf).digest()
    with _READ_LOCK:
        if (found := _READ.get(key)) is not None:
            _READ.move_to_end(key)
            return found
    read = _read_pages(pdf)  # outside the lock: two threads may read the same sheet once each
    with _READ_LOCK:
        _READ[key] = read
        while len(_READ) > READ_CACHE:
            _READ.popitem(last=False)
    return read


def forget_read_sheets() -> None:
    """Empties the cache of read sheets (benchmarks time the first reading, OCR included)."""
    with _READ_LOCK:
        _READ.clear()


def _read_pages(pdf: bytes) -> tuple[bytes, list[Page]]:
    reader = _reader(pdf)
    if any(int(sheet.get("/Rotate", 0) or 0) % 360 for sheet in reader.pages):  # analyse and draw in one upright space
        writer = PdfWriter(clone_from=reader)
        for upright in writer.pages:
            upright.transfer_rotation_to_content()
        buffer = io.BytesIO()
        writer.write(buffer)
        pdf = buffer.getvalue()
    pages: list[Page] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for i, p in enumerate(doc.pages):
            page = _text_page(p)
            if len(page.words) < 5:
                page = _ocr_page(pdf, i, page.width, page.height)
            pages.append(page)
            if _find(page.words, LABELS[0][2]):  # the assuré(e)'s part starts on this page
                break
    return pdf, pages


def _reader(pdf: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(pdf))
        if not reader.pages:
            raise ValueError
    except Exception:  # pypdf raises many kinds for a broken file; all mean "not a PDF we can read"
        raise SheetRefused(Message(MSG_NOT_PDF)) from None
    return reader


# --- finding the labels -------------------------------------------------------------------------------------------
def _same_line(a: Word, b: Word) -> bool:
    return abs(a.middle - b.middle) < 0.6 * max(a.height, b.height, 4.0)


def _right_of(words: Sequence[Word], last: Word) -> list[Word]:
    """The words after `last` on its line, left to right, following a slightly sloped (scanned) line."""
    line: list[Word] = []
    current = last
    for word in sorted((w for w in words if w.x0 >= last.x1 - 1 and w is not last), key=lambda w: w.x0):
        if _same_line(current, word):
            line.append(word)
            if not _leader(word):
                current = word
    return line


def _find(
    words: Sequence[Word], spellings: Sequence[str], region: tuple[float, float] = (0.0, 1e9), match: float = MATCH
) -> list[list[Word]]:
    """Runs of words on one line that read as one of `spellings`, best first, top to bottom."""
    found: list[tuple[float, float, list[Word]]] = []
    candidates = sorted((w for w in words if region[0] <= w.top < region[1] and not _leader(w)), key=lambda w: w.x0)
    for i, start in enumerate(candidates):
        run = [start]
        for word in candidates[i + 1 :]:  # already left to right: the run ends at a wide gap or 6 words
            if word.x0 - run[-1].x1 > 3 * max(start.height, 4.0) or len(run) >= 6:
                break
            if word.x0 >= run[-1].x1 - 1 and _same_line(run[-1], word):
                run.append(word)
        for spelling in spellings:
            wanted = len(spelling.split())
            for n in range(max(1, wanted - 1), min(len(run), wanted + 1) + 1):
                read = normalise(" ".join(w.text for w in run[:n]))
                matcher = difflib.SequenceMatcher(None, read, spelling)
                if not read or matcher.real_quick_ratio() < match or matcher.quick_ratio() < match:
                    continue
                score = matcher.ratio()
                if score >= match:
                    found.append((-score, start.top, run[:n]))
    found.sort(key=lambda f: (f[0], f[1]))
    return [run for _score, _top, run in found]


def _assure_region(page: Page) -> tuple[float, float]:
    """From the top of the page to the heading of the doctor's part (or the whole page when there is none)."""
    if page.region is None:
        headings = _find(page.words, DOCTOR_HEADINGS, match=0.85)  # not "Partie réservée à l'assuré(e)"
        page.region = (0.0, min(run[0].top for run in headings) - 1) if headings else (0.0, page.height)
    return page.region


def _lines_in(page: Page, region: tuple[float, float], column: float) -> list[Word]:
    """One word per text line of `region`, top to bottom, placed at the labels' left column: a label OCR could not
    read at all (glued to its boxes) still has its line, found by the Arabic label at its other end."""
    words = sorted((w for w in page.words if region[0] <= w.top < region[1] and _inked(w)), key=lambda w: w.middle)
    lines: list[list[Word]] = []
    for word in words:
        if lines and _same_line(lines[-1][0], word):
            lines[-1].append(word)
        else:
            lines.append([word])
    starts = []
    for line in lines:
        first = min(line, key=lambda w: w.x0)
        if abs(first.x0 - column) < 15:
            starts.append(first)
        else:
            middle = sorted(w.middle for w in line)[len(line) // 2]
            starts.append(Word("", column, middle - first.height / 2, column, middle + first.height / 2, 0.0))
    return starts


def _inked(word: Word) -> bool:
    """Any word with a letter, however badly read: a garbled label still starts its line."""
    return bool(re.search(r"[A-Za-z0-9\u0600-\u06ff]", word.text))


def locate(page: Page) -> dict[str, list[Word]]:
    """Each assuré(e) label found on the page: its words. Order is enforced; gaps are filled by printed order."""
    region = _assure_region(page)
    found: dict[str, list[Word]] = {}
    floor = region[0]
    for key, _name, spellings in LABELS:
        runs = [r for r in _find(page.words, spellings, (floor, region[1]))]
        if runs:
            best = min(runs[:3], key=lambda r: r[0].top)  # among the best readings, the first in printed order
            found[key] = best
            floor = best[0].top + 0.5 * best[0].height
    if not found or len(found) == len(LABELS):
        return found
    column = sorted(run[0].x0 for run in found.values())[len(found) // 2]
    lines = _lines_in(page, region, column)
    keys = [key for key, _n, _s in LABELS]
    i = 0
    while i < len(keys):
        if keys[i] in found:
            i += 1
            continue
        j = i
        while j < len(keys) and keys[j] not in found:
            j += 1
        above = found[keys[i - 1]][0].top if i > 0 else region[0]
        below = found[keys[j]][0].top if j < len(keys) else region[1]
        free = [
            start
            for start in lines
            if above + 2 < start.top < below - 2 and not any(_same_line(start, run[0]) for run in found.values())
        ]
        if len(free) == j - i:  # as many unread lines as missing labels: the printed order says which is which
            for key, start in zip(keys[i:j], free, strict=True):
                found[key] = [_guessed_label(found, key, start)]
        i = j
    return found


def _guessed_label(found: Mapping[str, list[Word]], key: str, start: Word) -> Word:
    """An unreadable label's extent: its printed text at the scale the readable labels show (labels share a font)."""
    ratios = sorted(
        (run[-1].x1 - run[0].x0) / txt.width(_name(k), 10) for k, run in found.items() if run[-1].x1 > run[0].x0
    )
    ratio = ratios[len(ratios) // 2] if ratios else 1.0
    heights = sorted(w.height for run in found.values() for w in run)
    h = heights[len(heights) // 2] if heights else start.height
    end = start.x0 + ratio * txt.width(_name(key) + " :", 10)
    middle = start.middle
    return Word(_name(key), start.x0, middle - h / 2, end, middle + h / 2, 100.0)


def _name(key: str) -> str:
    return next(n for k, n, _s in LABELS if k == key)


def label_name(key: str) -> str:
    """The printed French label of a key ("N° CIN"), as the refusal and the phone preview name it."""
    return _name(key)


# --- where each value goes ----------------------------------------------------------------------------------------
def _slot(page: Page, label: list[Word], limit: float) -> Slot:
    last = label[-1]
    h = max(w.height for w in label)
    if page.ocr:  # OCR boxes are tight around the ink: the baseline is the bottom of the letters
        size = min(max(h * 1.15, 7.5), 11.0)
        baseline = min(w.bottom for w in label)
    else:
        size = min(max(h * 0.95, 7.0), 11.0)
        baseline = max(w.bottom for w in label) - 0.22 * h
    after = _right_of(page.words, last)
    start = last.x1 + 4
    for word in after:  # the label's own colon, printed apart ("Adresse :")
        if re.fullmatch(r"[:;.]+", word.text) and word.x0 - start < 12:
            start = word.x1 + 4
    end = page.width - 20
    real = [w for w in after if not _leader(w)]
    terminator = next((w for w in real if w.text.rstrip(":").lower() in UNITS or has_arabic(w.text)), None)
    if terminator is None and real and real[0].x0 - start > 80:  # a far word: the next printed thing on the line
        terminator = real[0]
    if terminator is not None:
        end = terminator.x0 - 4
    end = min(end, limit)
    cells = _comb(page, last.x1, end, (last.top + last.bottom) / 2, 1.1 * h if page.ocr else 0.9 * h)
    inside = [w for w in real if w.x0 < end and (terminator is None or w.x0 < terminator.x0)]
    if cells:
        inside = [w for w in inside if cells[0][0] - 1 <= w.x0 <= cells[-1][1] and (not page.ocr or _solid(w))]
    else:
        inside = [w for w in inside if w.x0 - start < 60 and (not page.ocr or _solid(w))]
    return Slot(start, baseline, end, size, cells, printed=bool(inside))


def _solid(word: Word) -> bool:
    """An OCR word that is printed text, not a box's strokes read as "[111111]"."""
    core = re.sub(r"[\[\]|]", "", word.text)
    return word.conf >= 80 and len(core) >= 2 and not re.fullmatch(r"[Il1iTCI]+", core)


def _tick_box(page: Page, word: Word) -> tuple[float, float, float]:
    """(x, middle, size) of the tick box next to "Enfant"/"Conjoint": the nearest small square, else just left."""
    h = max(word.height, 6.0)
    if page.ocr:
        xs = [
            x
            for x, _t, _b in _raster_strokes(
                page, word.x0 - 3 * h, word.x0, word.middle - 0.35 * h, word.middle + 0.35 * h
            )
        ]
    else:
        xs = [x for x, t, b in page.vertical if word.x0 - 3 * h <= x <= word.x0 and t < word.middle < b]
    xs = sorted(xs)
    if len(xs) >= 2 and 4 <= xs[-1] - xs[-2] <= 2.5 * h:
        return xs[-2], word.middle, xs[-1] - xs[-2]
    return word.x0 - 1.3 * h, word.middle, h


# --- drawing ------------------------------------------------------------------------------------------------------
def _fit(value: str, size: float, room: float) -> float:
    while size > 5.5 and txt.width(value, size) > room:
        size -= 0.25
    return size


Box = tuple[float, float, float, float]  # (x0, top, x1, bottom) in points, top-down like pdfplumber


def _draw(canvas: Canvas, page: Page, slot: Slot, value: str) -> Box:
    """Writes `value` in its slot; returns where its glyphs went (for the phone preview)."""
    y = page.height - slot.y
    chars = [c for c in value if not c.isspace()]
    if slot.cells and len(chars) <= len(slot.cells) and not has_arabic(value):
        for (a, b), char in zip(slot.cells, chars, strict=False):
            size = _fit(char, slot.size, (b - a) - 2)
            txt.draw(canvas, (a + b) / 2, y, char, size, align="center")
        return slot.cells[0][0], slot.y - slot.size, slot.cells[max(len(chars), 1) - 1][1], slot.y + 0.3 * slot.size
    x = slot.cells[-1][1] + 4 if slot.cells else slot.x
    size = _fit(value, slot.size, max(slot.end - x, 20))
    txt.draw(canvas, x, y, value, size)
    return x, slot.y - size, x + txt.width(value, size), slot.y + 0.3 * size


def _moved(slot: Slot, page: Page, region: tuple[float, float], offset: tuple[float, float]) -> Slot:
    """The slot moved by the student's nudge (mm), kept on the page and above the doctor's part."""
    dx = min(max(slot.x + offset[0] * MM, 2.0), page.width - 10) - slot.x
    y = min(max(slot.y + offset[1] * MM, region[0] + slot.size), region[1] - 1)
    cells = tuple((a + dx, b + dx) for a, b in slot.cells)
    return Slot(slot.x + dx, y, min(slot.end + dx, page.width - 10), slot.size, cells, slot.printed)


def _tick(canvas: Canvas, page: Page, box: tuple[float, float, float]) -> None:
    x, middle, size = box
    y = page.height - middle
    canvas.setLineWidth(1.2)
    canvas.line(x + 1.5, y - size / 2 + 1.5, x + size - 1.5, y + size / 2 - 1.5)
    canvas.line(x + 1.5, y + size / 2 - 1.5, x + size - 1.5, y - size / 2 + 1.5)


def _refuse(key: str) -> SheetRefused:
    name = _name(key)
    return SheetRefused(Message(MSG_MISSING, {"label": name}), name)


@dataclass(frozen=True)
class Filled:
    """The written sheet, the page the values went on, its size and each written value's box (points)."""

    pdf: bytes
    page: int
    width: float
    height: float
    boxes: dict[str, Box]


def overlay(pdf: bytes, fields: Mapping[str, str], *, offsets: Offsets | None = None) -> bytes:
    """The official sheet `pdf` with the assuré(e)'s values written after their printed labels.

    `fields` keys: nom_prenom, immatriculation (the CNIE), cin, adresse, montant_frais, pieces_jointes; a key absent
    or empty is not written (its label need not exist). Optional key `lien_parente`: "enfant" or "conjoint" ticks
    the box next to that word (issue 16: a parent insured as assuré after law 54-23, the student as bénéficiaire).
    N° d'affiliation is never written. The result keeps every page and its content; values already printed after
    a label stay as they are. Raises SheetRefused naming the first label that is needed and cannot be found.
    `offsets`: the student's corrections per key, (dx, dy) in mm, dy down the page (kept on the page and above
    the doctor's part).
    """
    return fill(pdf, fields, offsets=offsets).pdf


def fill(pdf: bytes, fields: Mapping[str, str], *, offsets: Offsets | None = None) -> Filled:
    """overlay, and where each value went (the phone preview shows them and lets the student nudge them)."""
    source, page_index, page, boxes, layer = _values(pdf, fields, offsets)
    writer = PdfWriter(clone_from=_reader(source))
    target = writer.pages[page_index]
    drawn = PdfReader(io.BytesIO(layer)).pages[0]
    box = target.mediabox
    if float(box.left) or float(box.bottom):
        from pypdf import Transformation

        target.merge_transformed_page(drawn, Transformation().translate(float(box.left), float(box.bottom)))
    else:
        target.merge_page(drawn)
    out = io.BytesIO()
    writer.write(out)
    return Filled(out.getvalue(), page_index, page.width, page.height, boxes)


def values_layer(pdf: bytes, fields: Mapping[str, str], shift: tuple[float, float] = (0.0, 0.0)) -> bytes:
    """The values overlay writes, alone on a blank page of the sheet's size, moved `shift` points right and down:
    what a values-only print puts on a paper sheet (adapters/values_only.py). Same refusals as overlay."""
    return _values(pdf, fields, None, shift)[4]


def _values(
    pdf: bytes, fields: Mapping[str, str], offsets: Offsets | None, shift: tuple[float, float] = (0.0, 0.0)
) -> tuple[bytes, int, Page, dict[str, Box], bytes]:
    """(the sheet as read, its filled page's index, that page, where each value went, a one-page PDF of the values
    only): the one writer of fill and values_layer."""
    wanted = {k: v.strip() for k, v in fields.items() if k in KEYS and v and v.strip()}
    relation = (fields.get("lien_parente") or "").strip().lower()
    if relation and relation not in RELATIONS:
        raise ValueError(f"lien_parente must be one of {RELATIONS}, not {relation!r}")
    source, pages = _pages(pdf)
    page_index = len(pages) - 1
    page = pages[page_index]
    labels = locate(page)
    for key in KEYS:
        if key in wanted and key not in labels:
            raise _refuse(key)
    region = _assure_region(page)
    register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page.width, page.height), invariant=1)
    canvas.translate(shift[0], -shift[1])
    boxes: dict[str, Box] = {}
    for key in KEYS:
        if key not in wanted:
            continue
        slot = _slot(page, labels[key], page.width - 10)
        if offsets and key in offsets:
            slot = _moved(slot, page, region, offsets[key])
        if not slot.printed and slot.y < region[1]:
            boxes[key] = _draw(canvas, page, slot, wanted[key])
    if relation:
        lien_top = labels["lien"][0].top if "lien" in labels else region[0]
        words = _find(page.words, (relation,), (lien_top - 3, region[1]))
        if not words:
            raise _refuse("lien")
        _tick(canvas, page, _tick_box(page, words[0][-1]))  # the best reading; its last word is the relation
    canvas.showPage()
    canvas.save()
    return source, page_index, page, boxes, buffer.getvalue()


def slots(pdf: bytes) -> dict[str, Slot]:
    """The slot of each label found (for the preview and the values-only print)."""
    _source, pages = _pages(pdf)
    page = pages[-1]
    return {key: _slot(page, run, page.width - 10) for key, run in locate(page).items()}
