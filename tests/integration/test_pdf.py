"""The PDF core read back: templates match their generator and the field map, pypdf values of the fillable copy,
text, fields and barcodes of the flattened packet (pdftotext, pdftoppm, pyzbar)."""

import importlib.util
import io
import re
import subprocess
import unicodedata
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from pyzbar import pyzbar

from claimkit.adapters import l10n, pdf
from claimkit.adapters.pdf_forms import TEMPLATES, template
from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, MedicineLine, Student
from claimkit.domain.forms import FieldKind, FormId, act_fields, all_fields, field_names, field_values
from claimkit.domain.packet import ChecklistLine, PacketData, packet_data

ROOT = Path(__file__).resolve().parents[2]
STUDENT = Student(nom="Benjelloun-Çelik", prenom="Élodie", cnie="AB123456", nom_ar="بنجلون", prenom_ar="إيلودي",
                  adresse="12 rue Oued Fès, Agdal\n10090 Rabat", telephone="0612345678", payout_method="virement",
                  rib="011780000001234567890123")  # fmt: skip
EANS = ["6118000120698", "6118001081103", "6118000041108"]
ACTS = (
    Act(date(2026, 11, 3), ActType.CONSULTATION_SPECIALISTE, Decimal("300")),
    Act(date(2026, 11, 3), ActType.PHARMACIE, Decimal("412.60")),
    Act(date(2026, 11, 6), ActType.ANALYSES, Decimal("250")),
)
MEDS = (
    *(MedicineLine(f"MÉDICAMENT {i}", 1 + i % 2, ean, Decimal("34.90"), Decimal("20")) for i, ean in enumerate(EANS)),
    MedicineLine("SIROP SANS CODE", 1, "", Decimal("15.50")),
    MedicineLine("CODE MAL RECOPIÉ", 1, "6118000120699", Decimal("10")),
)
ACCIDENT = Claim(ClaimKind.ACCIDENT, acts=ACTS, medicines=MEDS, accident_date=date(2026, 11, 2),
                 accident_circumstances="Chute à vélo", third_party_liable=True)  # fmt: skip


def packet_of(claim: Claim, student: Student = STUDENT) -> PacketData:
    return packet_data(
        student, claim, title="Angine et bilan sanguin", summary=["Total payé : 962,60 DH"],
        deadline_text="À poster au plus tard le 02/01/2027", posting_text="Il reste 38 jours.",
        checklist=[ChecklistLine("Ordonnance originale", True, True), ChecklistLine("Facture du laboratoire", True,
                   False), ChecklistLine("Vignettes des médicaments", False, False)],
        insurer_name="CNOPS — Caisse nationale des organismes de prévoyance sociale",
        insurer_address=["4, rue Al Khalil", "B.P. 209", "Rabat"],
        medicine_refunds=[Decimal("14")] * len(claim.medicines), estimate_text="Remboursement estimé : 512,34 DH",
        today=date(2026, 11, 25), money=partial(l10n.money, locale="fr"),
    )  # fmt: skip


@pytest.fixture(scope="module")
def accident_packet() -> bytes:
    return pdf.build_packet(packet_of(ACCIDENT))


def pdftotext(content: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True, text=True).stdout
    return unicodedata.normalize("NFKC", out)


