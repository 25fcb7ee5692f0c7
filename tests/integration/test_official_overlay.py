"""The official sheet with the student's part written: every value read back after its label, nothing elsewhere.

The sheets are the team's fixtures (tests/official_sheets.py) drawn like the public copies: A4 portrait and
landscape, "N° d'immatriculation" and "N° Immatriculation", French and Arabic labels on one line, comb boxes and
dotted lines, as a text PDF, an image-only PDF and a slightly rotated 300 dpi scan. What was written is read back
from the result with pdfplumber (the values are real text), and on raster pages also by OCR of the rendered page.
"""

import io
import unicodedata

import pdfplumber
import pypdfium2
import pytesseract
import pytest

from claimkit.adapters import official_forms
from claimkit.adapters.official_forms import SheetRefused, overlay
from tests.official_sheets import DOCTOR_HEADING, Sheet, sheet_pdf

FIELDS = {
    "nom_prenom": "EL AMRANI Salma",
    "immatriculation": "AB123456",
    "cin": "AB123456",
    "adresse": "12 rue Ibn Sina, Agdal, Rabat",
    "montant_frais": "350,00",
    "pieces_jointes": "4",
}
LABEL_WORD = {  # the last word of each printed label in the fixtures
    "nom_prenom": "prénom",
    "immatriculation": "mmatriculation",
    "cin": "CIN",
    "adresse": "Adresse",
    "montant_frais": "frais",
    "pieces_jointes": "jointes",
}
TEXT_SHEETS = [
    Sheet(layout=layout, with_d=with_d, combs=combs)
    for layout in ("portrait", "landscape")
    for with_d in (False, True)
    for combs in (True, False)
]
RASTER_SHEETS = [
    Sheet(layout="portrait", with_d=False, combs=True),
    Sheet(layout="landscape", with_d=True, combs=False),
    Sheet(layout="portrait", with_d=True, combs=False),
    Sheet(layout="landscape", with_d=False, combs=True),
]


def _words(pdf: bytes) -> list[dict]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        return [dict(w, width_page=float(page.width), height_page=float(page.height)) for w in page.extract_words()]


def _key(word: dict) -> tuple:
    return (word["text"], round(word["x0"]), round(word["top"]))


def _added(before: bytes, after: bytes) -> list[dict]:
    """The words of `after` that `before` did not have (for a raster sheet, every word of the result)."""
    old = {_key(w) for w in _words(before)}
    return [w for w in _words(after) if _key(w) not in old]


def _label(words: list[dict], key: str, heading_top: float) -> dict:
    """The label's last word on the original text sheet, above the doctor's part."""
    wanted = LABEL_WORD[key]
    return next(w for w in words if w["text"].endswith(wanted) and w["top"] < heading_top)


def _check_positions(sheet: Sheet, written: bytes) -> None:
    reference = _words(sheet_pdf(sheet, "text"))  # where the labels are printed (same drawing, same places)
    heading_top = next(w["top"] for w in reference if w["text"] == DOCTOR_HEADING.split()[0])
    added = _added(sheet_pdf(sheet, "text"), written) if written else []
    assert added, "nothing was written"
    placed = 0
    for key, value in FIELDS.items():
        label = _label(reference, key, heading_top)
        pieces = value.split() if not (sheet.combs and key in ("immatriculation", "cin")) else list(value)
        for piece in pieces:
            match = [
                w
                for w in added
                if w["text"] == piece and abs((w["top"] + w["bottom"]) / 2 - (label["top"] + label["bottom"]) / 2) < 7
            ]
            assert match, f"{key}: {piece!r} not found on the line of its label"
            word = match[0]
            assert word["x0"] >= label["x1"] - 0.5, f"{key}: {piece!r} starts before the end of its label"
            assert word["x0"] >= 0 and word["x1"] <= word["width_page"] and word["bottom"] <= word["height_page"]
            added.remove(word)
            placed += 1
    assert placed >= len(FIELDS)
    # nothing else was written, and nothing at or below the doctor's heading
    assert [w for w in added if w["top"] >= heading_top - 1] == []
    assert [w["text"] for w in added if w["text"] != "X"] == []


