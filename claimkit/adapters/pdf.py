"""Filling the form templates and assembling the ready-to-post packet.

Two outputs per form: a fillable copy (pypdf sets the AcroForm values; Helvetica appearances, so Arabic
shows as "?" there) and a flattened print copy (each value drawn with DejaVu / Noto Naskh at the widget's
rectangle, then widgets and /AcroForm removed) — TOOLCHAIN §6 explains why the naive flatten fails.
"""

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters.fonts import BOLD, SANS, font_for, has_arabic, register, visual
from claimkit.domain.forms import FormId

TEMPLATES = Path(__file__).resolve().parents[2] / "forms_pdf"
WIDTH, HEIGHT = A4
MARGIN = 42


@cache
def _template_bytes(form: FormId) -> bytes:
    return (TEMPLATES / f"{form.value}.pdf").read_bytes()


def fillable(form: FormId, values: Mapping[str, str]) -> bytes:
    """The template with its fields set: the student can still correct them in a PDF reader."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_template_bytes(form))))
    for page in writer.pages:
        writer.update_page_form_field_values(page, dict(values), auto_regenerate=False)
    writer.set_need_appearances_writer(False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _widgets(page: object) -> list[tuple[str, list[float], bool]]:
    found = []
    for ref in page.get("/Annots") or []:  # type: ignore[attr-defined]
        annot = ref.get_object()
        if annot.get("/Subtype") != "/Widget":
            continue
        name = annot.get("/T") or annot.get("/Parent", {}).get("/T")
        found.append((str(name), [float(v) for v in annot["/Rect"]], annot.get("/FT") == "/Btn"))
    return found


def _draw_value(canvas: Canvas, rect: list[float], value: str, checkbox: bool) -> None:
    x1, y1, x2, y2 = rect
    if checkbox:
        canvas.setFont(SANS, (y2 - y1) * 0.9)
        canvas.drawCentredString((x1 + x2) / 2, y1 + (y2 - y1) * 0.18, "✔")
        return
    size = 9.5
    width = x2 - x1 - 6
    lines = [line for part in value.splitlines() for line in simpleSplit(part, font_for(part), size, width)] or [""]
    while size > 6 and (len(lines) * size * 1.15 > (y2 - y1) - 2 or any(
            canvas.stringWidth(visual(line), font_for(line), size) > width for line in lines)):  # fmt: skip
        size -= 0.5
        lines = [line for part in value.splitlines() for line in simpleSplit(part, font_for(part), size, width)]
    top = y2 - size - 1.5 if len(lines) > 1 else y1 + ((y2 - y1) - size) / 2 + 1.5
    for i, line in enumerate(lines):
        canvas.setFont(font_for(line), size)
        y = top - i * size * 1.15
        if has_arabic(line):
            canvas.drawRightString(x2 - 3, y, visual(line))
        else:
            canvas.drawString(x1 + 3, y, line)


def flattened(form: FormId, values: Mapping[str, str]) -> PdfReader:
    """Print copy: values drawn in a Unicode font over the template, no form fields left."""
    register()
    template = PdfReader(io.BytesIO(_template_bytes(form)))
    writer = PdfWriter(clone_from=template)
    for page in writer.pages:
        overlay_buffer = io.BytesIO()
        canvas = Canvas(overlay_buffer, pagesize=(float(page.mediabox.width), float(page.mediabox.height)))
        drawn = 0
        for name, rect, checkbox in _widgets(page):
            if value := values.get(name):
                _draw_value(canvas, rect, value, checkbox)
                drawn += 1
        if drawn:
            canvas.save()
            page.merge_page(PdfReader(overlay_buffer).pages[0])
    writer.remove_annotations(subtypes="/Widget")
    if "/AcroForm" in writer.root_object:
        del writer.root_object[NameObject("/AcroForm")]
    out = io.BytesIO()
    writer.write(out)
    return PdfReader(out)


@dataclass(frozen=True)
class ChecklistLine:
    label: str
    required: bool
    ticked: bool


@dataclass(frozen=True)
class MedicineRow:
    name: str
    ean13: str
    ppv: str
    pbr: str
    quantity: int
    refund: str


@dataclass(frozen=True)
class PacketData:
    """Everything printed, already computed and formatted by the service (no rule lives here)."""

    student_name: str
    student_name_ar: str
    student_cnie: str
    student_address: list[str]
    claim_title: str
    claim_summary: list[str]
    deadline_text: str
    checklist: list[ChecklistLine]
    insurer_name: str
    insurer_address: list[str]
    medicines: list[MedicineRow]
    estimate_text: str
    today: date
    forms: list[tuple[FormId, dict[str, str]]] = field(default_factory=list)


def _text(canvas: Canvas, x: float, y: float, text: str, size: float = 10, bold: bool = False) -> None:
    canvas.setFont(font_for(text, bold), size)
    if has_arabic(text):
        canvas.drawRightString(x, y, visual(text))
    else:
        canvas.drawString(x, y, text)


def _cover(canvas: Canvas, data: PacketData) -> None:
    y = HEIGHT - MARGIN
    _text(canvas, MARGIN, y - 16, "Dossier de remboursement AMO-E", 17, bold=True)
    _text(canvas, MARGIN, y - 34, data.claim_title, 12, bold=True)
    y -= 60
    _text(canvas, MARGIN, y, f"Étudiant(e) : {data.student_name}", 11)
    if data.student_name_ar:
        _text(canvas, WIDTH - MARGIN, y, data.student_name_ar, 12)
    _text(canvas, MARGIN, y - 15, f"CNIE (N° d'immatriculation) : {data.student_cnie}", 10)
    y -= 36
    for line in data.claim_summary:
        _text(canvas, MARGIN, y, line, 10)
        y -= 14
    canvas.setFillColor(colors.HexColor("#fff4d6"))
    canvas.roundRect(MARGIN, y - 34, WIDTH - 2 * MARGIN, 28, 6, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    _text(canvas, MARGIN + 10, y - 24, data.deadline_text, 11, bold=True)
    y -= 56
    _text(canvas, MARGIN, y, "Pièces à joindre (originaux)", 12, bold=True)
    y -= 18
    for item in data.checklist:
        canvas.rect(MARGIN, y - 2, 10, 10)
        if item.ticked:
            _text(canvas, MARGIN + 1.2, y - 0.5, "✔", 10)
        suffix = "" if item.required else " (recommandé)"
        _text(canvas, MARGIN + 18, y, item.label + suffix, 10)
        y -= 16
    y -= 10
    _text(canvas, MARGIN, y, data.estimate_text, 10)
    y -= 34
    _text(canvas, MARGIN, y, "À envoyer en recommandé avec accusé de réception à :", 11, bold=True)
    y -= 18
    for line in [data.insurer_name, *data.insurer_address]:
        _text(canvas, MARGIN + 12, y, line, 11)
        y -= 15
    _text(canvas, MARGIN, MARGIN, f"Préparé avec claimkit le {data.today:%d/%m/%Y}. Gardez une copie de tout.", 8)


def _medicines_sheet(canvas: Canvas, data: PacketData) -> None:
    y = HEIGHT - MARGIN - 16
    _text(canvas, MARGIN, y, "Médicaments et codes-barres", 15, bold=True)
    _text(
        canvas, MARGIN, y - 16, "Remboursement estimé : 70 % de min(PPV, PBR) par boîte — estimation indicative.", 8.5
    )
    y -= 40
    for med in data.medicines:
        if y < MARGIN + 80:
            canvas.showPage()
            y = HEIGHT - MARGIN - 16
        _text(canvas, MARGIN, y, f"{med.name} × {med.quantity}", 10.5, bold=True)
        _text(canvas, MARGIN, y - 14, f"PPV {med.ppv} · PBR {med.pbr} · estimé {med.refund}", 9)
        if med.ean13:
            drawing = createBarcodeDrawing("EAN13", value=med.ean13[:12], barHeight=34, barWidth=1.1,
                                           humanReadable=True)  # fmt: skip
            renderPDF.draw(drawing, canvas, WIDTH - MARGIN - drawing.width, y - 40)
        else:
            _text(canvas, WIDTH - MARGIN - 150, y - 14, "code-barres inconnu", 8.5)
        canvas.setStrokeColor(colors.lightgrey)
        canvas.line(MARGIN, y - 50, WIDTH - MARGIN, y - 50)
        canvas.setStrokeColor(colors.black)
        y -= 62


def _label(canvas: Canvas, data: PacketData) -> None:
    """DL envelope (220 × 110 mm): cut along the dashes, or print on the envelope."""
    mm = 72 / 25.4
    x0, y0, w, h = MARGIN, HEIGHT - MARGIN - 110 * mm, 220 * mm * 0.82, 110 * mm
    canvas.setDash(4, 3)
    canvas.rect(x0, y0, w, h)
    canvas.setDash()
    _text(canvas, x0 + 10, y0 + h - 18, "Expéditeur :", 8)
    for i, line in enumerate([data.student_name, *data.student_address]):
        _text(canvas, x0 + 10, y0 + h - 30 - 11 * i, line, 8.5)
    x, y = x0 + w * 0.42, y0 + h * 0.58
    _text(canvas, x, y, "RECOMMANDÉ", 9, bold=True)
    name_lines = simpleSplit(data.insurer_name, BOLD, 11.5, x0 + w - x - 10)
    for i, line in enumerate([*name_lines, *data.insurer_address]):
        _text(canvas, x, y - 18 - 15 * i, line, 11.5, bold=i < len(name_lines))
    _text(canvas, MARGIN, y0 - 16, "Étiquette à découper pour une enveloppe DL (220 × 110 mm) ou C5.", 8)


def build_packet(data: PacketData) -> bytes:
    register()
    pages = io.BytesIO()
    canvas = Canvas(pages, pagesize=A4, invariant=1)
    canvas.setTitle(f"Dossier AMO-E — {data.claim_title}")
    _cover(canvas, data)
    canvas.showPage()
    if data.medicines:
        _medicines_sheet(canvas, data)
        canvas.showPage()
    _label(canvas, data)
    canvas.showPage()
    canvas.save()
    cover, *rest = PdfReader(pages).pages
    writer = PdfWriter()
    writer.add_page(cover)
    for form, values in data.forms:
        for page in flattened(form, values).pages:
            writer.add_page(page)
    for page in rest:
        writer.add_page(page)
    writer.add_metadata({"/Title": f"Dossier AMO-E — {data.claim_title}", "/Producer": "claimkit"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