def words_in(content: bytes, tmp_path: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, x1, y1, x2, y2) in PDF coordinates (origin bottom left) from pdftotext -bbox."""
    html = pdftotext(content, tmp_path, "-bbox", "-f", str(page), "-l", str(page))
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))  # type: ignore[union-attr]
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        (w, float(a), height - float(d), float(c), height - float(b)) for a, b, c, d, w in re.findall(pattern, html)
    ]


def no_form_fields(reader: PdfReader) -> bool:
    widgets = [a for p in reader.pages for a in p.get("/Annots") or [] if a.get_object().get("/Subtype") == "/Widget"]
    return "/AcroForm" not in reader.trailer["/Root"] and not widgets


def test_committed_templates_match_the_generator(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "scripts" / "draw_forms.py")
    assert spec and spec.loader
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    written = generate.main(tmp_path)
    assert sorted(p.name for p in written) == sorted(f"{form.value}.pdf" for form in FormId)
    for path in written:
        assert (ROOT / "claimkit" / "forms_pdf" / path.name).read_bytes() == path.read_bytes(), (
            f"{path.name}: run `make forms`"
        )


READ_ONLY = 1  # bit 1 of a field's /Ff (PDF 32000-1, table 221)


@pytest.mark.parametrize("form", list(FormId))
def test_templates_hold_exactly_the_map_fields(form: FormId) -> None:
    tpl = template(form)
    assert sorted(w.name for w in tpl.widgets) == sorted(field_names(form))
    widgets = {w.name: w for w in tpl.widgets}
    for spec in all_fields(form):
        widget = widgets[spec.name]
        assert widget.check == (spec.kind is FieldKind.CHECK)
        assert widget.cells == (spec.boxes if spec.kind is FieldKind.COMB else 0)
    assert all(abs(w - 595.28) < 1 and abs(h - 841.89) < 1 for w, h in tpl.page_sizes)  # A4
    assert b"/AcroForm" not in tpl.flat and b"/Widget" not in tpl.flat
    # a PDF reader lets the student type in the assuré's part only: every professional's field is read-only
    fields = PdfReader(TEMPLATES / f"{form.value}.pdf").get_fields() or {}
    read_only = {name for name, field in fields.items() if int(field.get("/Ff", 0)) & READ_ONLY}
    assert read_only == {spec.name for spec in all_fields(form) if spec.professional}


KIND_OF = {FormId.MALADIE: ClaimKind.MALADIE, FormId.DENTAIRE: ClaimKind.DENTAIRE, FormId.ALD: ClaimKind.ALD}


def _greenish(pixel: tuple[int, int, int]) -> bool:
    """The assuré's band colour (#d7e6dc) and anything like it; the professionals' greys have r == g == b."""
    r, g, b = pixel
    return g - r > 8 and g - b > 4


@pytest.mark.parametrize("form", [form for form in FormId if act_fields(form)])
def test_the_acts_table_is_the_professionals_grey_and_read_only(form: FormId, tmp_path: Path) -> None:
    """docs/domain.md, "Acts, dates and amounts go on the cover's récapitulatif": nothing on a drawn sheet may tell
    the student to write in the acts table. Read back from the committed template: every acts-table field (and
    every other professional's field) is read-only, so a PDF reader lets nobody type there, and the whole table,
    from its band to its last row, is painted in the professionals' grey, with no assuré green; each cell stays a
    white box for the professional's pen. The assuré's fields stay editable and are filled as before."""
    fields = PdfReader(TEMPLATES / f"{form.value}.pdf").get_fields() or {}
    flags = {name: int(field.get("/Ff", 0)) for name, field in fields.items()}
    acts = {spec.name for row in act_fields(form) for spec in row}
    assert len(acts) >= 24 and all(flags[name] & READ_ONLY for name in acts)
    assert all(flags[spec.name] & READ_ONLY for spec in all_fields(form) if spec.professional)
    assert not [spec.name for spec in all_fields(form) if not spec.professional and flags[spec.name] & READ_ONLY]
    # the look, on the page as printed (the widget-free copy, 3 px a point)
    widgets = [w for w in template(form).widgets if w.name in acts]
    (page,) = {w.page for w in widgets}
    (tmp_path / "flat.pdf").write_bytes(template(form).flat)
    subprocess.run(["pdftoppm", "-png", "-r", "216", "-f", str(page + 1), "-l", str(page + 1), "-singlefile",
                    str(tmp_path / "flat.pdf"), str(tmp_path / "page")], check=True)  # fmt: skip
    image = Image.open(tmp_path / "page.png").convert("RGB")

    def at(x: float, y: float) -> tuple[int, int, int]:
        return image.getpixel((round(x * 3), round(image.height - y * 3)))  # type: ignore[return-value]

    for w in widgets:
        x1, y1, x2, y2 = w.rect
        grey = at(x2 + 1, (y1 + y2) / 2)  # the strip between a cell and the next column
        assert grey[0] == grey[1] == grey[2] and 225 <= grey[0] <= 248, (w.name, grey)
        assert at((x1 + x2) / 2, (y1 + y2) / 2) == (255, 255, 255), w.name  # the cell: white, for a pen
    bottom, top = min(w.rect[1] for w in widgets), max(w.rect[3] for w in widgets) + 26 + 10 + 14  # header, note, band
    greenish = [(x, y) for x in range(30, 565, 2) for y in range(round(bottom), round(top), 2) if _greenish(at(x, y))]
    assert greenish == [], greenish[:5]
    # the student's part is still filled as before, in an editable field
    claim = Claim(KIND_OF[form], acts=ACTS, ald_code="14", ald_accord="A-77", accident_date=date(2026, 11, 2),
                  accident_circumstances="Chute")  # fmt: skip
    values = field_values(form, STUDENT, claim, 2)
    filled = PdfReader(io.BytesIO(pdf.fillable(form, values))).get_fields() or {}
    got = {name: str(field.get("/V", "")) for name, field in filled.items()}
    assert {"assure_nom_prenom", "assure_montant_frais", "assure_paiement"} <= set(values)
    assert {name: got[name] for name in values} == values
    assert not [name for name in values if int(filled[name].get("/Ff", 0)) & READ_ONLY]
    assert not [name for name in acts if got[name]]


def test_fillable_copy_values_equal_the_student_and_claim() -> None:
    claim = Claim(ClaimKind.ALD, acts=ACTS, ald_code="14")
    for form in (FormId.MALADIE, FormId.EXONERATION):
        values = field_values(form, STUDENT, claim, 2)
        reader = PdfReader(io.BytesIO(pdf.fillable(form, values)))
        fields = reader.get_fields() or {}
        got = {name: str(field.get("/V", "")) for name, field in fields.items()}
        assert set(got) == set(field_names(form))
        assert got["assure_nom_prenom"] == "BENJELLOUN-ÇELIK Élodie"
        assert "Élodie" in got["assure_nom_prenom"] and "Benjelloun-Çelik".upper() in got["assure_nom_prenom"]
        assert got["assure_nom_prenom_ar"] == "بنجلون إيلودي"
        assert got["assure_immatriculation"] == got["assure_cin"] == "AB123456"
        assert got["assure_affiliation"] == ""  # students have no affiliation number
        assert got["assure_paiement"] == "Virement — RIB 011 780 0000012345678901 23"
        assert got["assure_montant_frais"] == "962,60" and got["assure_pieces_jointes"] == "2"
        professional = [s.name for s in all_fields(form) if s.professional]
        assert professional and all(got[name] in ("", "/Off") for name in professional)  # never signed for anyone
        assert str(reader.trailer["/Root"]["/AcroForm"].get("/NeedAppearances", False)) == "False"  # our appearances
    assert got["ald_14"] == "/Yes" and got["ald_13"] == "/Off"
    maladie = PdfReader(io.BytesIO(pdf.fillable(FormId.MALADIE, field_values(FormId.MALADIE, STUDENT, claim, 2))))
    value = {name: str(f.get("/V", "")) for name, f in (maladie.get_fields() or {}).items()}
    assert "acte_3_date" in value and not [n for n in value if n.startswith("acte_") and value[n]]  # the doctor's


def test_fillable_shows_arabic_with_an_embedded_font() -> None:
    values = field_values(FormId.MALADIE, STUDENT, Claim(ClaimKind.MALADIE), 0)
    reader = PdfReader(io.BytesIO(pdf.fillable(FormId.MALADIE, values)))
    annot = next(a.get_object() for a in reader.pages[0]["/Annots"] if a.get_object()["/T"] == "assure_nom_prenom_ar")
    fonts = annot["/AP"]["/N"]["/Resources"]["/Font"]
    assert any("NotoNaskhArabic" in str(f.get_object()["/BaseFont"]) for f in fonts.values())


def test_map_and_template_must_agree() -> None:
    with pytest.raises(ValueError, match="absents du modèle"):
        pdf.fillable(FormId.MALADIE, {"champ_inconnu": "x"})
    with pytest.raises(ValueError, match="absents du modèle"):
        pdf.flattened(FormId.DENTAIRE, {"acte_1_nature": "x"})  # the dental table has no "nature" column


def test_flattened_form_has_no_fields_and_only_the_assure_part_filled(tmp_path: Path) -> None:
    values = field_values(FormId.MALADIE, STUDENT, ACCIDENT, 3)
    content = pdf.flattened(FormId.MALADIE, values)
    assert no_form_fields(PdfReader(io.BytesIO(content)))
    text = pdftotext(content, tmp_path)
    assert "BENJELLOUN-ÇELIK Élodie" in text and "بنجلون إيلودي" in text and "962,60" in text
    words = words_in(content, tmp_path, 1)
    x1, y1, x2, y2 = next(w.rect for w in template(FormId.MALADIE).widgets if w.name == "assure_nom_prenom")
    assert [w for w, a, b, c, d in words if a > x1 and c < x2 and b > y1 and d < y2] == ["BENJELLOUN-ÇELIK", "Élodie"]
    for spec in all_fields(FormId.MALADIE):  # nothing drawn inside a professional's box
        if spec.professional:
            x1, y1, x2, y2 = next(w.rect for w in template(FormId.MALADIE).widgets if w.name == spec.name)
            inside = [w for w, a, b, c, d in words if a > x1 and c < x2 and b > y1 and d < y2]
            assert inside == [], spec.name


def test_a_long_value_shrinks_to_stay_in_its_box(tmp_path: Path) -> None:
    address = "Résidence universitaire Souissi II, pavillon B, chambre 214, avenue Mohammed Ben Abdallah Regragui, " * 2
    student = Student(nom="Ait Ouarab Lahlou El Idrissi", prenom="Fatima-Zahra", cnie="X", adresse=address)
    content = pdf.flattened(FormId.MALADIE, field_values(FormId.MALADIE, student, Claim(ClaimKind.MALADIE), 0))
    x1, y1, x2, y2 = next(w.rect for w in template(FormId.MALADIE).widgets if w.name == "assure_adresse")
    drawn = [(w, a, b, c, d) for w, a, b, c, d in words_in(content, tmp_path, 1) if a > x1 - 1 and b > y1 - 2
             and d < y2 + 2 and c < x2 + 1]  # fmt: skip
    assert " ".join(w for w, *_ in drawn).count("Regragui,") == 2  # every word, inside the box


def test_packet_reads_back(accident_packet: bytes, tmp_path: Path) -> None:
    reader = PdfReader(io.BytesIO(accident_packet))
    assert no_form_fields(reader)
    assert all(abs(float(p.mediabox.width) - 595.28) < 1 for p in reader.pages)  # A4
    # cover; maladie: where to get it + guide (not to send); déclaration d'accident and engagement: where to get
    # them (no drawing: their layouts are unknown); medicines; label
    assert len(reader.pages) == 7
    text = pdftotext(accident_packet, tmp_path, "-layout")
    for expected in ("Élodie", "BENJELLOUN-ÇELIK", "بنجلون", "إيلودي", "À envoyer en recommandé à", "4, rue Al Khalil",
                     "B.P. 209", "À poster au plus tard le 02/01/2027", "Il reste 38 jours", "Facture du laboratoire",
                     "manquant", "Déclaration d'accident", "Engagement à restituer", "RECOMMANDÉ",
                     "code-barres inconnu", "code non valide", "NE PAS ENVOYER", "cnops.org.ma",
                     "feuilles personnalisées", "Récapitulatif des soins déclarés"):  # fmt: skip
        assert expected in text, expected
    assert text.count("Feuille officielle à joindre") == 3
    # the one drawing left is the maladie guide, stamped, its acts table empty (the acts are on the cover)
    guide = pdftotext(accident_packet, tmp_path, "-layout", "-f", "3", "-l", "3")
    assert "NE PAS ENVOYER" in guide and "Modèle claimkit" in guide
    assert "03/11/2026" not in guide and "412,60" not in guide and "Analyses" not in guide
    rendered = subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "p")],
                              capture_output=True, check=True)  # fmt: skip
    assert rendered.returncode == 0 and len(list(tmp_path.glob("p-*.png"))) == len(reader.pages)


def test_every_barcode_decodes_back_to_its_ean13(accident_packet: bytes, tmp_path: Path) -> None:
    (tmp_path / "doc.pdf").write_bytes(accident_packet)
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", "-f", "6", "-l", "6", str(tmp_path / "doc.pdf"),
                    str(tmp_path / "m")], check=True)  # fmt: skip
    (page,) = tmp_path.glob("m-*.png")
    decoded = [s.data.decode() for s in pyzbar.decode(Image.open(page)) if s.type == "EAN13"]
    assert sorted(decoded) == sorted(EANS)  # the wrong check digit is not redrawn as a (different) valid code


def test_packet_is_deterministic_and_small(accident_packet: bytes) -> None:
    assert pdf.build_packet(packet_of(ACCIDENT)) == accident_packet
    # 175 KiB: the guide page's content is compressed again after its "ne pas envoyer" stamp is merged (178 037
    # bytes with the acts table in the professionals' grey; it was 205 043, merge_page having left that page's
    # 30 KB of drawing uncompressed).
    assert len(accident_packet) <= 175 * 1024
    maladie = pdf.build_packet(packet_of(Claim(ClaimKind.MALADIE, acts=ACTS, medicines=MEDS * 3)))
    assert len(PdfReader(io.BytesIO(maladie)).pages) >= 5  # 15 medicines run onto a second sheet


def test_packet_without_medicines_or_arabic_name(tmp_path: Path) -> None:
    student = Student(nom="Martin", prenom="Zoé", cnie="K12345")
    content = pdf.build_packet(packet_of(Claim(ClaimKind.DENTAIRE, acts=ACTS[:1]), student))
    reader = PdfReader(io.BytesIO(content))
    # cover, where to get the dental sheet, its one-page guide (not to send), label
    assert len(reader.pages) == 4 and no_form_fields(reader)
    assert "MARTIN Zoé" in pdftotext(content, tmp_path)


def plain(text: str) -> str:
    """pdftotext's Arabic without the bidi marks it adds nor the harakat (the shaper leaves them out)."""
    return re.sub(r"[\u064b-\u0652\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)


def test_arabic_packet_labels_are_arabic_and_right_aligned(tmp_path: Path) -> None:
    content = pdf.build_packet(replace(packet_of(ACCIDENT), locale="ar"))
    text = plain(pdftotext(content, tmp_path, "-layout"))
    arabic = ("الوثائق التي توضع في الظرف", "قبل الإرسال", "اطلب ملء الأجزاء المخصصة", "أرفق الأصول المؤشر عليها",
              "يرسل بالبريد المضمون إلى", "الأدوية والرموز الشريطية", "الرمز الشريطي غير معروف", "الملصقات",
              "تتبع الإرسال", "رقم البريد المضمون", "ناقص")  # fmt: skip
    for expected in arabic:
        assert expected in text, expected
    # what the agent and the post office read stays French
    agent = ("N° d'immatriculation (= n° de CNIE) : AB123456", "4, rue Al Khalil", "B.P. 209", "RECOMMANDÉ", "EAN-13",
             "PPV", "PBR", "Dossier de remboursement AMO-E", "Médicaments et codes-barres")  # fmt: skip
    for expected in agent:
        assert expected in text, expected
    for french in ("Avant d'envoyer", "Pièces à mettre", "Suivi de l'envoi", "manquant", "Étiquettes"):
        assert french not in text, french
    # the student's lines start at the right margin: the wrapped envelope instructions too, line after line
    right = 595.28 - 15 * 72 / 25.4
    words = words_in(content, tmp_path, 7)
    lines_at_right = {round(y1) for w, x1, y1, x2, y2 in words if abs(x2 - right) < 1.5}
    label = next(y1 for w, x1, y1, x2, y2 in words if plain(w)[::-1] == "الملصقات")  # -bbox words: visual order
    instructions = [y for y in lines_at_right if label - 40 < y < label]
    assert len(instructions) >= 2  # a long Arabic sentence wraps, each line right-aligned
    assert all(x1 < 300 for w, x1, *_ in words if w == "RECOMMANDÉ")  # the address window does not move


def test_french_packet_is_unchanged_by_the_locale_field(accident_packet: bytes) -> None:
    assert pdf.build_packet(replace(packet_of(ACCIDENT), locale="fr")) == accident_packet


def test_a_long_amount_shrinks_to_its_table_cell() -> None:
    from claimkit.adapters import pdf_text

    long_amount = l10n.money(Decimal("12206"), "ar")  # "12.206,00 درهم": wider than the 46 pt PPV cell at 8.8 pt
    assert pdf_text.width(long_amount, 8.8) > 46
    size = pdf_text.fitting_size(long_amount, 8.8, 46)
    assert 6 <= size < 8.8 and pdf_text.width(long_amount, size) <= 46
    assert pdf_text.fitting_size("34,90 DH", 8.8, 46) == 8.8
