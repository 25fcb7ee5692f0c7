"""Filling the form templates: a fillable copy (pypdf) and a flattened print copy (overlay).

TOOLCHAIN §6: AcroForm fields can only use the standard 14 fonts, so pypdf's own flatten draws Arabic as "???"
and leaves the widgets in place. The print copy is therefore made by overlay: each widget's /Rect is read from
the template, the value is drawn there in DejaVu / Noto Naskh (Arabic shaped and right-aligned), the drawing is
merged over a copy of the template from which the widgets and /AcroForm were removed.

Templates are read once per process, lazily (never at import): their bytes, their widget geometry and the
widget-free copy are cached; nothing here knows a field name, they come from claimkit.domain.forms.
"""

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters import pdf_text as txt
from claimkit.adapters.fonts import has_arabic, register
from claimkit.adapters.package_data import package_path
from claimkit.domain.forms import FormId

TEMPLATES = package_path("forms_pdf")
COMB_FLAG = 1 << 24
MULTILINE_FLAG = 1 << 12


@dataclass(frozen=True)
class Widget:
    """Where a field is drawn, read from the template (so an official PDF's geometry works the same)."""

    name: str
    page: int
    rect: tuple[float, float, float, float]
    check: bool = False
    cells: int = 0  # comb fields: one character per cell
    multiline: bool = False
    on_state: str = "/Yes"


@dataclass(frozen=True)
class Template:
    form: FormId
    data: bytes  # the fillable template as committed
    flat: bytes  # the same without widgets and /AcroForm: the base of every print copy
    widgets: tuple[Widget, ...]
    page_sizes: tuple[tuple[float, float], ...]


def _inherited(annot: Any, key: str) -> Any:
    """A field attribute, looked up on the widget then its parents (split field/widget dictionaries)."""
    node = annot
    while node is not None:
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _full_name(annot: Any) -> str:
    parts, node = [], annot
    while node is not None:
        if "/T" in node:
            parts.append(str(node["/T"]))
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return ".".join(reversed(parts))


def _read_widgets(reader: PdfReader) -> tuple[Widget, ...]:
    found = []
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Widget":
                continue
            flags = int(_inherited(annot, "/Ff") or 0)
            check = _inherited(annot, "/FT") == "/Btn"
            states = [str(key) for key in (annot.get("/AP") or {}).get("/N", {}) if key != "/Off"] if check else []
            found.append(
                Widget(
                    name=_full_name(annot),
                    page=index,
                    rect=_normalised(annot["/Rect"]),
                    check=check,
                    cells=int(_inherited(annot, "/MaxLen") or 0) if flags & COMB_FLAG else 0,
                    multiline=bool(flags & MULTILINE_FLAG),
                    on_state=states[0] if states else "/Yes",
                )
            )
    return tuple(found)


def _normalised(rect: Sequence[Any]) -> tuple[float, float, float, float]:
    x1, y1, x2, y2 = (float(v) for v in rect)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


