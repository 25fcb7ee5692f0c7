"""The ready-to-post packet: cover sheet, the flattened forms, the medicines sheet and an address label.

Every page claimkit draws itself, and every form overlay, goes on ONE reportlab canvas, so each font subset is
embedded once per packet; pypdf then lays the form overlays over the widget-free templates (pdf_forms). The
layout holds no rule: all texts arrive computed in PacketData (claimkit.domain.packet).

The packet speaks the student's language (PacketData.locale): its own labels go through the same catalogues as the
pages, and an Arabic packet sets the student's instructions right-aligned, right to left. What the CNOPS agent or
the post office reads stays French: the identity block, the insurer's address, "RECOMMANDÉ", the sender label.
"""

import io
from collections.abc import Mapping

from pypdf import PdfReader, PdfWriter
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode import createBarcodeDrawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from claimkit.adapters import pdf_text as txt
from claimkit.adapters.fonts import SANS, register
from claimkit.adapters.l10n import language, translations
from claimkit.adapters.pdf_forms import draw_form_overlays, merge_under
from claimkit.domain.forms import FORM_TITLES, FormId
from claimkit.domain.messages import N_
from claimkit.domain.packet import PacketData
from claimkit.domain.schemes import Scheme
from claimkit.domain.sheets import guided, sheet_sources

WIDTH, HEIGHT = float(A4[0]), float(A4[1])
MARGIN = 15 * 72 / 25.4  # inside every office printer's unprintable border
LEFT, RIGHT, TOP, BOTTOM = MARGIN, WIDTH - MARGIN, HEIGHT - MARGIN, MARGIN
USABLE = RIGHT - LEFT
INK = colors.HexColor("#111111")
GREY = colors.HexColor("#5f6368")
PANEL = colors.HexColor("#f1f3f4")
WARN = colors.HexColor("#fff3cd")
MISSING = colors.HexColor("#9b1c1c")
ARABIC_SCALE = 1.15  # Naskh letters look smaller than DejaVu's at the same size: an Arabic page enlarges them

Plan = list[tuple[FormId, int] | None]


def _ean13_valid(code: str) -> bool:
    """Only a well-formed code is redrawn: a barcode regenerated from a wrong check digit would lie."""
    if len(code) != 13 or not code.isdigit():
        return False
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code[:12]))
    return (10 - total % 10) % 10 == int(code[12])


