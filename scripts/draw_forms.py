"""Draws claimkit's fillable equivalents of the six CNOPS forms (the official PDFs are not available here).

Sections, wording and box counts follow docs/sources/forms-research.md (maladie page 1 and the dental sheet are
known well, the others only by title); labels are bilingual FR + AR on the same line, as on every copy seen. Every field
name, label and box count comes from claimkit.domain.forms, the single field map: this script only decides
where things go. The boxes are drawn in the page itself and the AcroForm widgets on top are transparent, so a
copy flattened by removing the widgets still shows every box.

Output is deterministic (reportlab `invariant`), so a test regenerates the templates and compares them byte
for byte with the committed files. Run: `make forms` (or .venv/bin/python scripts/draw_forms.py).
"""

import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "claimkit" / "forms_pdf"
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from claimkit.adapters import pdf_text as txt  # noqa: E402
from claimkit.adapters.fonts import ARABIC, BOLD, SANS, register  # noqa: E402
from claimkit.domain import forms as fm  # noqa: E402
from claimkit.domain.forms import FieldKind, FieldSpec, FormId, Owner  # noqa: E402

WIDTH, HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 30.0, WIDTH - 30.0, HEIGHT - 26.0, 34.0
USABLE = RIGHT - LEFT
CELL = 11.0  # width of one comb box
ROW = 16.0
FR_SIZE, AR_SIZE = 7.4, 8.6
INK = colors.HexColor("#111111")
GREY = colors.HexColor("#6b6b6b")
ASSURE_BAND = colors.HexColor("#d7e6dc")
PRO_BAND = colors.HexColor("#d9d9d9")
PRO_BG = colors.HexColor("#f1f1f1")
CNOPS_BG = colors.HexColor("#e9eef5")

OWNER_NOTES = {
    Owner.MEDECIN: ("Réservé au médecin — ne rien écrire", "خاص بالطبيب"),
    Owner.PHARMACIEN: ("Réservé au pharmacien — ne rien écrire", "خاص بالصيدلي"),
    Owner.LABO: ("Réservé au laboratoire / centre de radiologie", "خاص بالمختبر أو مركز الأشعة"),
    Owner.DENTISTE: ("Réservé au chirurgien-dentiste — ne rien écrire", "خاص بجراح الأسنان"),
    Owner.CNOPS: ("Réservé à la CNOPS", "خاص بالصندوق"),
}


# --- a tiny inline layout: a row is a sequence of parts laid out left to right -----------------------------------
@dataclass(frozen=True)
class Fr:
    text: str
    size: float = FR_SIZE
    bold: bool = False


@dataclass(frozen=True)
class Ar:
    text: str
    size: float = AR_SIZE


@dataclass(frozen=True)
class Box:
    spec: FieldSpec
    width: float = 0.0  # 0: share the row's free width (comb and check boxes have their own)


@dataclass(frozen=True)
class Gap:
    width: float = 0.0  # 0: flexible


Part = Fr | Ar | Box | Gap


def _fixed_width(part: Part) -> float:
    if isinstance(part, Fr):
        return txt.width(part.text, part.size, part.bold) + 4
    if isinstance(part, Ar):
        return txt.width(part.text, part.size) + 4
    if isinstance(part, Box):
        if part.spec.kind is FieldKind.COMB:
            return part.spec.boxes * CELL + 4
        if part.spec.kind is FieldKind.CHECK:
            return 13
        return part.width + 4 if part.width else 0
    return part.width


def _flexible(part: Part) -> bool:
    return (isinstance(part, Box) and part.spec.kind is FieldKind.TEXT and not part.width) or (
        isinstance(part, Gap) and not part.width
    )


def _group_ends(hint: str) -> set[int]:
    """Box indexes where a group of a hint ends: "jjmmaaaa" → {2, 4} (a full-height divider there)."""
    return {i for i in range(1, len(hint)) if hint[i] != hint[i - 1]}