@cache
def template(form: FormId) -> Template:
    """The parsed template of a form, cached for the life of the process."""
    path = TEMPLATES / f"{form.value}.pdf"
    if not path.exists():
        raise RuntimeError(f"Modèle de formulaire absent : {path} (lancez `make forms`).")
    data = path.read_bytes()
    reader = PdfReader(io.BytesIO(data))
    widgets = _read_widgets(reader)
    writer = PdfWriter(clone_from=reader)
    writer.remove_annotations(subtypes="/Widget")
    if "/AcroForm" in writer.root_object:
        del writer.root_object[NameObject("/AcroForm")]
    flat = io.BytesIO()
    writer.write(flat)
    sizes = tuple((float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages)
    return Template(form, data, flat.getvalue(), widgets, sizes)


def check_values(form: FormId, values: Mapping[str, str]) -> None:
    """The map and the template must agree: a value for a missing field would silently vanish from the PDF."""
    unknown = set(values) - {w.name for w in template(form).widgets}
    if unknown:
        raise ValueError(f"{form.value}: champs absents du modèle : {sorted(unknown)}")


# --- drawing values -------------------------------------------------------------------------------------------
def _draw_check(canvas: Canvas, rect: tuple[float, float, float, float]) -> None:
    x1, y1, x2, y2 = rect
    inset = (x2 - x1) * 0.18
    canvas.setLineWidth(1.3)
    canvas.line(x1 + inset, y1 + inset, x2 - inset, y2 - inset)
    canvas.line(x1 + inset, y2 - inset, x2 - inset, y1 + inset)
    canvas.setLineWidth(1)


def _draw_comb(canvas: Canvas, rect: tuple[float, float, float, float], value: str, cells: int) -> None:
    x1, y1, x2, y2 = rect
    cell, size = (x2 - x1) / cells, min(10.0, (y2 - y1) * 0.72)
    baseline = y1 + ((y2 - y1) - size * 0.72) / 2
    for i, char in enumerate(value):
        txt.draw(canvas, x1 + (i + 0.5) * cell, baseline, char, size, align="center")


AR_SCALE = 1.2  # Naskh letters look smaller than DejaVu's at the same size


def _draw_text(canvas: Canvas, rect: tuple[float, float, float, float], value: str, top: bool = False) -> None:
    """Largest size ≤ 10 pt at which the wrapped value fits; Arabic lines right-aligned; from the top of a
    multi-line box, else centred; clipped as a last resort so an overlong value never covers a neighbour."""
    x1, y1, x2, y2 = rect
    inner_w, inner_h = x2 - x1 - 5, y2 - y1 - 2

    def layout(size: float) -> tuple[list[str], bool]:
        lines = txt.wrap(value, size, inner_w, arabic_scale=AR_SCALE)
        widest = max(txt.width(line, size, arabic_scale=AR_SCALE) for line in lines)
        return lines, len(lines) * size * 1.12 <= inner_h + 0.5 and widest <= inner_w

    size = min(10.0, max(inner_h * 0.85, 5.5))
    lines, fits = layout(size)
    while not fits and size > 5.5:
        size -= 0.5
        lines, fits = layout(size)
    if not fits:
        canvas.saveState()
        clip = canvas.beginPath()
        clip.rect(x1, y1, x2 - x1, y2 - y1)
        canvas.clipPath(clip, stroke=0, fill=0)
    block = len(lines) * size * 1.12
    first = y1 + (y2 - y1 + block) / 2 - size * 0.95 if block <= inner_h and not top else y2 - size - 0.5
    for i, line in enumerate(lines):
        y = first - i * size * 1.12
        if has_arabic(line):  # Naskh's descenders are deep: sit the line a little higher
            txt.draw(canvas, x2 - 3, y + size * 0.15, line, size, align="right", arabic_scale=AR_SCALE)
        else:
            txt.draw(canvas, x1 + 2.5, y, line, size)
    if not fits:
        canvas.restoreState()


def draw_values(canvas: Canvas, widgets: Iterable[Widget], values: Mapping[str, str]) -> None:
    """Draws the values of one page's widgets on a canvas of that page's size (the print overlay)."""
    canvas.setFillColorRGB(0.05, 0.05, 0.25)  # dark blue ink: what was typed stands out from the printed form
    canvas.setStrokeColorRGB(0.05, 0.05, 0.25)
    for widget in widgets:
        value = values.get(widget.name, "")
        if not value or value == "/Off":
            continue
        if widget.check:
            _draw_check(canvas, widget.rect)
        elif widget.cells and len(value) <= widget.cells:
            _draw_comb(canvas, widget.rect, value, widget.cells)
        else:
            _draw_text(canvas, widget.rect, value, top=widget.multiline and widget.rect[3] - widget.rect[1] > 30)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setStrokeColorRGB(0, 0, 0)


# --- fillable copy --------------------------------------------------------------------------------------------
def _latin1_safe(value: str) -> bool:
    """Whether pypdf's Helvetica appearance can show the value (else it would print "?")."""
    try:
        value.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _unicode_appearance(writer: PdfWriter, annot: DictionaryObject, widget: Widget, value: str) -> None:
    """An appearance stream drawn with the embedded fonts, for a value Helvetica cannot show (Arabic).

    The value (/V) stays the Unicode text; a viewer that regenerates appearances on editing falls back to its
    own font, but every viewer shows this one as long as the field is not edited.
    """
    x1, y1, x2, y2 = widget.rect
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(x2 - x1, y2 - y1), invariant=1)
    draw_values(canvas, [Widget(widget.name, 0, (0, 0, x2 - x1, y2 - y1), cells=widget.cells)], {widget.name: value})
    canvas.showPage()
    canvas.save()
    drawn = PdfReader(buffer).pages[0]
    stream = DecodedStreamObject()
    stream.set_data(drawn.get_contents().get_data())  # type: ignore[union-attr]
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), FloatObject(x2 - x1), FloatObject(y2 - y1)]
            ),
            NameObject("/Resources"): drawn["/Resources"].clone(writer),
        }
    )
    # a stream must be an indirect object; pypdf 7 has no public call to add one (_add_object is what it uses)
    annot[NameObject("/AP")] = DictionaryObject({NameObject("/N"): writer._add_object(stream)})
    field = cast(DictionaryObject, annot["/Parent"].get_object() if "/T" not in annot and "/Parent" in annot else annot)
    field[NameObject("/V")] = TextStringObject(value)