class _Pages:
    """A cursor over claimkit's own pages, with a running footer naming the student (pages get separated).

    Texts in the student's language start at the `start` edge: the left one, or the right one when `rtl`.
    """

    def __init__(self, canvas: Canvas, data: PacketData, plan: Plan, sheets: Mapping[FormId, bytes]) -> None:
        self.c, self.data, self.plan, self.sheets = canvas, data, plan, sheets
        self.y: float = TOP
        self.rtl = language(data.locale).rtl
        self.gettext = translations(data.locale).gettext
        self.align: txt.Align = "right" if self.rtl else "left"
        self.scale = ARABIC_SCALE if self.rtl else 1.0

    def start(self, indent: float = 0.0) -> float:
        """The x of the start edge of a line, `indent` inside the margin."""
        return RIGHT - indent if self.rtl else LEFT + indent

    def say(self, x: float, y: float, text: str, size: float, bold: bool = False) -> float:
        """A text in the student's language from x towards the end edge; returns its width."""
        return txt.draw(self.c, x, y, text, size, bold, self.align, self.scale, self.rtl)

    def wrap(self, text: str, size: float, max_width: float, bold: bool = False) -> list[str]:
        return txt.wrap(text, size, max_width, bold, self.scale, self.rtl)

    def footer(self) -> None:
        _ = self.gettext
        self.c.setFillColor(GREY)
        who = _("Dossier de %(name)s — CNIE %(cnie)s — %(title)s") % {
            "name": self.data.student_name,
            "cnie": self.data.student_cnie,
            "title": self.data.claim_title,
        }
        prepared = _("préparé le %(date)s avec claimkit") % {"date": f"{self.data.today:%d/%m/%Y}"}
        self.say(self.start(), BOTTOM - 14, who, 6.8)
        end: txt.Align = "left" if self.rtl else "right"
        txt.draw(self.c, LEFT if self.rtl else RIGHT, BOTTOM - 14, prepared, 6.8, False, end, self.scale, self.rtl)
        self.c.setFillColor(INK)

    def end_page(self) -> None:
        self.footer()
        self.c.showPage()
        self.plan.append(None)
        self.y = TOP

    def need(self, height: float) -> bool:
        """Starts a new page when `height` does not fit; says whether it did."""
        if self.y - height >= BOTTOM:
            return False
        self.end_page()
        return True

    def line(self, text: str, size: float = 9.5, bold: bool = False, indent: float = 0.0, gap: float = 3.5) -> None:
        """A paragraph in the student's language, wrapped, from the start edge."""
        for part in self.wrap(text, size, USABLE - indent, bold):
            self.need(size + gap)
            self.say(self.start(indent), self.y - size, part, size, bold)
            self.y -= size + gap

    def heading(self, text: str, arabic: str = "", size: float = 11.5) -> None:
        """`text` in the student's language; a French page also shows the `arabic` sub-heading at the right."""
        self.need(size + 30)
        self.y -= 6
        self.say(self.start(), self.y - size, text, size, bold=True)
        if arabic and not self.rtl:
            txt.draw(self.c, RIGHT, self.y - size, arabic, size, align="right")
        self.y -= size + 6

    def panel(self, height: float, color: colors.Color = PANEL) -> float:
        """A rounded background of `height` from the cursor; returns its top."""
        self.need(height)
        self.c.setFillColor(color)
        self.c.roundRect(LEFT, self.y - height, USABLE, height, 5, stroke=0, fill=1)
        self.c.setFillColor(INK)
        return self.y


def _tick_box(canvas: Canvas, x: float, y: float, ticked: bool, size: float = 9) -> None:
    canvas.setLineWidth(0.8)
    canvas.rect(x, y, size, size)
    if ticked:
        canvas.setLineWidth(1.4)
        path = canvas.beginPath()
        path.moveTo(x + size * 0.18, y + size * 0.5)
        path.lineTo(x + size * 0.42, y + size * 0.2)
        path.lineTo(x + size * 0.85, y + size * 0.85)
        canvas.drawPath(path, stroke=1, fill=0)
    canvas.setLineWidth(1)


def _rights(pages: _Pages) -> None:
    """The AMO-E rights warnings judged on the date of care (docs/domain.md#advice-contacts-and-the-students-status),
    right under the deadline: the student checks them before posting."""
    if not pages.data.rights_warnings:
        return
    pages.heading(pages.gettext("À vérifier avant d'envoyer : vos droits le jour des soins"), "حقوقكم يوم العلاج")
    pages.c.setFillColor(MISSING)
    for warning in pages.data.rights_warnings:  # one bullet each: two warnings must not read as one paragraph
        pages.line("• " + warning, 9, indent=8)
        pages.y -= 2
    pages.c.setFillColor(INK)


def _cover(pages: _Pages) -> None:
    """The first page, panel by panel, in the order the student reads it before posting."""
    panels = (_cover_title, _assure_panel, _summary_panel, _deadline_panel, _rights, _checklist_panel)
    for panel in (*panels, _forms_and_estimate, _before_sending, _send_to):
        panel(pages)
    pages.end_page()