class Sheet:
    """A canvas with a downward cursor; starts a new page (with its footer) when a block does not fit."""

    def __init__(self, canvas: Canvas, form: FormId) -> None:
        self.c, self.form, self.y, self.page = canvas, form, TOP, 1
        self.drawn: list[str] = []

    # -- page furniture ---------------------------------------------------------------------------------------
    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.footer()
            self.c.showPage()
            self.page += 1
            self.y = TOP
            self.running_header()

    def footer(self) -> None:
        c = self.c
        c.setFillColor(GREY)
        txt.draw(c, LEFT, 22, f"Modèle claimkit d'après la feuille CNOPS — version {fm.FORM_VERSIONS[self.form]}", 6.2)
        txt.draw(c, RIGHT, 22, f"{self.form.value} — page {self.page}", 6.2, align="right")
        c.setFillColor(INK)

    def running_header(self) -> None:
        fr, ar = fm.FORM_TITLES[self.form]
        txt.draw(self.c, LEFT, self.y - 8, f"{fr} (suite)", 7)
        txt.draw(self.c, RIGHT, self.y - 8, ar, 8, align="right")
        self.y -= 16

    def header(self) -> None:
        fr, ar = fm.FORM_TITLES[self.form]
        c = self.c
        c.setFillColor(INK)
        txt.draw(c, LEFT, self.y - 8, "ASSURANCE MALADIE OBLIGATOIRE — ÉTUDIANTS (AMO-E)", 8, bold=True)
        txt.draw(c, RIGHT, self.y - 9, "التأمين الإجباري الأساسي عن المرض للطلبة", 9.5, align="right")
        size = 14 if txt.width(fr, 14, bold=True) < USABLE * 0.62 else 11
        lines = txt.wrap(fr, size, USABLE * 0.62, bold=True)
        for i, line in enumerate(lines):
            txt.draw(c, LEFT, self.y - 28 - i * (size + 2), line, size, bold=True)
        txt.draw(c, RIGHT, self.y - 30, ar, 13 if txt.width(ar, 13) < USABLE * 0.36 else 11, align="right")
        self.y -= 28 + (len(lines) - 1) * (size + 2) + 10
        # N° Bordereau / N° Dossier: written by the CNOPS on reception
        c.setFillColor(CNOPS_BG)
        c.rect(LEFT, self.y - 17, USABLE, 15, stroke=0, fill=1)
        c.setFillColor(INK)
        txt.draw(c, LEFT + 3, self.y - 12, "Réservé à la CNOPS", 6.8, bold=True)
        x = LEFT + 90
        for label in ("N° Bordereau :", "N° Dossier :"):
            x += txt.draw(c, x, self.y - 12, label, 6.8) + 4
            c.setFillColor(colors.white)
            c.setLineWidth(0.5)
            c.rect(x, self.y - 15, 120, 11, fill=1, stroke=1)
            c.setLineWidth(1)
            c.setFillColor(INK)
            x += 140
        txt.draw(c, RIGHT - 3, self.y - 13, "خاص بالصندوق", 8, align="right")
        self.y -= 22

    def section(self, title: str, arabic: str, owner: Owner = Owner.ASSURE, height: float = 40) -> None:
        """A band; a professional's band says whose it is, and that the assuré writes nothing there."""
        self.need(16 + height)
        c = self.c
        c.setFillColor(ASSURE_BAND if owner is Owner.ASSURE else PRO_BAND)
        c.rect(LEFT, self.y - 14, USABLE, 14, stroke=0, fill=1)
        c.setFillColor(INK)
        end = LEFT + 4 + txt.draw(c, LEFT + 4, self.y - 10, title, 8.2, bold=True)
        start = RIGHT - 4 - txt.draw(c, RIGHT - 4, self.y - 10.5, arabic, 9.5, align="right")
        if owner is not Owner.ASSURE:
            note_fr, note_ar = OWNER_NOTES[owner]
            room = start - end - 24
            if txt.width(f"{note_fr}  {note_ar}", 7) <= room:
                note_fr = f"{note_fr}  {note_ar}"
            c.setFillColor(colors.HexColor("#333333"))
            txt.draw(c, end + 12, self.y - 10, f"— {note_fr}", 7)
            c.setFillColor(INK)
        self.y -= 17

    def shade(self, top: float, bottom: float, color: colors.Color = PRO_BG) -> None:
        """Grey background behind a professional's block (drawn first, so boxes stay white above it)."""
        c = self.c
        c.setFillColor(color)
        c.rect(LEFT, bottom, USABLE, top - bottom, stroke=0, fill=1)
        c.setFillColor(INK)

    # -- fields ----------------------------------------------------------------------------------------------
    def _box(self, spec: FieldSpec, x: float, y: float, w: float, h: float) -> None:
        """The printed box (white, dark outline; combs divided), then a transparent widget on it.

        A professional's box is outlined in grey and its widget is read-only: the doctor, dentist, pharmacist or lab
        writes by hand on the printed sheet, and a student filling the download in a PDF reader cannot type there
        (the assuré's widgets, the only ones claimkit fills, stay editable).
        """
        c = self.c
        pro = spec.professional
        c.setStrokeColor(GREY if pro else INK)
        c.setLineWidth(0.5 if pro else 0.7)
        c.setFillColor(colors.white)
        c.rect(x, y, w, h, stroke=1, fill=1)
        if spec.kind is FieldKind.COMB:
            groups = _group_ends(spec.hint)
            for i in range(1, spec.boxes):
                c.setLineWidth(0.7 if i in groups else 0.4)
                c.line(x + i * CELL, y, x + i * CELL, y + (h if i in groups else h * 0.45))
        c.setFillColor(INK)
        c.setStrokeColor(INK)
        c.setLineWidth(1)
        tip = (
            spec.label + (f" ({spec.hint})" if spec.hint else "") + (f" — {OWNER_NOTES[spec.owner][0]}" if pro else "")
        )
        common = {"name": spec.name, "tooltip": tip, "borderWidth": 0, "borderColor": None, "fillColor": None}
        flags = ["readOnly"] if pro else []
        if spec.kind is FieldKind.CHECK:
            c.acroForm.checkbox(x=x, y=y, size=w, buttonStyle="cross", fieldFlags=" ".join(flags), textColor=INK,
                                **common)  # fmt: skip
        elif spec.kind is FieldKind.COMB:
            c.acroForm.textfield(x=x, y=y, width=w, height=h, maxlen=spec.boxes, fieldFlags=" ".join([*flags, "comb"]),
                                 fontName="Helvetica", fontSize=10, **common)  # fmt: skip
        else:
            flags += ["multiline"] if spec.lines > 1 else []
            c.acroForm.textfield(x=x, y=y, width=w, height=h, fontName="Helvetica", fontSize=8,
                                 fieldFlags=" ".join(flags), **common)  # fmt: skip
        self.drawn.append(spec.name)

    def row(self, *cells: Sequence[Part], widths: Sequence[float] = (), height: float = ROW) -> None:
        """Cells side by side; in each, labels and boxes left to right, flexible parts sharing the free width."""
        self.need(height)
        shares = widths or [1 / len(cells)] * len(cells)
        x = LEFT
        for parts, share in zip(cells, shares, strict=True):
            self.cell(parts, x, USABLE * share - (6 if x + USABLE * share < RIGHT - 1 else 0), height)
            x += USABLE * share
        self.y -= height

    def cell(self, parts: Sequence[Part], x: float, width: float, height: float) -> None:
        """One cell of a row at the cursor (the caller moves the cursor)."""
        fixed = sum(_fixed_width(p) for p in parts if not _flexible(p))
        flexible = [p for p in parts if _flexible(p)]
        free = max(width - fixed, 0) / max(len(flexible), 1)
        box_h = height - 4
        base = self.y - height + 2  # bottom of the boxes
        c = self.c
        for part in parts:
            w = free if _flexible(part) else _fixed_width(part)
            if isinstance(part, Fr):
                txt.draw(c, x, base + box_h - 10, part.text, part.size, part.bold)
            elif isinstance(part, Ar):
                txt.draw(c, x + 2, base + box_h - 10.5, part.text, part.size)
            elif isinstance(part, Box):
                if part.spec.kind is FieldKind.CHECK:
                    self._box(part.spec, x + 1, base + box_h - 11, 9, 9)
                elif part.spec.kind is FieldKind.COMB:
                    self._box(part.spec, x + 2, base + box_h - 13, part.spec.boxes * CELL, 13)
                else:
                    self._box(part.spec, x + 2, base, max(w - 4, 8), box_h)
            x += w

    def text(self, text: str, size: float = 7, color: colors.Color = INK, bold: bool = False) -> None:
        self.c.setFillColor(color)
        for line in txt.wrap(text, size, USABLE, bold):
            self.need(size + 3)
            txt.draw(self.c, LEFT, self.y - size - 1, line, size, bold)
            self.y -= size + 3
        self.c.setFillColor(INK)

    def arabic(self, text: str, size: float = 9) -> None:
        """A right-aligned Arabic paragraph, wrapped on the logical text (each line shaped on its own)."""
        for line in txt.wrap(text, size, USABLE):
            self.need(size + 5)
            txt.draw(self.c, RIGHT, self.y - size - 1, line, size, align="right")
            self.y -= size + 5

    def stamp(self, x: float, top: float, w: float, h: float, fr: str, ar: str) -> None:
        """An empty, dashed box for a cachet or a handwritten signature: never a field, nothing can be typed."""
        c = self.c
        c.setStrokeColor(GREY)
        c.setFillColor(colors.white)
        c.setDash(2, 2)
        c.rect(x, top - h, w, h, stroke=1, fill=1)
        c.setDash()
        c.setStrokeColor(INK)
        c.setFillColor(GREY)
        used = txt.draw(c, x + 3, top - 8, fr, 6.3)
        together = used + txt.width(ar, 7.5) + 12 < w
        txt.draw(c, x + w - 3, top - 9 if together else top - 17, ar, 7.5, align="right")
        c.setFillColor(INK)

    def subtitle(self, fr: str, ar: str) -> None:
        txt.draw(self.c, LEFT + 2, self.y - 9, fr, 7.2, bold=True)
        txt.draw(self.c, RIGHT - 2, self.y - 9.5, ar, 8, align="right")
        self.y -= 11

    # -- blocks shared by several forms -----------------------------------------------------------------------
    def assure(self, lien: bool) -> None:
        self.section("Partie réservée à l'assuré(e)", "خاص بالمؤمن(ة)", height=150)
        self.row([Fr("Nom et prénom :"), Box(fm.NOM_PRENOM), Ar(fm.NOM_PRENOM.label_ar)])
        self.row([Fr("Nom et prénom en arabe :"), Box(fm.NOM_PRENOM_AR), Ar(fm.NOM_PRENOM_AR.label_ar)])
        self.row(
            [Fr("N° Affiliation :"), Box(fm.AFFILIATION), Ar(fm.AFFILIATION.label_ar), Gap()],
            [Fr("N° Immatriculation :"), Box(fm.IMMATRICULATION), Ar(fm.IMMATRICULATION.label_ar), Gap()],
            widths=(0.44, 0.56),
        )
        self.text("Étudiant(e) : laissez le N° d'affiliation vide ; le N° d'immatriculation est le n° de votre CNIE.",
                  6.3, GREY)  # fmt: skip
        self.row(
            [Fr("N° CIN :"), Box(fm.CIN), Ar(fm.CIN.label_ar), Gap()],
            [Fr("Téléphone :"), Box(fm.TELEPHONE), Ar(fm.TELEPHONE.label_ar)],
            widths=(0.44, 0.56),
        )
        if lien:
            self.row([
                Fr("Lien de parenté du bénéficiaire avec l'assuré(e) * :"), Box(fm.LIEN_CONJOINT),
                Fr(fm.LIEN_CONJOINT.label), Ar(fm.LIEN_CONJOINT.label_ar), Gap(8), Box(fm.LIEN_ENFANT),
                Fr(fm.LIEN_ENFANT.label), Ar(fm.LIEN_ENFANT.label_ar), Gap(),
                Fr("(vide si vous êtes le bénéficiaire)", 6.3), Ar("صلة القرابة"),
            ], height=15)  # fmt: skip
        self.row([Fr("Adresse :"), Box(fm.ADRESSE), Ar(fm.ADRESSE.label_ar)], height=28)
        self.row(
            [Fr("Montant des frais :"), Box(fm.MONTANT_FRAIS), Fr("Dhs"), Ar(fm.MONTANT_FRAIS.label_ar)],
            [Fr("Nombre de pièces jointes :"), Box(fm.PIECES_JOINTES), Ar(fm.PIECES_JOINTES.label_ar)],
        )
        self.row([Fr("Mode de remboursement :"), Box(fm.PAIEMENT), Ar(fm.PAIEMENT.label_ar)])

    def beneficiaire(self) -> None:
        self.subtitle("Bénéficiaire de soins", "المستفيد من العلاجات")
        self.row([Fr("Nom et prénom :"), Box(fm.BENEF_NOM), Ar(fm.BENEF_NOM.label_ar)])
        self.row(
            [Fr("Date de naissance :"), Box(fm.BENEF_NAISSANCE), Ar(fm.BENEF_NAISSANCE.label_ar), Gap()],
            [Fr("N° CIN :"), Box(fm.BENEF_CIN), Ar(fm.BENEF_CIN.label_ar), Gap()],
            [Fr("Sexe * :"), Box(fm.BENEF_SEXE_M), Fr("M"), Box(fm.BENEF_SEXE_F), Fr("F"), Gap(), Ar("الجنس")],
            widths=(0.4, 0.4, 0.2),
        )

    def medecin(self, accident_box: bool = True) -> None:
        self.need(120)
        top = self.y
        self.shade(top, top - 92)
        self.beneficiaire()
        self.subtitle("Identification du médecin traitant", "تعريف الطبيب المعالج")
        self.row(
            [Fr("Nom et spécialité :"), Box(fm.MEDECIN_NOM)],
            [Fr("INP :"), Box(fm.MEDECIN_INPE), Ar(fm.MEDECIN_INPE.label_ar)],
            widths=(0.44, 0.56),
        )
        self.row(
            [Fr("Type de soins * :"), Box(fm.SOINS_MALADIE), Fr("Maladie"), Ar("مرض"), Gap(6), Box(fm.SOINS_ACCIDENT),
             Fr("Accident"), Ar("حادثة"), Gap()],
            [Fr("Pli confidentiel remis * :"), Box(fm.PLI_OUI), Fr("Oui"), Box(fm.PLI_NON), Fr("Non"), Gap(),
             Ar("تم تسليم ظرف سري")],
            widths=(0.5, 0.5), height=15,
        )  # fmt: skip

    def acts(self, note: str, cachet_label: str) -> None:
        """The acts table, the professional's from its note to its last row: grey throughout, nothing assuré-green."""
        self.need(10)
        self.shade(self.y, self.y - 10)
        self.text(note, 6.3, GREY)
        columns = fm.act_columns(self.form)
        rows = fm.act_fields(self.form)
        header_h, row_h = 26.0, 15.0
        self.need(header_h + row_h * len(rows) + 4)
        c = self.c
        stamp_share = 1 - sum(col.width for col in columns)
        top = self.y
        x = LEFT
        for col in [*columns, None]:  # every column the professional's: their band, their grey, no assuré green
            share = col.width if col else stamp_share
            w = USABLE * share
            c.setFillColor(PRO_BAND)
            c.rect(x, top - header_h, w - 1, header_h, stroke=0, fill=1)
            c.setFillColor(INK)
            fr = col.label if col else cachet_label
            for i, line in enumerate(txt.wrap(fr, 6.4, w - 4, bold=True)[:2]):
                txt.draw(c, x + 2, top - 7.5 - i * 7, line, 6.4, bold=True)
            txt.draw(c, x + w - 3, top - header_h + 3.5, col.label_ar if col else "الخاتم والتوقيع", 7, align="right")
            c.setFillColor(PRO_BG)
            c.rect(x, top - header_h - row_h * len(rows), w - 1, row_h * len(rows), stroke=0, fill=1)
            c.setFillColor(INK)
            x += w
        self.y = top - header_h
        for specs in rows:
            x = LEFT
            for spec, col in zip(specs, columns, strict=True):
                w = USABLE * col.width
                self._box(spec, x, self.y - row_h + 1, w - 3, row_h - 2)
                x += w
            c.setStrokeColor(GREY)
            c.setLineWidth(0.4)
            c.line(x, self.y - row_h, RIGHT - 1, self.y - row_h)
            c.setStrokeColor(INK)
            c.setLineWidth(1)
            self.y -= row_h
        c.setStrokeColor(GREY)
        c.setLineWidth(0.5)
        c.rect(x, self.y, RIGHT - 1 - x, top - header_h - self.y)
        c.setStrokeColor(INK)
        c.setLineWidth(1)
        self.y -= 4

    def professional(
        self, owner: Owner, title: str, arabic: str, rows: list[list[Part]], stamp: tuple[str, str]
    ) -> None:
        """A professional's block: fields on the left, the empty cachet/signature box on the right."""
        heights = [max([ROW, *(12.0 * p.spec.lines + 5 for p in parts if isinstance(p, Box))]) for parts in rows]
        height = max(sum(heights) + 4, 42)
        self.section(title, arabic, owner, height)
        top = self.y
        self.shade(top, top - height)
        stamp_w = 170
        for parts, row_h in zip(rows, heights, strict=True):
            self.cell(parts, LEFT + 2, USABLE - stamp_w - 12, row_h)
            self.y -= row_h
        self.stamp(RIGHT - stamp_w - 2, top - 2, stamp_w, height - 4, *stamp)
        self.y = top - height - 3

    def declaration(self, statement: str, statement_ar: str) -> None:
        self.section(
            "Déclaration de l'assuré(e)", "تصريح المؤمن(ة)", height=72 + 8 * len(txt.wrap(statement, 7.2, USABLE))
        )
        self.text(statement, 7.2)
        self.arabic(statement_ar, 8.5)
        self.need(46)
        top = self.y
        self.stamp(RIGHT - 200, top - 2, 200, 42, "Signature de l'assuré(e) (à la main)", "توقيع المؤمن(ة)")
        self.cell([Fr("Fait à :"), Box(fm.FAIT_A), Ar(fm.FAIT_A.label_ar)], LEFT, USABLE - 214, ROW)
        self.y -= ROW + 2
        self.cell([Fr("Le :"), Box(fm.FAIT_LE), Ar(fm.FAIT_LE.label_ar), Gap()], LEFT, USABLE - 214, ROW)
        self.y = top - 46