@pytest.mark.parametrize(
    "sheet", TEXT_SHEETS, ids=lambda s: f"{s.layout}-{'d' if s.with_d else 'nod'}-{'comb' if s.combs else 'line'}"
)
def test_text_sheet_values_after_their_labels(sheet: Sheet) -> None:
    written = overlay(sheet_pdf(sheet, "text"), {**FIELDS, "affiliation": "9999999"})
    _check_positions(sheet, written)
    with pdfplumber.open(io.BytesIO(written)) as doc:
        assert len(doc.pages) == 1
        assert "9999999" not in (doc.pages[0].extract_text() or "")  # N° d'affiliation stays empty


def _ocr_words(pdf: bytes) -> list[dict]:
    """The rendered page read by tesseract (300 dpi, sparse text), each word in points."""
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=300 / 72).to_pil().convert("L").point(lambda v: 0 if v < 160 else 255)
    document.close()
    data = pytesseract.image_to_data(image, lang="fra", config="--psm 11", output_type=pytesseract.Output.DICT)
    k = 72 / 300
    return [
        {"text": t.strip(), "x0": x * k, "x1": (x + w) * k, "top": y * k, "bottom": (y + h) * k}
        for t, x, y, w, h in zip(data["text"], data["left"], data["top"], data["width"], data["height"], strict=True)
        if t.strip()
    ]


def _ocr_after_label(sheet: Sheet, written: bytes, expected: dict[str, str]) -> None:
    """OCR finds each expected token on its label's line, right of the label (9 pt of slack for the tilt)."""
    reference = _words(sheet_pdf(sheet, "text"))
    heading_top = next(w["top"] for w in reference if w["text"] == DOCTOR_HEADING.split()[0])
    words = _ocr_words(written)
    for key, token in expected.items():
        label = _label(reference, key, heading_top)
        middle = (label["top"] + label["bottom"]) / 2
        hits = [
            w
            for w in words
            if token in w["text"] and abs((w["top"] + w["bottom"]) / 2 - middle) < 9 and w["x0"] >= label["x1"] - 2
        ]
        assert hits, (key, token, [w["text"] for w in words if abs((w["top"] + w["bottom"]) / 2 - middle) < 9])


@pytest.mark.parametrize("render", ["image", "scan"])
@pytest.mark.parametrize(
    "sheet", RASTER_SHEETS, ids=lambda s: f"{s.layout}-{'d' if s.with_d else 'nod'}-{'comb' if s.combs else 'line'}"
)
def test_raster_sheet_values_after_their_labels(sheet: Sheet, render: str) -> None:
    source = sheet_pdf(sheet, render)  # type: ignore[arg-type]
    written = overlay(source, FIELDS)
    assert _words(source) == []  # the fixture really is image-only: the labels were found by OCR
    if render == "image":  # same drawing as the text sheet: the positions compare exactly
        _check_positions(sheet, written)
    else:  # the scan is turned by 0.6°: each value on its label's line, after it, by the tilted line
        added = _words(written)
        reference = _words(sheet_pdf(sheet, "text"))
        heading_top = next(w["top"] for w in reference if w["text"] == DOCTOR_HEADING.split()[0])
        assert all(w["top"] < heading_top for w in added)
        for key in FIELDS:
            label = _label(reference, key, heading_top)
            mine = [w for w in added if abs((w["top"] + w["bottom"]) / 2 - (label["top"] + label["bottom"]) / 2) < 9]
            assert mine, key
            assert min(w["x0"] for w in mine) >= label["x1"] - 1
            assert max(w["x1"] for w in mine) <= mine[0]["width_page"]
    # read back by OCR on the rendered page
    _ocr_after_label(sheet, written, {"nom_prenom": "AMRANI", "adresse": "Sina", "montant_frais": "350"})