def _cover_title(pages: _Pages) -> None:
    c, data, _ = pages.c, pages.data, pages.gettext
    amo_e = data.scheme is Scheme.AMO_E  # law 54-23: after the cut-over the file goes to the CNSS
    title = _("Dossier de remboursement AMO-E") if amo_e else _("Dossier de remboursement AMO (CNSS)")
    pages.say(pages.start(), pages.y - 18, title, 17, bold=True)
    if pages.rtl:  # the French title too, for the agent
        french = "Dossier de remboursement AMO-E" if amo_e else "Dossier de remboursement AMO (CNSS)"
        txt.draw(c, LEFT, pages.y - 18, french, 12.5, bold=True)
    else:  # the Arabic sub-title shrinks to the room the French title leaves (the CNSS title is longer)
        arabic, room = "ملف طلب استرجاع المصاريف", USABLE - txt.width(title, 17, bold=True) - 12
        txt.draw(c, RIGHT, pages.y - 18, arabic, txt.fitting_size(arabic, 12.5, room), align="right")
    pages.y -= 26
    pages.line(data.claim_title, 12.5, bold=True)
    c.setFillColor(GREY)
    prepared = _("Préparé le %(date)s. Gardez une photocopie de tout ce que vous envoyez.")
    pages.line(prepared % {"date": f"{data.today:%d/%m/%Y}"}, 8.5)
    c.setFillColor(INK)


def _assure_panel(pages: _Pages) -> None:
    """The assuré(e), as written on the forms: the parent under law 54-23's ayant-droit scheme."""
    c, data, _ = pages.c, pages.data, pages.gettext
    details = "    ·    ".join(
        d for d in (f"Tél. : {data.student_phone}" if data.student_phone else "", data.payout) if d
    )
    if data.parent_signs:
        heading, name, name_ar = N_("ASSURÉ(E) : LE PARENT (CNSS)"), data.assure_name, ""
        lines = [
            f"N° d'immatriculation : {data.assure_immatriculation}  ·  N° CIN : {data.assure_cin}  ·  "
            "Lien de parenté : Enfant",
            *(["Adresse : " + ", ".join(data.assure_address)] if data.assure_address else []),
            f"Bénéficiaire (l'enfant, étudiant(e)) : {data.student_name}  ·  CIN : {data.student_cnie}",
            *([details] if details else []),
        ]
    else:
        heading, name, name_ar = N_("ÉTUDIANT(E) ASSURÉ(E)"), data.student_name, data.student_name_ar
        lines = [
            f"N° d'immatriculation (= n° de CNIE) : {data.student_cnie}  ·  N° d'affiliation : à laisser vide",
            *(["Adresse : " + ", ".join(data.student_address)] if data.student_address else []),
            *([details] if details else []),
        ]
    wrapped = [part for line in lines for part in txt.wrap(line, 9.5, USABLE - 16)]
    height = 40 + 13 * len(wrapped)
    top = pages.panel(height)
    c.setFillColor(GREY)
    txt.draw(c, LEFT + 8, top - 13, heading, 7, bold=True)
    if pages.rtl:
        pages.say(RIGHT - 8, top - 13, _(heading), 7)
    c.setFillColor(INK)
    txt.draw(c, LEFT + 8, top - 28, name, 12.5, bold=True)
    if name_ar:
        txt.draw(c, RIGHT - 8, top - 28, name_ar, 12.5, align="right", arabic_scale=1.2)
    for i, line in enumerate(wrapped):
        txt.draw(c, LEFT + 8, top - 43 - 13 * i, line, 9.5)
    pages.y = top - height - 8


def _summary_panel(pages: _Pages) -> None:
    """The acts, dates and amounts: here, never in the sheet's acts table."""
    if pages.data.claim_summary:
        pages.heading(pages.gettext("Récapitulatif des soins déclarés"), "ملخص العلاجات")
        for summary in pages.data.claim_summary:
            pages.line(summary, 9.5, indent=8)


def _deadline_panel(pages: _Pages) -> None:
    """The deadline, the one thing not to miss."""
    data = pages.data
    pages.y -= 6
    deadline_lines = [data.deadline_text, *([data.posting_text] if data.posting_text else [])]
    top = pages.panel(14 + 17 * len(deadline_lines), WARN)
    pages.y -= 8
    for i, text in enumerate(deadline_lines):
        pages.say(pages.start(10), pages.y - 12, text, 12 if i == 0 else 10.5, bold=i == 0)
        pages.y -= 17
    pages.y = top - 14 - 17 * len(deadline_lines) - 4