ATTESTE = "J'atteste sur l'honneur l'exactitude des renseignements portés ci-avant."
ATTESTE_AR = "أشهد بشرفي على صحة المعلومات المذكورة أعلاه."


def _pharmacie_labo(sheet: Sheet) -> None:
    sheet.professional(
        Owner.PHARMACIEN, "Partie réservée au pharmacien", "خاص بالصيدلي",
        [[Fr("INPE :"), Box(fm.PHARMACIEN_INPE), Gap(), Fr("Date :"), Box(fm.PHARMACIEN_DATE)],
         [Fr("Montant total des médicaments :"), Box(fm.PHARMACIEN_MONTANT), Fr("Dhs")]],
        ("Cachet et signature datée du pharmacien", "خاتم وتوقيع الصيدلي"),
    )  # fmt: skip
    sheet.professional(
        Owner.LABO, "Laboratoire d'analyses / centre de radiologie", "المختبر أو مركز الأشعة",
        [[Fr("INP du centre :"), Box(fm.LABO_INP), Gap(), Fr("Date :"), Box(fm.LABO_DATE)],
         [Fr("Montant des prestations :"), Box(fm.LABO_MONTANT), Fr("Dhs")]],
        ("Cachet et signature du centre", "خاتم وتوقيع المركز"),
    )  # fmt: skip


