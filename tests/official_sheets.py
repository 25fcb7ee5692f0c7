"""Fixture sheets drawn by the team to look like the public copies of the CNOPS feuilles de soins.

Deterministic (reportlab invariant mode, fixed rotation, no randomness): the same arguments give the same bytes.
What they copy from docs/sources/forms-research.md §1–2: the "Partie réservée à l'assuré(e)" with its labels in
printed order, French at the left and Arabic at the right of the same line, numbers in boxes (a comb of vector
rectangles) or on a plain dotted line, "Conjoint"/"Enfant" tick boxes, then "Déclaration du médecin traitant" with
the bénéficiaire block (a second "Nom et prénom", a second "N° CIN"), the INP boxes and an acts table.
A4 portrait (the maladie copy) or A4 landscape with the form in the right half (the dental copy).
Each sheet comes as a text PDF, an image-only PDF (the page rendered at 300 dpi) or a slightly rotated 300 dpi scan.
"""

import io
from dataclasses import dataclass
from typing import Literal

import pypdfium2
from PIL import Image
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters import pdf_text as txt
from claimkit.adapters.fonts import register

Layout = Literal["portrait", "landscape"]
Render = Literal["text", "image", "scan"]
DOCTOR_HEADING = "Déclaration du médecin traitant"


@dataclass(frozen=True)
class Sheet:
    layout: Layout = "portrait"
    with_d: bool = False  # "N° d'immatriculation" (True) or "N° Immatriculation" (False)
    combs: bool = True  # numbers in boxes (True) or on a dotted line
    prefilled: dict[str, str] | None = None  # a personalised sheet: values already printed after their labels
    omit: str = ""  # a label left out (the refusal test)


def _labels(sheet: Sheet) -> list[tuple[str, str, str, int]]:
    """(key, French label, Arabic label, boxes) in printed order."""
    d = "d'" if sheet.with_d else ""
    rows = [
        ("nom_prenom", "Nom et prénom :", "الاسم العائلي والشخصي", 0),
        ("affiliation", f"N° {d}{'affiliation' if d else 'Affiliation'} :", "رقم الانخراط", 7),
        ("immatriculation", f"N° {d}{'immatriculation' if d else 'Immatriculation'} :", "رقم التسجيل", 9),
        ("cin", "N° CIN :", "رقم البطاقة الوطنية", 8),
        ("lien", "Lien de parenté avec l'assuré(e) :", "صلة القرابة", 0),
        ("adresse", "Adresse :", "العنوان", 0),
        ("montant_frais", "Montant des frais :", "مبلغ المصاريف", 0),
        ("pieces_jointes", "Nombre de pièces jointes :", "عدد الوثائق المرفقة", 0),
    ]
    return [row for row in rows if row[0] != sheet.omit]


def _dots(c: Canvas, x0: float, x1: float, y: float) -> None:
    c.setDash(1, 2)
    c.line(x0, y - 2, x1, y - 2)
    c.setDash()


def _comb(c: Canvas, x: float, y: float, boxes: int) -> float:
    size = 13.0
    for i in range(boxes):
        c.rect(x + i * size, y - 3, size, size)
    return x + boxes * size


def text_pdf(sheet: Sheet = Sheet()) -> bytes:
    """The sheet as a PDF with a text layer."""
    register()
    size = landscape(A4) if sheet.layout == "landscape" else A4
    width, height = float(size[0]), float(size[1])
    left = width / 2 + 20 if sheet.layout == "landscape" else 40.0  # the dental copy: the form in the right half
    right = width - 40
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=size, invariant=1)
    y = height - 50
    txt.draw(c, left, y, "Feuille de Soins Maladie", 14, bold=True)
    txt.draw(c, right, y, "ورقة العلاجات", 14, align="right")
    y -= 26
    txt.draw(c, left, y, "Partie réservée à l'assuré(e)", 10, bold=True)
    txt.draw(c, right, y, "خاص بالمؤمن", 10, align="right")
    y -= 22
    step = 21.0 if sheet.layout == "landscape" else 26.0
    prefilled = sheet.prefilled or {}
    for key, label, arabic, boxes in _labels(sheet):
        end = txt.draw(c, left, y, label, 9.5) + left + 6
        arabic_w = txt.width(arabic, 9.5)
        txt.draw(c, right, y, arabic, 9.5, align="right")
        if key == "lien":
            for i, word in enumerate(("Conjoint", "Enfant")):
                bx = end + i * 70
                c.rect(bx, y - 1, 8, 8)
                txt.draw(c, bx + 12, y, word, 9.5)
        elif boxes and sheet.combs:
            _comb(c, end, y, boxes)
        else:
            stop = right - arabic_w - 8
            if key == "montant_frais":
                txt.draw(c, stop, y, "Dhs", 9.5, align="right")
                stop -= txt.width("Dhs", 9.5) + 6
            _dots(c, end, stop, y)
        if key in prefilled:
            txt.draw(c, end + 4, y, prefilled[key], 9.5)
        y -= step
    y -= 6
    c.line(left, y + 8, right, y + 8)
    txt.draw(c, left, y - 8, DOCTOR_HEADING, 10, bold=True)
    txt.draw(c, right, y - 8, "تصريح الطبيب المعالج", 10, align="right")
    y -= 30
    for label, boxes in (("Nom et prénom :", 0), ("N° CIN :", 8), ("INP :", 9)):
        end = txt.draw(c, left, y, label, 9.5) + left + 6
        if boxes:
            _comb(c, end, y, boxes)
        else:
            _dots(c, end, right - 10, y)
        y -= step
    txt.draw(c, left, y, "Date des actes   Code des actes   Montant facturé   Signature et cachet", 8)
    for row in range(5):
        c.rect(left, y - 18 - row * 16, right - left, 16)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _raster(pdf: bytes, dpi: int = 300) -> tuple[Image.Image, tuple[float, float]]:
    doc = pypdfium2.PdfDocument(pdf)
    page = doc[0]
    size = (float(page.get_width()), float(page.get_height()))
    image = page.render(scale=dpi / 72).to_pil().convert("L")
    doc.close()
    return image, size


def _image_pdf(image: Image.Image, size: tuple[float, float]) -> bytes:
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=size, invariant=1)
    png = io.BytesIO()
    image.save(png, format="PNG")
    png.seek(0)
    from reportlab.lib.utils import ImageReader

    c.drawImage(ImageReader(png), 0, 0, width=size[0], height=size[1])
    c.showPage()
    c.save()
    return buffer.getvalue()


def sheet_pdf(sheet: Sheet = Sheet(), render: Render = "text") -> bytes:
    """The sheet as a text PDF, an image-only PDF (rendered at 300 dpi) or a scan (300 dpi, turned by 0.6°)."""
    pdf = text_pdf(sheet)
    if render == "text":
        return pdf
    image, size = _raster(pdf)
    if render == "scan":
        image = image.rotate(0.6, resample=Image.Resampling.BICUBIC, fillcolor=255)
        image = image.point(lambda v: 235 if v > 235 else v)  # paper is never pure white
    return _image_pdf(image, size)