def _checklist_panel(pages: _Pages) -> None:
    c, data, _ = pages.c, pages.data, pages.gettext
    pages.heading(_("Pièces à mettre dans l'enveloppe (originaux)"), "الوثائق المرفقة")
    for item in data.checklist:
        pages.need(15)
        _tick_box(c, RIGHT - 17 if pages.rtl else LEFT + 8, pages.y - 10, item.ticked)
        used = pages.say(pages.start(24), pages.y - 9, item.label, 9.5)
        if item.ticked and item.documents is not None:  # how many of it go in the envelope
            used += 4 + pages.say(pages.start(28 + used), pages.y - 9, f"× {item.documents}", 9.5, bold=True)
        status = "" if item.required else " " + _("(recommandé)")
        if item.required and not item.ticked:
            status = " — " + _("manquant")
            c.setFillColor(MISSING)
        pages.say(pages.start(24 + used), pages.y - 9, status, 8.5)
        c.setFillColor(INK)
        pages.y -= 15
    pages.line(
        _("Nombre de pièces jointes (écrit sur la feuille) : %(num)d") % {"num": data.attachments}, 9.5, indent=8
    )


def _forms_and_estimate(pages: _Pages) -> None:
    """What each form of the claim is in this packet, then the estimate line by line, with its basis."""
    data, _ = pages.data, pages.gettext
    for form, _values in data.forms:
        # an Arabic page names each form by the Arabic title printed on the form itself
        title = FORM_TITLES[form][1] if pages.rtl else _(FORM_TITLES[form][0])
        if form in pages.sheets:
            said = _("%(title)s : feuille officielle, partie assuré(e) remplie (pages suivantes).")
        else:
            said = _("%(title)s : feuille officielle à vous procurer, voir la page « où la trouver ».")
        pages.y -= 2
        pages.line(said % {"title": title}, 8.8, indent=8)
    if data.estimate_text:
        pages.y -= 2
        pages.line(data.estimate_text, 9, indent=8)
        for estimate_line in data.estimate_lines:
            pages.line(estimate_line, 8, indent=16)


def _before_sending(pages: _Pages) -> None:
    data, _ = pages.data, pages.gettext
    pages.heading(_("Avant d'envoyer"), "قبل الإرسال")
    steps = (
        _(
            "Faites remplir, cacheter et signer les parties réservées : médecin (INPE, date, honoraires), pharmacien, "
            "laboratoire ou centre de radiologie. claimkit ne signe pour personne."
        ),
        _(
            "Faites vérifier la partie assuré(e) par votre parent : c'est lui ou elle, l'assuré(e), qui date et "
            "signe la déclaration de l'assuré(e) à la main."
        )
        if data.parent_signs
        else _("Vérifiez la partie assuré(e), puis datez et signez-la à la main."),
        _("Joignez les originaux cochés ci-dessus (ordonnances, factures, résultats, vignettes)."),
        _("Photocopiez le tout, puis envoyez en recommandé avant la date limite et notez le n° de recommandé."),
    )
    for number, step in enumerate(steps, 1):
        for i, part in enumerate(pages.wrap(step, 9, USABLE - 24)):
            pages.need(12)
            if i == 0:
                pages.say(pages.start(8), pages.y - 9, txt.step_number(number, pages.rtl), 9)
            pages.say(pages.start(20), pages.y - 9, part, 9)
            pages.y -= 11.5


def _send_to(pages: _Pages) -> None:
    """The insurer's address, boxed: what goes on the envelope."""
    c, data = pages.c, pages.data
    pages.heading(pages.gettext("À envoyer en recommandé à :"))
    lines = [*txt.wrap(data.insurer_name, 12, USABLE - 30, bold=True), *data.insurer_address]
    top = pages.panel(16 + 16 * len(lines))
    c.setLineWidth(1.2)
    c.roundRect(LEFT, pages.y - 16 - 16 * len(lines), USABLE, 16 + 16 * len(lines), 5, stroke=1, fill=0)
    c.setLineWidth(1)
    pages.y -= 8
    for i, text in enumerate(lines):
        txt.draw(c, LEFT + 14, pages.y - 12, text, 12, bold=i < len(lines) - len(data.insurer_address))
        pages.y -= 16
    pages.y = top - 16 - 16 * len(lines)