# The acts table is the professionals' area: the assuré(e) writes nothing in it, the acts and their total go on the
# packet's récapitulatif (docs/domain.md, "Acts, dates and amounts go on the cover's récapitulatif").
ACTS_NOTE = {
    "medecin": "Réservé au médecin : date, nature, code, montant et cachet de chaque acte.",
    "dentiste": "Réservé au chirurgien-dentiste : dents, codes, date, cotation, montant et cachet de chaque acte.",
}


def _medecin_block(sheet: Sheet, acts_title: str = "Description des actes effectués") -> None:
    sheet.section("Déclaration du médecin traitant", "تصريح الطبيب المعالج", Owner.MEDECIN, height=120)
    sheet.medecin()
    sheet.section(acts_title, "وصف الأعمال المنجزة", fm.ACT_OWNERS[sheet.form], height=60)
    sheet.acts(ACTS_NOTE["medecin"], "Signature et cachet du médecin")
    sheet.need(44)
    top = sheet.y
    sheet.shade(top, top - 42)
    sheet.cell([Fr("Date des soins :"), Box(fm.MEDECIN_DATE), Gap()], LEFT + 2, 240, ROW)
    sheet.y -= ROW + 2
    sheet.cell([Fr("Honoraires :"), Box(fm.MEDECIN_HONORAIRES), Fr("Dhs")], LEFT + 2, 240, ROW)
    sheet.stamp(RIGHT - 272, top - 2, 270, 38, "Cachet et signature du médecin traitant", "خاتم وتوقيع الطبيب المعالج")
    sheet.y = top - 45