def test_landscape_scan_ocr_reads_the_cnie_after_immatriculation() -> None:
    sheet = Sheet(layout="landscape", with_d=True, combs=False)
    written = overlay(sheet_pdf(sheet, "scan"), FIELDS)
    _ocr_after_label(sheet, written, {"immatriculation": "AB123456", "cin": "AB123456"})


def test_arabic_name_is_shaped_real_text() -> None:
    written = overlay(sheet_pdf(Sheet(), "text"), {"nom_prenom": "سلمى العمراني"})
    added = _added(sheet_pdf(Sheet(), "text"), written)
    text = unicodedata.normalize("NFKC", " ".join(w["text"] for w in added))
    assert set("سلمى العمراني".replace(" ", "")) <= set(text)


def test_a_value_already_printed_is_left_alone() -> None:
    printed = {"nom_prenom": "EL AMRANI Salma", "immatriculation": "AB123456"}
    sheet = Sheet(prefilled=printed, combs=False)
    written = overlay(sheet_pdf(sheet, "text"), {**FIELDS, "nom_prenom": "AUTRE Nom", "immatriculation": "ZZ999999"})
    added = " ".join(w["text"] for w in _added(sheet_pdf(sheet, "text"), written))
    assert "AUTRE" not in added and "ZZ999999" not in added
    assert "Ibn" in added and "350,00" in added


@pytest.mark.parametrize("relation", ["enfant", "conjoint"])
def test_lien_parente_ticks_its_box(relation: str) -> None:
    source = sheet_pdf(Sheet(), "text")
    written = overlay(source, {"lien_parente": relation})
    with pdfplumber.open(io.BytesIO(source)) as doc:
        word = next(w for w in doc.pages[0].extract_words() if w["text"].lower() == relation)
        boxes = [
            r for r in doc.pages[0].rects if r["x1"] <= word["x0"] and word["x0"] - r["x1"] < 8 and r["width"] < 10
        ]
    with pdfplumber.open(io.BytesIO(written)) as doc:
        strokes = [ln for ln in doc.pages[0].lines if ln["x0"] not in (ln["x1"],)] + list(doc.pages[0].curves)
    box = boxes[0]
    ticks = [
        s
        for s in strokes
        if box["x0"] - 0.5 <= s["x0"]
        and s["x1"] <= box["x1"] + 0.5
        and box["top"] - 0.5 <= s["top"]
        and s["bottom"] <= box["bottom"] + 0.5
    ]
    assert len(ticks) >= 2


def test_a_missing_label_is_refused_by_name_in_french_and_arabic() -> None:
    with pytest.raises(SheetRefused) as refused:
        overlay(sheet_pdf(Sheet(omit="adresse"), "text"), FIELDS)
    assert refused.value.label == "Adresse"
    assert "« Adresse »" in refused.value.text("fr")
    arabic = refused.value.text("ar")
    assert "Adresse" in arabic and any("\u0600" <= c <= "\u06ff" for c in arabic)


def test_a_missing_label_that_is_not_needed_is_no_refusal() -> None:
    fields = {k: v for k, v in FIELDS.items() if k != "adresse"}
    assert overlay(sheet_pdf(Sheet(omit="adresse"), "text"), fields)


def test_not_a_pdf_is_refused() -> None:
    with pytest.raises(SheetRefused):
        overlay(b"not a pdf", FIELDS)


def test_every_page_is_kept() -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf in (sheet_pdf(Sheet(), "text"), sheet_pdf(Sheet(layout="landscape"), "text")):
        writer.append(PdfReader(io.BytesIO(pdf)))
    buffer = io.BytesIO()
    writer.write(buffer)
    written = overlay(buffer.getvalue(), FIELDS)
    assert len(PdfReader(io.BytesIO(written)).pages) == 2


def test_normalise_reads_the_spellings_alike() -> None:
    assert official_forms.normalise("N° d'immatriculation :") == official_forms.normalise("N° Immatriculation")
    assert official_forms.normalise("Nombre de pièces jointes") == "nombre de pieces jointes"