MED_COLUMNS = (  # (title, width, alignment, translated): the codes EAN-13, PPV and PBR read the same in Arabic
    (N_("Médicament"), 128.0, "left", True),
    ("EAN-13", 70.0, "left", False),
    ("PPV", 52.0, "right", False),
    ("PBR", 52.0, "right", False),
    (N_("Qté"), 26.0, "center", True),
    (N_("Estimé"), 56.0, "right", True),
    (N_("Code-barres"), 0.0, "left", True),  # the rest
)
ROW_H = 50.0


def _medicines_header(pages: _Pages) -> list[float]:
    c = pages.c
    xs, x = [], LEFT
    c.setFillColor(PANEL)
    c.rect(LEFT, pages.y - 16, USABLE, 16, stroke=0, fill=1)
    c.setFillColor(INK)
    for title, width, align, translated in MED_COLUMNS:
        w = width or RIGHT - x
        xs.append(x)
        anchor = {"left": x + 3, "right": x + w - 3, "center": x + w / 2}[align]
        text = pages.gettext(title) if translated else title
        txt.draw(c, anchor, pages.y - 11, text, 8, True, align, pages.scale, pages.rtl)  # type: ignore[arg-type]
        x += w
    pages.y -= 18
    return xs


def _medicines(pages: _Pages) -> None:
    c, data, _ = pages.c, pages.data, pages.gettext
    pages.say(pages.start(), pages.y - 16, _("Médicaments et codes-barres"), 16, bold=True)
    if pages.rtl:  # the French title too: the agent types from this sheet
        txt.draw(c, LEFT, pages.y - 16, "Médicaments et codes-barres", 13, bold=True)
    else:
        txt.draw(c, RIGHT, pages.y - 16, "الأدوية", 13, align="right")
    pages.y -= 26
    c.setFillColor(GREY)
    for note in (
        _(
            "PPV : prix public de vente · PBR : prix base de remboursement (prix indicatifs) · Estimé : remboursement "
            "estimé, à titre indicatif (la CNOPS décide)."
        ),
        _(
            "Les codes-barres dessinés ici sont une aide à la lecture, refaits d'après les codes saisis : ils ne "
            "remplacent pas les vignettes. Joignez les codes-barres découpés sur les boîtes (ou les boîtes)."
        ),
    ):
        pages.line(note, 8, gap=2)
    c.setFillColor(INK)
    pages.y -= 4
    xs = _medicines_header(pages)
    for med in data.medicines:
        if pages.need(ROW_H):
            xs = _medicines_header(pages)
        top = pages.y
        cell = MED_COLUMNS[0][1] - 6
        names = txt.wrap(med.name, 8.8, cell, bold=True)[: 2 if med.detail else 3]
        for i, line in enumerate(names):
            txt.draw(c, xs[0] + 3, top - 12 - i * 10.5, line, 8.8, bold=True)
        c.setFillColor(GREY)  # strength and DCI under the name, within the row (ROW_H)
        for i, line in enumerate(txt.wrap(med.detail, 7.2, cell)[: 4 - len(names)]):
            txt.draw(c, xs[0] + 3, top - 12 - len(names) * 10.5 - i * 8.6, line, 7.2)
        c.setFillColor(INK)
        txt.draw(c, xs[1] + 3, top - 12, med.ean13 or "—", 8)
        for column, value in ((2, med.ppv), (3, med.pbr), (5, med.refund)):
            cell = MED_COLUMNS[column][1] - 6
            txt.draw(c, xs[column] + cell + 3, top - 12, value, txt.fitting_size(value, 8.8, cell), align="right")
        txt.draw(c, xs[4] + MED_COLUMNS[4][1] / 2, top - 12, str(med.quantity), 8.8, align="center")
        if _ean13_valid(med.ean13):
            drawing = createBarcodeDrawing(
                "EAN13",
                value=med.ean13[:12],
                barHeight=30,
                barWidth=1.0,
                fontName=SANS,
                fontSize=7.5,
                humanReadable=True,
            )
            renderPDF.draw(drawing, c, RIGHT - drawing.width, top - ROW_H + 8)
        else:
            c.setFillColor(GREY)
            note = _("code-barres inconnu") if not med.ean13 else _("code non valide : vérifiez les chiffres")
            if pages.rtl:  # right-aligned, wrapped inside the barcode column
                for i, part in enumerate(pages.wrap(note, 8, RIGHT - xs[6] - 6)):
                    pages.say(RIGHT - 3, top - 12 - i * 10, part, 8)
            else:
                txt.draw(c, xs[6] + 3, top - 12, note, 8)
            c.setFillColor(INK)
        c.setStrokeColor(colors.lightgrey)
        c.line(LEFT, top - ROW_H, RIGHT, top - ROW_H)
        c.setStrokeColor(INK)
        pages.y -= ROW_H
    pages.y -= 8
    if data.estimate_text:
        pages.line(data.estimate_text, 9.5, bold=True)
    pages.end_page()