def draw_maladie(sheet: Sheet) -> None:
    sheet.header()
    sheet.assure(lien=True)
    _medecin_block(sheet)
    _pharmacie_labo(sheet)
    sheet.declaration(ATTESTE, ATTESTE_AR)


def draw_ald(sheet: Sheet) -> None:
    sheet.header()
    sheet.assure(lien=True)
    sheet.row(
        [Fr("Code de l'ALD :", bold=True), Box(fm.ALD_CODE), Ar(fm.ALD_CODE.label_ar)],
        [Fr("N° de l'accord :", bold=True), Box(fm.ALD_ACCORD), Ar(fm.ALD_ACCORD.label_ar)],
    )
    sheet.text("Depuis janvier 2024 : indiquez le code de l'ALD et le numéro de l'accord figurant sur la décision "
               "d'exonération du ticket modérateur (plus besoin d'en joindre la copie).", 6.3, GREY)  # fmt: skip
    _medecin_block(sheet, "Description des actes et traitements liés à l'ALD")
    _pharmacie_labo(sheet)
    sheet.declaration(ATTESTE, ATTESTE_AR)


def draw_dentaire(sheet: Sheet) -> None:
    sheet.header()
    top = sheet.y
    sheet.shade(top, top - ROW)
    sheet.row([Box(fm.DENT_ENTENTE), Fr(fm.DENT_ENTENTE.label), Ar(fm.DENT_ENTENTE.label_ar), Gap(14),
               Box(fm.DENT_EXECUTION), Fr(fm.DENT_EXECUTION.label), Ar(fm.DENT_EXECUTION.label_ar), Gap(),
               Fr("(à cocher par le praticien)", 6.3)])  # fmt: skip
    sheet.y -= 2
    sheet.assure(lien=True)
    sheet.row(
        [Fr("N° d'entente préalable :"), Box(fm.DENT_ENTENTE_NO), Ar(fm.DENT_ENTENTE_NO.label_ar), Gap()],
        [Fr("Accident : date"), Box(fm.DENT_ACCIDENT_DATE), Ar(fm.DENT_ACCIDENT_DATE.label_ar), Gap()],
        widths=(0.5, 0.5),
    )
    sheet.row([Fr("Circonstances de l'accident :"), Box(fm.DENT_ACCIDENT_CIRC), Ar(fm.DENT_ACCIDENT_CIRC.label_ar)])
    sheet.section("Chirurgien-dentiste", "جراح الأسنان", Owner.DENTISTE, height=110)
    top = sheet.y
    sheet.shade(top, top - 100)
    sheet.beneficiaire()
    sheet.row(
        [Fr("INPE :"), Box(fm.DENT_INPE), Ar(fm.DENT_INPE.label_ar), Gap()],
        [Fr("ICE :"), Box(fm.DENT_ICE), Ar(fm.DENT_ICE.label_ar)],
        widths=(0.4, 0.6),
    )
    sheet.row(
        [Fr("Type de soins * :"), Box(fm.DENT_SOINS), Fr(fm.DENT_SOINS.label), Ar(fm.DENT_SOINS.label_ar), Gap(6),
         Box(fm.DENT_PROTHESE), Fr(fm.DENT_PROTHESE.label), Ar(fm.DENT_PROTHESE.label_ar), Gap()],
        [Box(fm.DENT_ODF), Fr(fm.DENT_ODF.label), Ar(fm.DENT_ODF.label_ar), Gap(6), Box(fm.DENT_AUTRES),
         Fr(fm.DENT_AUTRES.label), Ar(fm.DENT_AUTRES.label_ar), Gap()],
        widths=(0.5, 0.5), height=15,
    )  # fmt: skip
    sheet.y -= 12
    sheet.section("Actes effectués", "الأعمال المنجزة", fm.ACT_OWNERS[sheet.form], height=160)
    sheet.acts(ACTS_NOTE["dentiste"], "Signature et cachet du chirurgien-dentiste")
    _tooth_chart(sheet)
    sheet.need(50)
    top = sheet.y
    sheet.stamp(LEFT, top, USABLE * 0.6 - 6, 46, "Cachet et signature du chirurgien-dentiste (INPE, ICE)",
                "خاتم وتوقيع جراح الأسنان")  # fmt: skip
    sheet.stamp(LEFT + USABLE * 0.6, top, USABLE * 0.4, 46, "Réservé à la CNOPS : dépôt (agent, date)",
                "خاص بالصندوق")  # fmt: skip
    sheet.y = top - 50
    sheet.declaration(ATTESTE, ATTESTE_AR)


