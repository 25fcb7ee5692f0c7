"""Draws claimkit's fillable equivalents of the CNOPS forms (the official PDFs are not available here).

Field names come from claimkit.domain.forms, the single field map. Output is deterministic (reportlab
`invariant`), so tests can regenerate the templates and compare them byte for byte with the committed files.
Run: `make forms` (or .venv/bin/python forms_pdf/generate.py).
"""

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters.fonts import ARABIC, BOLD, SANS, register, visual
from claimkit.domain.forms import (
    ACT_ROWS,
    ASSURE,
    EXTRA_FIELDS,
    FORM_TITLES,
    FORMS_VERSION,
    FieldSpec,
    FormId,
    act_columns,
    act_field,
)

OUT = Path(__file__).resolve().parent
ROOT = OUT.parent
WIDTH, HEIGHT = A4
MARGIN = 28
LABEL_W = 200
LINE = 12
INK = colors.HexColor("#1b1f23")
PRO_FILL = colors.HexColor("#eeeeee")
FIELD_FILL = colors.HexColor("#f4f8ff")


class Sheet:
    """A canvas with a downward cursor that starts a new page when a block does not fit."""

    def __init__(self, canvas: Canvas, form: FormId) -> None:
        self.c, self.form, self.y, self.page = canvas, form, HEIGHT - MARGIN, 1

    def need(self, height: float) -> None:
        if self.y - height < MARGIN + 24:
            self.footer()
            self.c.showPage()
            self.page += 1
            self.y = HEIGHT - MARGIN

    def footer(self) -> None:
        self.c.setFont(SANS, 6.5)
        self.c.setFillColor(colors.grey)
        self.c.drawString(MARGIN, MARGIN - 14, f"Modèle claimkit d'après la feuille CNOPS — non officiel — version "
                          f"{FORMS_VERSION} — {self.form.value} — page {self.page}")  # fmt: skip
        self.c.setFillColor(INK)

    def header(self) -> None:
        fr, ar = FORM_TITLES[self.form]
        c = self.c
        c.setFont(SANS, 8)
        c.drawString(MARGIN, self.y - 8, "Assurance Maladie Obligatoire — Étudiants (AMO-E)")
        c.setFont(ARABIC, 10)
        c.drawRightString(WIDTH - MARGIN, self.y - 9, visual("التأمين الإجباري الأساسي عن المرض - الطلبة"))
        c.setFont(BOLD, 13 if len(fr) < 50 else 10.5)
        c.drawString(MARGIN, self.y - 30, fr)
        c.setFont(ARABIC, 12)
        c.drawRightString(WIDTH - MARGIN, self.y - 48, visual(ar))
        c.setFont(SANS, 7.5)
        c.drawString(MARGIN, self.y - 48, "N° Dossier (réservé à la CNOPS) : ________________")
        self.y -= 58

    def section(self, title: str, arabic: str, professional: bool = False) -> None:
        self.need(40)
        c = self.c
        c.setFillColor(colors.HexColor("#dfe7e3") if not professional else colors.HexColor("#e6e6e6"))
        c.rect(MARGIN, self.y - 16, WIDTH - 2 * MARGIN, 16, stroke=0, fill=1)
        c.setFillColor(INK)
        c.setFont(BOLD, 9)
        c.drawString(MARGIN + 4, self.y - 12, title)
        c.setFont(ARABIC, 10)
        c.drawRightString(WIDTH - MARGIN - 4, self.y - 12, visual(arabic))
        self.y -= 20

    def field(self, spec: FieldSpec) -> None:
        label_lines = simpleSplit(spec.label, SANS, 8, LABEL_W - 8)
        height = max(LINE * spec.lines + 3, 10 * len(label_lines) + 4)
        self.need(height + 4)
        c = self.c
        c.setFont(SANS, 8)
        for i, line in enumerate(label_lines):
            c.drawString(MARGIN, self.y - 11 - 10 * i, line)
        x, w = MARGIN + LABEL_W, WIDTH - 2 * MARGIN - LABEL_W
        if spec.check:
            c.acroForm.checkbox(name=spec.name, x=x, y=self.y - 13, size=12, buttonStyle="check",
                                borderColor=INK, fillColor=FIELD_FILL, forceBorder=True)  # fmt: skip
        else:
            c.acroForm.textfield(
                name=spec.name, x=x, y=self.y - height, width=w, height=height, fontName="Helvetica", fontSize=9,
                borderColor=INK if not spec.professional else colors.grey,
                fillColor=PRO_FILL if spec.professional else FIELD_FILL, borderWidth=0.6,
                fieldFlags="multiline" if spec.lines > 1 else "", forceBorder=True,
                tooltip=spec.label + (" (professionnel de santé)" if spec.professional else ""),
            )  # fmt: skip
        self.y -= height + 2

    def checks_in_columns(self, specs: list[FieldSpec]) -> None:
        half = (len(specs) + 1) // 2
        col_w = (WIDTH - 2 * MARGIN) / 2
        self.need(half * 12 + 6)
        top = self.y
        for i, spec in enumerate(specs):
            x = MARGIN + (i // half) * col_w
            y = top - (i % half) * 12
            self.c.acroForm.checkbox(name=spec.name, x=x, y=y - 10, size=9, buttonStyle="check", borderColor=INK,
                                     fillColor=FIELD_FILL, forceBorder=True)  # fmt: skip
            self.c.setFont(SANS, 6.4)
            self.c.drawString(x + 12, y - 8, spec.label[:80])
        self.y = top - half * 12 - 6

    def acts_table(self) -> None:
        columns = act_columns(self.form)
        rows = ACT_ROWS[self.form]
        usable = WIDTH - 2 * MARGIN
        widths = [usable * w for w in ((0.18, 0.55, 0.27) if len(columns) == 3 else (0.16, 0.16, 0.43, 0.25))]
        self.need(16 * (rows + 1) + 6)
        c = self.c
        c.setFont(BOLD, 7.5)
        x = MARGIN
        for (_, label), w in zip(columns, widths, strict=True):
            c.drawString(x + 2, self.y - 10, label)
            x += w
        self.y -= 14
        for row in range(1, rows + 1):
            x = MARGIN
            for (column, label), w in zip(columns, widths, strict=True):
                c.acroForm.textfield(name=act_field(row, column), x=x, y=self.y - 15, width=w - 2, height=15,
                                     fontName="Helvetica", fontSize=8, borderColor=INK, fillColor=FIELD_FILL,
                                     borderWidth=0.5, forceBorder=True, tooltip=f"{label} {row}")  # fmt: skip
                x += w
            self.y -= 16
        self.y -= 4

    def note(self, text: str, size: float = 7.5) -> None:
        self.need(12)
        self.c.setFont(SANS, size)
        self.c.drawString(MARGIN, self.y - 9, text)
        self.y -= 12

    def signature_box(self, label: str) -> None:
        self.need(52)
        c = self.c
        c.setFont(SANS, 7.5)
        c.drawString(MARGIN + LABEL_W, self.y - 9, label)
        c.setStrokeColor(colors.grey)
        c.rect(MARGIN + LABEL_W, self.y - 50, 180, 38)
        c.setStrokeColor(INK)
        self.y -= 56


def draw(form: FormId, path: Path) -> None:
    canvas = Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(FORM_TITLES[form][0])
    canvas.setAuthor("claimkit")
    sheet = Sheet(canvas, form)
    sheet.header()
    sheet.section("Partie réservée à l'assuré(e)", "خاص بالمؤمن له")
    for spec in ASSURE:
        sheet.field(spec)
    own = [s for s in EXTRA_FIELDS[form] if not s.professional]
    pro = [s for s in EXTRA_FIELDS[form] if s.professional]
    if form is FormId.EXONERATION:
        sheet.section("Affection de longue durée concernée (cocher)", "المرض المعني")
        sheet.checks_in_columns(own)
    elif own:
        sheet.section("Renseignements complémentaires", "معلومات إضافية")
        for spec in own:
            sheet.field(spec)
    if form in ACT_ROWS:
        sheet.section("Description des actes effectués", "وصف الأعمال المنجزة")
        sheet.acts_table()
    if pro:
        sheet.section("Partie réservée aux professionnels de santé — ne pas remplir", "خاص بمهنيي الصحة", True)
        sheet.note("Cachet, INPE, signature et honoraires sont apposés par le professionnel lui-même.")
        for spec in pro:
            sheet.field(spec)
    sheet.section("Déclaration de l'assuré(e)", "تصريح المؤمن له")
    if form is FormId.ENGAGEMENT:
        sheet.note("Je m'engage à restituer à la CNOPS les montants qu'elle m'aura remboursés au titre de cet accident")
        sheet.note("dès que le tiers responsable ou son assurance m'aura indemnisé(e).")
    else:
        sheet.note("J'atteste sur l'honneur l'exactitude des renseignements portés ci-dessus.")
    sheet.field(FieldSpec("fait_a", "Fait à"))
    sheet.field(FieldSpec("fait_le", "Le"))
    sheet.signature_box("Signature de l'assuré(e) (à la main)")
    sheet.footer()
    canvas.save()


def main(out: Path = OUT) -> list[Path]:
    register()
    paths = []
    for form in FormId:
        path = out / f"{form.value}.pdf"
        draw(form, path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in main():
        print(written.relative_to(ROOT))