def _cut_box(canvas: Canvas, x: float, y: float, w: float, h: float) -> None:
    canvas.setStrokeColor(GREY)
    canvas.setDash(4, 3)
    canvas.rect(x, y, w, h)
    canvas.setDash()
    canvas.setStrokeColor(INK)


def _label(pages: _Pages) -> None:
    """Top third: a DL panel whose address sits where a right-window DL envelope (window 100 × 45 mm, 20 mm
    from the right and 15 mm from the bottom) shows it once the page is folded in three; the same box, dashed,
    is a label to cut out for any DL or C5 envelope."""
    c, data, _ = pages.c, pages.data, pages.gettext
    sender = [data.student_name, *data.student_address]
    c.setFillColor(GREY)
    txt.draw(c, LEFT, TOP - 4, "Expéditeur :", 7.5)
    c.setFillColor(INK)
    for i, line in enumerate(sender):
        txt.draw(c, LEFT, TOP - 16 - 11 * i, line, 9.5, bold=i == 0)
    # recipient: 100 × 45 mm window, from 95 mm (left edge) and 43 mm below the top of the page
    x, w, h = 95 * mm, 100 * mm, 45 * mm
    y = HEIGHT - 43 * mm - h
    _cut_box(c, x, y, w, h)
    txt.draw(c, x + 8, y + h - 14, "RECOMMANDÉ", 9, bold=True)
    name = txt.wrap(data.insurer_name, 11, w - 16, bold=True)
    size = 11 if len(name) + len(data.insurer_address) <= 6 else 9.5
    for i, line in enumerate([*name, *data.insurer_address]):
        txt.draw(c, x + 8, y + h - 30 - i * (size + 3), line, size, bold=i < len(name))
    # fold marks at each third of the page
    c.setStrokeColor(GREY)
    for fold in (HEIGHT / 3, 2 * HEIGHT / 3):
        c.line(0, fold, 8 * mm, fold)
        c.line(WIDTH - 8 * mm, fold, WIDTH, fold)
        c.setFillColor(GREY)
        txt.draw(c, 9 * mm, fold - 2.5, _("pli"), 6.5, arabic_scale=pages.scale, rtl=pages.rtl)
        c.setFillColor(INK)
    c.setStrokeColor(INK)

    pages.y = 2 * HEIGHT / 3 - 22
    pages.heading(_("Étiquettes"))
    c.setFillColor(GREY)
    pages.line(
        _(
            "Enveloppe DL à fenêtre à droite : pliez la page en trois sur les repères « pli », l'adresse "
            "apparaît dans la fenêtre. Sinon, découpez l'adresse en pointillés (100 × 45 mm) et collez-la au "
            "recto d'une enveloppe DL (220 × 110 mm) ou C5 ; collez l'étiquette de l'expéditeur au verso."
        ),
        8.5,
    )
    c.setFillColor(INK)
    pages.y -= 10
    box_h = 16 + 12 * len(sender)
    _cut_box(c, LEFT, pages.y - box_h, 90 * mm, box_h)
    c.setFillColor(GREY)
    txt.draw(c, LEFT + 8, pages.y - 11, "Expéditeur (verso de l'enveloppe)", 7)
    c.setFillColor(INK)
    for i, line in enumerate(sender):
        txt.draw(c, LEFT + 8, pages.y - 24 - 12 * i, line, 9.5, bold=i == 0)
    pages.y -= box_h + 24

    pages.heading(_("Suivi de l'envoi"))
    for label in (_("N° de recommandé :"), _("Date d'envoi :"), _("Bureau de poste :")):
        pages.need(20)
        used = pages.say(pages.start(), pages.y - 12, label, 9.5)
        c.setStrokeColor(GREY)
        c.line(pages.start(used + 6), pages.y - 13, pages.start(260), pages.y - 13)
        c.setStrokeColor(INK)
        pages.y -= 20
    c.setFillColor(GREY)
    pages.line(_("Notez ce numéro dans claimkit : il vous permet de suivre le dossier et arrête les rappels."), 8.5)
    c.setFillColor(INK)
    pages.end_page()