def _tooth_chart(sheet: Sheet) -> None:
    """FDI numbering (the notation both dental apps in FORMS.md use); the dentist marks the teeth treated."""
    sheet.need(48)
    c = sheet.c
    top = sheet.y
    sheet.shade(top, top - 44)
    txt.draw(c, LEFT + 2, top - 9, "Schéma dentaire", 6.8, bold=True)
    txt.draw(c, LEFT + 2, top - 20, "مخطط الأسنان", 7.5)
    txt.draw(c, LEFT + 2, top - 30, "(praticien)", 6)
    quadrants = ([18, 17, 16, 15, 14, 13, 12, 11], [21, 22, 23, 24, 25, 26, 27, 28],
                 [48, 47, 46, 45, 44, 43, 42, 41], [31, 32, 33, 34, 35, 36, 37, 38])  # fmt: skip
    w, h = 13.5, 13.0
    x0 = LEFT + 80
    c.setStrokeColor(GREY)
    c.setLineWidth(0.5)
    for q, teeth in enumerate(quadrants):
        for i, tooth in enumerate(teeth):
            x = x0 + (q % 2) * (8 * w + 8) + i * w
            y = top - 6 - h - (q // 2) * (h + 4)
            c.setFillColor(colors.white)
            c.rect(x, y, w, h, fill=1)
            c.setFillColor(GREY)
            c.drawCentredString(x + w / 2, y + 3.5, str(tooth))
    c.setFillColor(INK)
    c.setStrokeColor(INK)
    c.line(x0 + 8 * w + 4, top - 4, x0 + 8 * w + 4, top - 40)
    c.setLineWidth(1)
    sheet.y = top - 47


def draw_exoneration(sheet: Sheet) -> None:
    sheet.header()
    sheet.assure(lien=False)
    sheet.section("Affection de longue durée ou coûteuse concernée (cocher une case)",
                  "لائحة الأمراض طويلة الأمد أو المكلفة", height=260)  # fmt: skip
    specs = fm.ALD_CHOICES
    half = (len(specs) + 1) // 2
    col_w = USABLE / 2
    size = 6.7
    columns = [specs[:half], specs[half:]]
    heights = [[len(txt.wrap(s.label, size, col_w - 18)) * (size + 1.4) + 1.6 for s in col]
               for col in columns]  # fmt: skip
    sheet.need(max(sum(h) for h in heights) + 4)
    top = sheet.y
    c = sheet.c
    for k, col in enumerate(columns):
        y = top
        x = LEFT + k * col_w
        for spec, h in zip(col, heights[k], strict=True):
            sheet._box(spec, x + 1, y - 8.4, 7.5, 7.5)
            for i, line in enumerate(txt.wrap(spec.label, size, col_w - 18)):
                txt.draw(c, x + 12, y - 7.4 - i * (size + 1.4), line, size)
            y -= h
    sheet.y = top - max(sum(h) for h in heights) - 4
    sheet.text("Liste des 42 affections de longue durée ou coûteuses (ALD-ALC) ouvrant droit à l'exonération.",
               6.3, GREY)  # fmt: skip
    sheet.professional(
        Owner.MEDECIN, "Partie réservée au médecin traitant", "خاص بالطبيب المعالج",
        [[Fr("Date de début de l'affection :"), Box(fm.EXO_DEBUT), Gap()],
         [Fr("Diagnostic :"), Box(fm.EXO_DIAGNOSTIC)],
         [Fr("Traitement proposé et durée :"), Box(fm.EXO_TRAITEMENT)],
         [Fr("INPE :"), Box(fm.EXO_INPE), Gap(), Fr("Date :"), Box(fm.EXO_DATE)]],
        ("Cachet et signature du médecin traitant", "خاتم وتوقيع الطبيب المعالج"),
    )  # fmt: skip
    sheet.section("Avis du médecin contrôleur", "رأي الطبيب المراقب", Owner.CNOPS, height=30)
    top = sheet.y
    sheet.stamp(LEFT, top, USABLE, 28, "Décision (accord / refus, code ALD, durée), date et signature",
                "القرار والتاريخ والتوقيع")  # fmt: skip
    sheet.y = top - 32
    sheet.declaration(
        ATTESTE + " Je demande l'exonération du ticket modérateur pour l'affection cochée.",
        ATTESTE_AR + " وأطلب الإعفاء من الجزء المتبقي على عاتقي بالنسبة للمرض المشار إليه.",
    )


def draw_accident(sheet: Sheet) -> None:
    sheet.header()
    sheet.assure(lien=False)
    sheet.section("L'accident", "الحادثة", height=150)
    sheet.row(
        [Fr("Date de l'accident :"), Box(fm.ACC_DATE), Ar(fm.ACC_DATE.label_ar), Gap()],
        [Fr("Heure :"), Box(fm.ACC_HEURE), Ar(fm.ACC_HEURE.label_ar)],
        widths=(0.62, 0.38),
    )
    sheet.row([Fr("Lieu de l'accident :"), Box(fm.ACC_LIEU), Ar(fm.ACC_LIEU.label_ar)])
    sheet.row([Fr("Circonstances :"), Box(fm.ACC_CIRC), Ar(fm.ACC_CIRC.label_ar)], height=52)
    sheet.row([Fr("Un tiers est-il responsable de l'accident ?"), Box(fm.ACC_TIERS_OUI), Fr("Oui"),
               Box(fm.ACC_TIERS_NON), Fr("Non"), Gap(), Ar("هل الحادثة من مسؤولية الغير؟")], height=15)  # fmt: skip
    sheet.row([Fr("Si oui, nom et adresse du tiers :"), Box(fm.ACC_TIERS), Ar(fm.ACC_TIERS.label_ar)])
    sheet.row(
        [Fr("Son assurance :"), Box(fm.ACC_ASSUREUR), Ar(fm.ACC_ASSUREUR.label_ar)],
        [Fr("N° de police :"), Box(fm.ACC_POLICE), Ar(fm.ACC_POLICE.label_ar)],
        widths=(0.6, 0.4),
    )
    sheet.row([Fr("Un procès-verbal ou un constat a-t-il été établi ?"), Box(fm.ACC_PV_OUI), Fr("Oui"),
               Box(fm.ACC_PV_NON), Fr("Non"), Gap(), Ar("هل تم تحرير محضر أو معاينة؟")], height=15)  # fmt: skip
    sheet.text("Si un tiers est responsable, joignez aussi l'engagement à restituer les montants remboursés.",
               6.3, GREY)  # fmt: skip
    constat, inpe, date = fm.ACC_MEDECIN
    sheet.professional(
        Owner.MEDECIN, "Constatations du médecin", "معاينة الطبيب",
        [[Fr("Lésions constatées :"), Box(constat)],
         [Fr("INPE :"), Box(inpe), Gap(), Fr("Date :"), Box(date)]],
        ("Cachet et signature du médecin", "خاتم وتوقيع الطبيب"),
    )  # fmt: skip
    sheet.declaration(
        "Je certifie sur l'honneur l'exactitude des renseignements ci-dessus et m'engage à informer la CNOPS de "
        "toute indemnisation reçue d'un tiers pour cet accident.",
        "أشهد بشرفي على صحة المعلومات المذكورة أعلاه وألتزم بإخبار الصندوق بكل تعويض أتوصل به من الغير عن هذه الحادثة.",
    )


def draw_engagement(sheet: Sheet) -> None:
    sheet.header()
    sheet.assure(lien=False)
    sheet.section("Accident assuré par un tiers", "حادثة يتحمل مسؤوليتها الغير", height=70)
    sheet.row([Fr("Date de l'accident :"), Box(fm.ENG_DATE), Ar(fm.ENG_DATE.label_ar), Gap()])
    sheet.row([Fr("Tiers responsable :"), Box(fm.ENG_TIERS), Ar(fm.ENG_TIERS.label_ar)])
    sheet.row(
        [Fr("Compagnie d'assurance du tiers :"), Box(fm.ENG_ASSUREUR), Ar(fm.ENG_ASSUREUR.label_ar)],
        [Fr("N° de police / de sinistre :"), Box(fm.ENG_POLICE)],
        widths=(0.6, 0.4),
    )
    sheet.section("Engagement", "التزام", height=80)
    sheet.text(
        "Je soussigné(e), assuré(e) désigné(e) ci-dessus, m'engage à restituer à la CNOPS les montants qu'elle m'aura "
        "remboursés au titre des soins consécutifs à l'accident décrit ci-dessus, dès que le tiers responsable ou son "
        "assurance m'aura indemnisé(e) pour ces mêmes frais.",
        8,
    )
    sheet.y -= 4
    sheet.arabic(
        "أنا الموقع(ة) أسفله، المؤمن(ة) المذكور(ة) أعلاه، ألتزم بأن أرجع إلى الصندوق المبالغ التي عوضني عنها برسم "
        "العلاجات الناتجة عن الحادثة المذكورة أعلاه، بمجرد تعويضي عن نفس المصاريف من طرف الغير المسؤول أو شركة تأمينه.",
        9.5,
    )
    sheet.y -= 6
    sheet.declaration("Signature précédée de la mention manuscrite « Lu et approuvé ».",
                      "يسبق التوقيع عبارة «قرأت وصادقت» بخط اليد.")  # fmt: skip


DRAWERS: dict[FormId, Callable[[Sheet], None]] = {
    FormId.MALADIE: draw_maladie,
    FormId.DENTAIRE: draw_dentaire,
    FormId.ALD: draw_ald,
    FormId.EXONERATION: draw_exoneration,
    FormId.ACCIDENT: draw_accident,
    FormId.ENGAGEMENT: draw_engagement,
}


FONTS = (SANS, BOLD, ARABIC)
Charset = dict[str, str]


def _chars_used(canvas: Canvas) -> dict[str, set[int]]:
    """Characters each embedded font was asked for while drawing (reportlab's per-document subset state)."""
    doc = canvas._doc  # reportlab keeps subset assignments per document, keyed by this object
    return {name: set(pdfmetrics.getFont(name).state[doc].assignments) for name in FONTS if doc in
            pdfmetrics.getFont(name).state}  # fmt: skip


def draw(form: FormId, out: Path | io.BytesIO, charset: Charset | None = None) -> dict[str, set[int]]:
    """One template; refuses to write it if it does not hold exactly the map's fields. Returns the characters
    each font was asked for.

    `charset` primes every font with the same characters in the same order before drawing, so all six templates
    embed byte-identical font subsets, which a packet holding several forms then stores once (pdf_forms).
    """
    canvas = Canvas(out if isinstance(out, io.BytesIO) else str(out), pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(fm.FORM_TITLES[form][0])
    canvas.setAuthor("claimkit")
    canvas.setSubject(f"Modèle claimkit d'après la feuille CNOPS — version {fm.FORM_VERSIONS[form]}")
    for name, chars in (charset or {}).items():
        pdfmetrics.getFont(name).splitString(chars, canvas._doc)
    sheet = Sheet(canvas, form)
    DRAWERS[form](sheet)
    sheet.footer()
    canvas.showPage()
    expected = fm.field_names(form)
    if sorted(sheet.drawn) != sorted(expected):
        missing, extra = set(expected) - set(sheet.drawn), set(sheet.drawn) - set(expected)
        raise SystemExit(f"{form.value}: fields differ from the map (missing {sorted(missing)}, extra {sorted(extra)})")
    used = _chars_used(canvas)  # read before save(): reportlab drops the document's subset state there
    canvas.save()
    return used


def shared_charset() -> Charset:
    """A first pass over all forms: the union of the characters each font needs, in code point order."""
    used: dict[str, set[int]] = {name: set() for name in FONTS}
    for form in FormId:
        for name, codes in draw(form, io.BytesIO()).items():
            used[name] |= codes
    return {name: "".join(chr(code) for code in sorted(codes) if code > 32) for name, codes in used.items()}


def main(out: Path = OUT) -> list[Path]:
    register()
    charset = shared_charset()
    paths = []
    for form in FormId:
        path = out / f"{form.value}.pdf"
        draw(form, path, charset)
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in main():
        print(written.relative_to(ROOT) if written.is_relative_to(ROOT) else written)