def fillable(form: FormId, values: Mapping[str, str]) -> bytes:
    """The template with its fields set, still editable in a PDF reader (the student may correct it)."""
    check_values(form, values)
    register()
    tpl = template(form)
    by_name = {w.name: w for w in tpl.widgets}
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tpl.data)))
    plain: dict[str, str] = {}
    wide: dict[str, str] = {}
    for name, value in values.items():
        widget = by_name[name]
        if widget.check:
            plain[name] = widget.on_state if value and value != "/Off" else "/Off"
        elif _latin1_safe(value):
            plain[name] = value
        else:
            wide[name] = value
    for index, page in enumerate(writer.pages):
        on_page = {n: v for n, v in plain.items() if by_name[n].page == index}
        if on_page:
            writer.update_page_form_field_values(page, on_page, auto_regenerate=False)
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            name = _full_name(annot)
            if name in wide:
                _unicode_appearance(writer, annot, by_name[name], wide[name])
    writer.set_need_appearances_writer(False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- print copies ---------------------------------------------------------------------------------------------
def draw_form_overlays(canvas: Canvas, form: FormId, values: Mapping[str, str]) -> list[tuple[FormId, int]]:
    """One overlay page per template page, on the caller's canvas; returns which template page goes under
    each (see merge_under). Drawing every overlay on one canvas embeds each font subset once per packet."""
    check_values(form, values)
    tpl = template(form)
    pages = []
    for index, size in enumerate(tpl.page_sizes):
        canvas.setPageSize(size)
        draw_values(canvas, (w for w in tpl.widgets if w.page == index), values)
        canvas.showPage()
        pages.append((form, index))
    return pages


def merge_under(drawn: bytes, plan: Sequence[tuple[FormId, int] | None]) -> PdfWriter:
    """Assembles a document: page i of `drawn` alone when plan[i] is None, else laid over that template page
    (the widget-free copy, so the result has no form fields left)."""
    reader = PdfReader(io.BytesIO(drawn))
    writer = PdfWriter()
    bases: dict[FormId, PdfReader] = {}
    seen: set[tuple[FormId, int]] = set()
    for page, under in zip(reader.pages, plan, strict=True):
        if under is None:
            writer.add_page(page)
            continue
        form, index = under
        if form not in bases or under in seen:  # a fresh reader when a form comes twice: pages are cloned once
            bases[form] = PdfReader(io.BytesIO(template(form).flat))
            seen = {key for key in seen if key[0] != form}
        seen.add(under)
        base = writer.add_page(bases[form].pages[index])
        base.merge_page(page)
        base.compress_content_streams()  # pypdf writes a merged page's content uncompressed
    # the templates share byte-identical font subsets (scripts/draw_forms.py primes them): keep one copy
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=False)
    return writer


def flattened(form: FormId, values: Mapping[str, str]) -> bytes:
    """The print copy of one form: values drawn in a Unicode font over the template, no form fields left."""
    register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    plan = draw_form_overlays(canvas, form, values)
    canvas.save()
    writer = merge_under(buffer.getvalue(), plan)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