WHERE_TO_WRITE = (  # the assuré(e)'s labels as printed on the sheets (forms-research.md §1), and the value key
    ("Nom et prénom", "assure_nom_prenom"),
    ("N° d'immatriculation", "assure_immatriculation"),
    ("N° CIN", "assure_cin"),
    ("N° d'affiliation", ""),
    ("Adresse", "assure_adresse"),
    ("Montant des frais", "assure_montant_frais"),
    ("Nombre de pièces jointes", "assure_pieces_jointes"),
)
LIEN_LABEL = "Lien de parenté"  # ticked "Enfant" when the parent is the assuré (law 54-23)


def _one_line(value: str) -> str:
    """An address typed on several lines (a textarea sends CR LF) is read out on one line: no stray control glyph."""
    return ", ".join(part.strip() for part in value.splitlines() if part.strip())


def _where_to_get(pages: _Pages, form: FormId, values: Mapping[str, str]) -> None:
    """When no official sheet is loaded: where to get it, and what to write where (the student's part only)."""
    c, _ = pages.c, pages.gettext
    title = FORM_TITLES[form][1] if pages.rtl else _(FORM_TITLES[form][0])
    pages.line(_("Feuille officielle à joindre : %(title)s") % {"title": title}, 14, bold=True, gap=5)
    pages.line(
        _(
            "claimkit n'a pas la feuille officielle de votre organisme pour ce dossier. Une feuille dessinée par "
            "claimkit serait refusée : procurez-vous la feuille officielle, au choix :"
        ),
        9.5,
    )
    for where in sheet_sources(pages.data.scheme):
        pages.line("• " + _(where), 9, indent=10)
    pages.line(
        _("Vous pouvez aussi la charger dans claimkit (feuille personnalisée ou scan) : elle sera remplie pour vous."),
        9,
    )
    parent = pages.data.parent_signs
    if parent:
        pages.heading(_("Ce qu'écrit votre parent, l'assuré(e), dans sa partie seulement"), "ما يكتبه")
    else:
        pages.heading(_("Ce que vous écrivez, dans la partie réservée à l'assuré(e) seulement"), "ما تكتبه")
    rows = [(label, _one_line(values.get(key, "")) if key else _("à laisser vide")) for label, key in WHERE_TO_WRITE]
    if parent:
        rows.append((LIEN_LABEL, _("cochez « Enfant »")))
    for label, value in rows:
        pages.need(16)
        txt.draw(c, LEFT + 8, pages.y - 10, label, 9.5, bold=True)  # French: as printed on the sheet
        txt.draw(c, LEFT + 170, pages.y - 10, value or "—", 9.5)
        pages.y -= 16
    pages.y -= 4
    c.setFillColor(GREY)
    signs = (
        _("Votre parent date et signe la déclaration de l'assuré(e) à la main.")
        if parent
        else _("Datez et signez la vôtre à la main.")
    )
    nobody_else = _(
        "N'écrivez rien dans les parties du médecin, du pharmacien, du laboratoire ni dans le tableau des actes : "
        "chaque professionnel remplit, cachette et signe sa partie."
    )
    pages.line(f"{nobody_else} {signs}", 9)
    c.setFillColor(INK)
    if guided(form, pages.data.scheme):
        pages.line(_("Page suivante : guide de remplissage (ne pas envoyer)."), 9, bold=True)
    pages.end_page()


def _stamp(width: float, height: float) -> PdfReader:
    """ "GUIDE DE REMPLISSAGE — NE PAS ENVOYER" across a page of claimkit's own drawing."""
    register()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(width, height), invariant=1)
    c.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.35))
    c.saveState()
    c.translate(width / 2, height / 2)
    c.rotate(35)
    txt.draw(c, 0, 0, "NE PAS ENVOYER", 64, bold=True, align="center")
    txt.draw(c, 0, -40, "guide de remplissage claimkit — lisez qui remplit quoi", 16, align="center")
    c.restoreState()
    c.setFillColor(colors.Color(0.75, 0.1, 0.1))
    txt.draw(
        c,
        width / 2,
        height - 14,
        "GUIDE DE REMPLISSAGE — NE PAS ENVOYER — utilisez la feuille officielle",
        9,
        bold=True,
        align="center",
    )
    c.showPage()
    c.save()
    return PdfReader(io.BytesIO(buffer.getvalue()))


def build_packet(data: PacketData, sheets: Mapping[FormId, bytes] | None = None) -> bytes:
    """The whole packet as one PDF (no form fields, claimkit's fonts embedded once).

    `sheets`: per form, the official sheet already written by claimkit.adapters.official_forms.overlay; a form
    without one gets a page saying where to get it and what to write where, plus (maladie, dentaire, ALD) one
    guide de remplissage stamped "ne pas envoyer". claimkit's own drawing is never the sheet to post.
    """
    sheets = sheets or {}
    register()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(f"Dossier — {data.claim_title}")
    canvas.setAuthor("claimkit")
    plan: Plan = []
    pages = _Pages(canvas, data, plan, sheets)
    _cover(pages)
    inserts: list[tuple[int, bytes]] = []  # (position among the drawn pages, official sheet)
    guides: list[int] = []
    for form, values in data.forms:
        if form in sheets:
            inserts.append((len(plan), sheets[form]))
            continue
        _where_to_get(pages, form, values)
        if guided(form, data.scheme):
            start = len(plan)
            plan += draw_form_overlays(canvas, form, values)  # no acte_* value: forms.field_values
            guides += range(start, len(plan))
            canvas.setPageSize(A4)
    if data.medicines:
        _medicines(pages)
    _label(pages)
    canvas.save()
    writer = merge_under(buffer.getvalue(), plan)
    for index in guides:
        page = writer.pages[index]
        page.merge_page(_stamp(float(page.mediabox.width), float(page.mediabox.height)).pages[0])
        page.compress_content_streams()  # merge_page leaves the guide page's content uncompressed (~30 KB)
    for position, sheet in reversed(inserts):
        for offset, page in enumerate(PdfReader(io.BytesIO(sheet)).pages):
            writer.insert_page(page, position + offset)
    _drop_forms(writer)
    writer.add_metadata({"/Title": f"Dossier — {data.claim_title}", "/Producer": "claimkit"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _drop_forms(writer: PdfWriter) -> None:
    """An official sheet may be fillable: the packet keeps what is printed and written, no live form fields."""
    if "/AcroForm" in writer.root_object:
        writer.remove_annotations(subtypes="/Widget")
        del writer.root_object["/AcroForm"]
