"""The field map: the ONLY place that knows the forms' field names.

claimkit draws its own faithful equivalents of the CNOPS forms (scripts/draw_forms.py) because the official
PDFs are not available here. The generator takes every field name, label and box count from this module, and
the filler writes the values computed here, so dropping in an official fillable PDF later means editing this
map alone (its field names, its on-state for check boxes, and the form's version string).

Only the assuré's part is ever filled. The professionals' fields (bénéficiaire as certified by the doctor,
INPE, ICE, honoraires, dates of care, the whole acts table) are declared so the templates draw them, and stay
empty: claimkit never writes or signs for a health professional. The drawn templates make them read-only, in the
professionals' grey, so a student filling the download in a PDF reader can type only in the assuré's part; the
professional writes by hand on the printed sheet. Cachets and signatures are not fields at all, only drawn boxes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from claimkit.domain.claims import Claim, ClaimKind, PayoutMethod, Student
from claimkit.domain.formats import decimal_comma
from claimkit.domain.identifiers import format_rib
from claimkit.domain.messages import N_
from claimkit.domain.schemes import Scheme

FORMS_VERSION = "2026.12-1"  # the default version of claimkit's own layouts (FORM_VERSIONS overrides per form)
CHECKED = "/Yes"  # the value written in a check box; the filler maps it to the widget's own on-state name


class FormId(StrEnum):
    """The six forms; the values are the template file names and the URL segment of the fillable copy."""

    MALADIE = "maladie"
    DENTAIRE = "dentaire"
    ALD = "ald"
    EXONERATION = "exoneration"
    ACCIDENT = "declaration_accident"
    ENGAGEMENT = "engagement_restituer"


class Owner(StrEnum):
    """Who writes in a field. claimkit pre-fills ASSURE fields only."""

    ASSURE = "assure"
    MEDECIN = "medecin"
    PHARMACIEN = "pharmacien"
    LABO = "labo"
    DENTISTE = "dentiste"
    CNOPS = "cnops"


class FieldKind(StrEnum):
    TEXT = "text"
    COMB = "comb"  # one character per printed box (N° CIN, INPE, dates): the form's "/_/_/" boxes
    CHECK = "check"


FORM_TITLES = {
    FormId.MALADIE: (N_("Feuille de soins maladie"), "ورقة العلاجات - المرض"),
    FormId.DENTAIRE: (N_("Feuille de soins dentaires"), "ورقة علاجات الأسنان"),
    FormId.ALD: (N_("Feuille de soins — affections de longue durée et coûteuses (ALD/ALC)"),
                 "ورقة العلاجات - الأمراض طويلة الأمد والمكلفة"),
    FormId.EXONERATION: (N_("Demande d'exonération du ticket modérateur (ALD-ALC)"),
                         "طلب الإعفاء من الجزء المتبقي على عاتق المؤمن"),
    FormId.ACCIDENT: (N_("Déclaration d'accident"), "التصريح بالحادثة"),
    FormId.ENGAGEMENT: (N_("Engagement à restituer les montants en cas d'accident assuré par un tiers"),
                        "التزام بإرجاع المبالغ في حالة حادثة يتحمل مسؤوليتها الغير"),
}  # fmt: skip

# Versions of claimkit's drawings, printed in each footer; bump one when its layout or field names change.
FORM_VERSIONS = {form: FORMS_VERSION for form in FormId}

# The forms an envelope holds, by kind of claim (the exonération request and the engagement are added by
# forms_for when they apply).
FORMS_FOR_KIND: dict[ClaimKind, tuple[FormId, ...]] = {
    ClaimKind.MALADIE: (FormId.MALADIE,),
    ClaimKind.DENTAIRE: (FormId.DENTAIRE,),
    ClaimKind.ALD: (FormId.ALD,),
    ClaimKind.ACCIDENT: (FormId.MALADIE, FormId.ACCIDENT),
}


@dataclass(frozen=True)
class FieldSpec:
    """One AcroForm field: an ASCII name that never changes, and the bilingual label printed beside it."""

    name: str
    label: str
    label_ar: str = ""
    owner: Owner = Owner.ASSURE
    kind: FieldKind = FieldKind.TEXT
    boxes: int = 0  # number of character boxes of a COMB field
    lines: int = 1
    hint: str = ""  # how the boxes are grouped, e.g. "jjmmaaaa" for a date

    @property
    def professional(self) -> bool:
        return self.owner is not Owner.ASSURE

    @property
    def check(self) -> bool:
        return self.kind is FieldKind.CHECK


def _comb(name: str, label: str, label_ar: str, boxes: int, owner: Owner = Owner.ASSURE) -> FieldSpec:
    return FieldSpec(name, label, label_ar, owner, FieldKind.COMB, boxes)


def _date_comb(name: str, label: str, label_ar: str, owner: Owner = Owner.ASSURE) -> FieldSpec:
    """A date in the forms' 8 boxes (jj mm aaaa)."""
    return FieldSpec(name, label, label_ar, owner, FieldKind.COMB, 8, hint="jjmmaaaa")


def _check(name: str, label: str, label_ar: str = "", owner: Owner = Owner.ASSURE) -> FieldSpec:
    return FieldSpec(name, label, label_ar, owner, FieldKind.CHECK)


# --- Partie réservée à l'assuré(e): on every form (FORMS.md §1; seed 000: CNIE as immatriculation) ---------------
NOM_PRENOM = FieldSpec("assure_nom_prenom", N_("Nom et prénom"), "الاسم العائلي والشخصي")
NOM_PRENOM_AR = FieldSpec("assure_nom_prenom_ar", N_("Nom et prénom en arabe"), "الاسم الكامل بالعربية")
AFFILIATION = _comb("assure_affiliation", N_("N° Affiliation"), "رقم الانخراط", 7)
IMMATRICULATION = _comb("assure_immatriculation", N_("N° Immatriculation"), "رقم التسجيل", 9)
CIN = _comb("assure_cin", N_("N° CIN"), "رقم البطاقة الوطنية", 8)
LIEN_CONJOINT = _check("assure_lien_conjoint", N_("Conjoint"), "الزوج/الزوجة")
LIEN_ENFANT = _check("assure_lien_enfant", N_("Enfant"), "الابن/الابنة")
ADRESSE = FieldSpec("assure_adresse", N_("Adresse"), "العنوان", lines=2)
TELEPHONE = FieldSpec("assure_telephone", N_("Téléphone"), "الهاتف")
MONTANT_FRAIS = FieldSpec("assure_montant_frais", N_("Montant des frais (Dhs)"), "مبلغ المصاريف (درهم)")
PIECES_JOINTES = FieldSpec("assure_pieces_jointes", N_("Nombre de pièces jointes"), "عدد الوثائق المرفقة")
PAIEMENT = FieldSpec("assure_paiement", N_("Mode de remboursement"), "طريقة التوصل بالتعويض")
FAIT_A = FieldSpec("fait_a", N_("Fait à"), "حرر ب")
FAIT_LE = _date_comb("fait_le", N_("Le"), "بتاريخ")

ASSURE = (NOM_PRENOM, NOM_PRENOM_AR, AFFILIATION, IMMATRICULATION, CIN, ADRESSE, TELEPHONE, MONTANT_FRAIS,
          PIECES_JOINTES, PAIEMENT)  # fmt: skip
LIEN = (LIEN_CONJOINT, LIEN_ENFANT)  # feuilles de soins only: "Lien de parenté du bénéficiaire avec l'assuré(e)"

# --- Déclaration du médecin traitant (the doctor certifies who was treated: never pre-filled) -------------------
BENEF_NOM = FieldSpec("benef_nom_prenom", N_("Nom et prénom"), "الاسم الكامل", Owner.MEDECIN)
BENEF_NAISSANCE = _date_comb("benef_date_naissance", N_("Date de naissance"), "تاريخ الازدياد", Owner.MEDECIN)
BENEF_CIN = _comb("benef_cin", N_("N° CIN"), "رقم البطاقة الوطنية", 8, Owner.MEDECIN)
BENEF_SEXE_M = _check("benef_sexe_m", "M", "ذكر", Owner.MEDECIN)
BENEF_SEXE_F = _check("benef_sexe_f", "F", "أنثى", Owner.MEDECIN)
BENEFICIAIRE = (BENEF_NOM, BENEF_NAISSANCE, BENEF_CIN, BENEF_SEXE_M, BENEF_SEXE_F)

MEDECIN_NOM = FieldSpec("medecin_identite", N_("Nom et spécialité du médecin"), "اسم الطبيب وتخصصه", Owner.MEDECIN)
MEDECIN_INPE = _comb("medecin_inpe", N_("INPE"), "الرقم الوطني الاستدلالي للممارس", 9, Owner.MEDECIN)
SOINS_MALADIE = _check("medecin_soins_maladie", N_("Maladie"), "مرض", Owner.MEDECIN)
SOINS_ACCIDENT = _check("medecin_soins_accident", N_("Accident"), "حادثة", Owner.MEDECIN)
PLI_OUI = _check("medecin_pli_oui", N_("Oui"), "نعم", Owner.MEDECIN)
PLI_NON = _check("medecin_pli_non", N_("Non"), "لا", Owner.MEDECIN)
MEDECIN_DATE = _date_comb("medecin_date", N_("Date des soins"), "تاريخ العلاجات", Owner.MEDECIN)
MEDECIN_HONORAIRES = FieldSpec("medecin_honoraires", N_("Honoraires (Dhs)"), "الأتعاب (درهم)", Owner.MEDECIN)
MEDECIN = (MEDECIN_NOM, MEDECIN_INPE, SOINS_MALADIE, SOINS_ACCIDENT, PLI_OUI, PLI_NON, MEDECIN_DATE,
           MEDECIN_HONORAIRES)  # fmt: skip

PHARMACIEN_INPE = _comb("pharmacien_inpe", N_("INPE du pharmacien"), "الرقم الاستدلالي للصيدلي", 9, Owner.PHARMACIEN)
PHARMACIEN_DATE = _date_comb("pharmacien_date", N_("Date"), "التاريخ", Owner.PHARMACIEN)
PHARMACIEN_MONTANT = FieldSpec("pharmacien_montant", N_("Montant total des médicaments (Dhs)"),
                               "المبلغ الإجمالي للأدوية", Owner.PHARMACIEN)  # fmt: skip
PHARMACIEN = (PHARMACIEN_INPE, PHARMACIEN_DATE, PHARMACIEN_MONTANT)

LABO_INP = _comb("labo_inp", N_("INP du centre"), "الرقم الاستدلالي للمركز", 9, Owner.LABO)
LABO_DATE = _date_comb("labo_date", N_("Date de réalisation"), "تاريخ الإنجاز", Owner.LABO)
LABO_MONTANT = FieldSpec("labo_montant", N_("Montant des prestations (Dhs)"), "مبلغ الخدمات", Owner.LABO)
LABO = (LABO_INP, LABO_DATE, LABO_MONTANT)

# --- Feuille de soins dentaires (FORMS.md §2) --------------------------------------------------------------------
DENT_ENTENTE = _check("dentiste_entente_prealable", N_("Entente préalable"), "موافقة مسبقة", Owner.DENTISTE)
DENT_EXECUTION = _check("dentiste_execution", N_("Exécution"), "تنفيذ", Owner.DENTISTE)
DENT_INPE = _comb("dentiste_inpe", N_("INPE du chirurgien-dentiste"), "الرقم الاستدلالي", 9, Owner.DENTISTE)
DENT_ICE = _comb("dentiste_ice", N_("ICE du cabinet"), "التعريف الموحد للمقاولة", 15, Owner.DENTISTE)
DENT_SOINS = _check("dentiste_type_soins", N_("Soins"), "علاجات", Owner.DENTISTE)
DENT_PROTHESE = _check("dentiste_type_prothese", N_("Prothèse"), "ترميم", Owner.DENTISTE)
DENT_ODF = _check("dentiste_type_orthodontie", N_("Orthodontie (dento-faciale)"), "تقويم الأسنان", Owner.DENTISTE)
DENT_AUTRES = _check("dentiste_type_autres", N_("Autres"), "أخرى", Owner.DENTISTE)
DENT_ENTENTE_NO = _comb("entente_prealable_numero", N_("N° d'entente préalable"), "رقم الموافقة المسبقة", 8)
DENT_ACCIDENT_DATE = _date_comb("dent_accident_date", N_("Date de l'accident"), "تاريخ الحادثة")
DENT_ACCIDENT_CIRC = FieldSpec("dent_accident_circonstances", N_("Circonstances"), "ظروف الحادثة")
DENTISTE = (DENT_ENTENTE, DENT_EXECUTION, DENT_INPE, DENT_ICE, DENT_SOINS, DENT_PROTHESE, DENT_ODF, DENT_AUTRES)
DENT_ASSURE = (DENT_ENTENTE_NO, DENT_ACCIDENT_DATE, DENT_ACCIDENT_CIRC)

# --- Feuille ALD/ALC (since January 2024: the ALD code and the accord number, FORMS.md §3) ----------------------
ALD_CODE = FieldSpec("ald_code", N_("Code de l'ALD (accord d'exonération)"), "رمز المرض")
ALD_ACCORD = FieldSpec("ald_accord", N_("N° de l'accord"), "رقم الموافقة")

# --- Demande d'exonération du ticket modérateur: the 42 ALD of seed 002, spelled as in medicine (seed 002's
# "Sclérodémie" is a typo for Sclérodermie: docs/domain.md#advice-contacts-and-the-students-status) -------------
ALD_LIST = (
    "Accident vasculaire cérébral ou médullaire ischémique ou hémorragique",
    "Affections malignes du tissu lymphatique ou hématopoïétique", "Anémies hémolytiques chroniques sévères",
    "Aplasies médullaires sévères", "Artériopathies chroniques", "Asthme sévère", "Cardiopathies congénitales",
    "Cirrhoses du foie", "Diabète insulinodépendant et diabète non insulinodépendant", "Epilepsie grave",
    "Etat de déficit mental", "Formes graves des affections neurologiques et neuromusculaires",
    "Glaucome chronique", "Hypertension artérielle sévère", "Insuffisance cardiaque", "Insuffisance rénale aiguë",
    "Insuffisance rénale chronique terminale", "Insuffisance respiratoire chronique grave",
    "Lupus érythémateux aigu disséminé", "Maladie coronaire", "Maladie de Crohn évolutive", "Maladie de Parkinson",
    "Maladies chroniques actives du foie (hépatites B et C)", "Myélodysplasies sévères", "Néphropathies graves",
    "Polyarthrite rhumatoïde évolutive grave", "Psychoses", "Rectocolite hémorragique évolutive",
    "Rétinopathie diabétique", "Sclérodermie généralisée évolutive", "Sclérose en plaques",
    "Spondylarthrite ankylosante grave", "Syndrome d'immunodéficience acquise (SIDA)", "Syndromes néphrotiques",
    "Troubles graves de la personnalité", "Troubles héréditaires de l'hémostase",
    "Troubles mentaux et/ou de personnalité dus à une lésion, à un dysfonctionnement cérébral ou à une lésion "
    "physique", "Troubles permanents du rythme et de la conductivité", "Tumeurs malignes",
    "Valvulopathies rhumatismales", "Vascularites", "Insuffisance hypophysaire",
)  # fmt: skip
ALD_CHOICES = tuple(_check(f"ald_{i:02d}", f"{i}. {name}") for i, name in enumerate(ALD_LIST, 1))
EXO_DIAGNOSTIC = FieldSpec("exo_medecin_diagnostic", N_("Diagnostic et justification médicale"), "التشخيص",
                           Owner.MEDECIN, lines=3)  # fmt: skip
EXO_DEBUT = _date_comb("exo_medecin_date_debut", N_("Date de début de l'affection"), "تاريخ بداية المرض", Owner.MEDECIN)
EXO_TRAITEMENT = FieldSpec("exo_medecin_traitement", N_("Traitement proposé et durée prévue"), "العلاج المقترح ومدته",
                           Owner.MEDECIN, lines=2)  # fmt: skip
EXO_INPE = _comb("exo_medecin_inpe", N_("INPE du médecin traitant"), "الرقم الاستدلالي للطبيب", 9, Owner.MEDECIN)
EXO_DATE = _date_comb("exo_medecin_date", N_("Date"), "التاريخ", Owner.MEDECIN)
EXO_MEDECIN = (EXO_DIAGNOSTIC, EXO_DEBUT, EXO_TRAITEMENT, EXO_INPE, EXO_DATE)

# --- Déclaration d'accident (layout unknown, FORMS.md §5: the fields a claim handler needs) ----------------------
ACC_DATE = _date_comb("accident_date", N_("Date de l'accident"), "تاريخ الحادثة")
ACC_HEURE = FieldSpec("accident_heure", N_("Heure"), "الساعة")
ACC_LIEU = FieldSpec("accident_lieu", N_("Lieu de l'accident"), "مكان الحادثة")
ACC_CIRC = FieldSpec("accident_circonstances", N_("Circonstances de l'accident"), "ظروف الحادثة", lines=4)
ACC_TIERS_OUI = _check("accident_tiers_oui", N_("Oui"), "نعم")
ACC_TIERS_NON = _check("accident_tiers_non", N_("Non"), "لا")
ACC_TIERS = FieldSpec("accident_tiers_identite", N_("Nom et adresse du tiers responsable"), "اسم وعنوان الغير المسؤول")
ACC_ASSUREUR = FieldSpec("accident_tiers_assureur", N_("Compagnie d'assurance du tiers"), "شركة تأمين الغير")
ACC_POLICE = FieldSpec("accident_tiers_police", N_("N° de police"), "رقم عقد التأمين")
ACC_PV_OUI = _check("accident_pv_oui", N_("Oui"), "نعم")
ACC_PV_NON = _check("accident_pv_non", N_("Non"), "لا")
ACC_MEDECIN = (FieldSpec("accident_medecin_constat", N_("Lésions constatées (certificat médical initial)"),
                         "الإصابات المعاينة", Owner.MEDECIN, lines=2),
               _comb("accident_medecin_inpe", N_("INPE du médecin"), "الرقم الاستدلالي للطبيب", 9, Owner.MEDECIN),
               _date_comb("accident_medecin_date", N_("Date"), "التاريخ", Owner.MEDECIN))  # fmt: skip
ACCIDENT = (ACC_DATE, ACC_HEURE, ACC_LIEU, ACC_CIRC, ACC_TIERS_OUI, ACC_TIERS_NON, ACC_TIERS, ACC_ASSUREUR,
            ACC_POLICE, ACC_PV_OUI, ACC_PV_NON)  # fmt: skip

# --- Engagement à restituer (layout unknown, FORMS.md §6: the assuré's undertaking) ------------------------------
ENG_DATE = _date_comb("engagement_accident_date", N_("Date de l'accident"), "تاريخ الحادثة")
ENG_TIERS = FieldSpec("engagement_tiers", N_("Tiers responsable"), "الغير المسؤول")
ENG_ASSUREUR = FieldSpec("engagement_assureur", N_("Compagnie d'assurance du tiers"), "شركة التأمين")
ENG_POLICE = FieldSpec("engagement_police", N_("N° de police / de sinistre"), "رقم العقد أو الملف")
ENGAGEMENT = (ENG_DATE, ENG_TIERS, ENG_ASSUREUR, ENG_POLICE)


@dataclass(frozen=True)
class ActColumn:
    """A column of a sheet's acts table. Every column is the professional's (ACT_OWNERS): the date and the amount
    too, written under their cachet; the assuré's acts and their total go on the packet's récapitulatif."""

    key: str
    label: str
    label_ar: str
    width: float  # share of the table's width


_DATE_COL = ActColumn("date", N_("Date des actes"), "تاريخ الأعمال", 0.16)
_MONTANT_COL = ActColumn("montant", N_("Montant facturé (Dhs)"), "المبلغ", 0.16)
ACT_COLUMNS = (
    _DATE_COL,
    ActColumn("nature", N_("Nature de l'acte"), "طبيعة العمل", 0.34),
    ActColumn("cotation", N_("Code / lettre clé et cotation"), "الرمز", 0.18),
    _MONTANT_COL,
)
DENTAL_COLUMNS = (
    ActColumn("dent", N_("Dent(s)"), "السن", 0.11),
    ActColumn("code", N_("Code des actes"), "رمز العمل", 0.17),
    _DATE_COL,
    ActColumn("cotation", N_("Lettre clé / cotation NGAP"), "الحرف المفتاح", 0.2),
    _MONTANT_COL,
)
ACT_ROWS = {FormId.MALADIE: 6, FormId.DENTAIRE: 9, FormId.ALD: 6}
# Whose the whole acts table is (docs/domain.md, "Acts, dates and amounts go on the cover's récapitulatif"): its
# every cell is a professional's field, so the sheets draw it in their colours and read-only, never as the
# assuré's to fill.
ACT_OWNERS = {FormId.MALADIE: Owner.MEDECIN, FormId.DENTAIRE: Owner.DENTISTE, FormId.ALD: Owner.MEDECIN}

# Every field of each form except the acts table, in drawing order.
FORM_FIELDS: dict[FormId, tuple[FieldSpec, ...]] = {
    FormId.MALADIE: (*ASSURE, *LIEN, *BENEFICIAIRE, *MEDECIN, *PHARMACIEN, *LABO, FAIT_A, FAIT_LE),
    FormId.DENTAIRE: (*ASSURE, *LIEN, *BENEFICIAIRE, *DENTISTE, *DENT_ASSURE, FAIT_A, FAIT_LE),
    FormId.ALD: (*ASSURE, *LIEN, ALD_CODE, ALD_ACCORD, *BENEFICIAIRE, *MEDECIN, *PHARMACIEN, *LABO, FAIT_A, FAIT_LE),
    FormId.EXONERATION: (*ASSURE, *ALD_CHOICES, *EXO_MEDECIN, FAIT_A, FAIT_LE),
    FormId.ACCIDENT: (*ASSURE, *ACCIDENT, *ACC_MEDECIN, FAIT_A, FAIT_LE),
    FormId.ENGAGEMENT: (*ASSURE, *ENGAGEMENT, FAIT_A, FAIT_LE),
}


LIEN_FORMS = frozenset(form for form, fields in FORM_FIELDS.items() if LIEN_ENFANT in fields)


def act_field(row: int, column: str) -> str:
    return f"acte_{row}_{column}"


def act_columns(form: FormId) -> tuple[ActColumn, ...]:
    return DENTAL_COLUMNS if form is FormId.DENTAIRE else ACT_COLUMNS


def act_fields(form: FormId) -> list[list[FieldSpec]]:
    """The acts table of a form, row by row (empty for forms without one), every cell its professional's."""
    return [
        [
            FieldSpec(act_field(row, col.key), f"{col.label} ({row})", col.label_ar, ACT_OWNERS[form])
            for col in act_columns(form)
        ]
        for row in range(1, ACT_ROWS.get(form, 0) + 1)
    ]


def all_fields(form: FormId) -> list[FieldSpec]:
    """Every field of a template (the generator draws exactly these; a test checks the PDFs against them)."""
    return [*FORM_FIELDS[form], *(spec for row in act_fields(form) for spec in row)]


def field_names(form: FormId) -> list[str]:
    return [spec.name for spec in all_fields(form)]


def forms_for(claim: Claim) -> list[FormId]:
    """The forms a claim's envelope holds. The exonération request is asked once per ALD, so only on request."""
    forms = list(FORMS_FOR_KIND[claim.kind])
    if claim.kind is ClaimKind.ACCIDENT and claim.third_party_liable:
        forms.append(FormId.ENGAGEMENT)
    if claim.kind is ClaimKind.ALD and claim.exoneration:
        forms.append(FormId.EXONERATION)
    return forms


def _comb_date(value: date | None) -> str:
    """Dates in the forms' 8 boxes (jj mm aaaa)."""
    return f"{value:%d%m%Y}" if value else ""


def payout_text(student: Student) -> str:
    """Virement with the formatted RIB when the student gave one, else mandat postal (DOMAIN.md: RIB optional)."""
    if student.payout_method == PayoutMethod.VIREMENT and student.rib:
        return N_("Virement — RIB %(rib)s") % {"rib": format_rib(student.rib)}
    return N_("Mandat postal (Barid Al-Maghrib)")


def identity_number(student: Student) -> str:
    """The CNIE as the comb boxes want it: no spaces, upper case."""
    return "".join(student.cnie.split()).upper()


def _checked(*specs: FieldSpec) -> dict[str, str]:
    return {spec.name: CHECKED for spec in specs}


def _ald_choice(code: str) -> Iterable[FieldSpec]:
    """The ALD list's box for a code "1".."42" (the numbering of seed 002); other codes tick nothing."""
    number = int(code) if code.strip().isdigit() else 0
    return ALD_CHOICES[number - 1 : number] if 1 <= number <= len(ALD_CHOICES) else ()


# The keys of the assuré's identity, as the official-sheet overlay (claimkit.adapters.official_forms) names them,
# mapped to this field map's own field names.
OVERLAY_FIELDS = {
    "nom_prenom": NOM_PRENOM.name,
    "immatriculation": IMMATRICULATION.name,
    "cin": CIN.name,
    "adresse": ADRESSE.name,
    "montant_frais": MONTANT_FRAIS.name,
    "pieces_jointes": PIECES_JOINTES.name,
}
ENFANT = "enfant"  # the value of `lien_parente` when the student is the parent's ayant droit


def assure_values(scheme: Scheme, student: Student, claim: Claim, attachments: int = 0) -> dict[str, str]:
    """Who is the assuré on the sheet, as the overlay's keys: the ONE place that decides it
    (docs/domain.md#law-54-23-and-the-schemes).

    AMO-E and à titre personnel: the student, with the CNIE in "N° d'immatriculation" (students have no
    immatriculation, seed 000). Ayant droit: the parent, with their CNSS immatriculation, CIN and address, and
    `lien_parente` = "enfant"; the student is the bénéficiaire, whom the doctor certifies.
    """
    parent = student.parent
    values = {
        "montant_frais": decimal_comma(claim.total_paid) if claim.acts else "",
        "pieces_jointes": str(attachments) if attachments > 0 else "",
    }
    if scheme is Scheme.AYANT_DROIT and parent is not None:
        values |= {
            "nom_prenom": parent.nom_prenom.strip(),
            "immatriculation": "".join(parent.immatriculation.split()),
            "cin": "".join(parent.cin.split()).upper(),
            "adresse": parent.adresse.strip(),
            "lien_parente": ENFANT,
        }
    else:
        values |= {
            "nom_prenom": f"{student.nom.upper()} {student.prenom}".strip(),
            "immatriculation": identity_number(student),  # students have no immatriculation: the CNIE goes here
            "cin": identity_number(student),
            "adresse": student.adresse.strip(),
        }
    return values


def field_values(
    form: FormId, student: Student, claim: Claim, attachments: int = 0, scheme: Scheme = Scheme.AMO_E
) -> dict[str, str]:
    """What claimkit writes: the assuré's part only. Missing values are left out, never invented.

    `attachments` is the number of pièces jointes the student ticked; `scheme` (by the date of care) decides who
    the assuré is (assure_values).
    """
    assure = assure_values(scheme, student, claim, attachments)
    values = {field: assure[key] for key, field in OVERLAY_FIELDS.items()}
    if assure.get("lien_parente") == ENFANT:
        values.update(_checked(LIEN_ENFANT) if form in LIEN_FORMS else {})
    else:  # the CNSS pays the parent, on the parent's own account: the student's RIB is not written for them
        values[NOM_PRENOM_AR.name] = f"{student.nom_ar} {student.prenom_ar}".strip()
        values[PAIEMENT.name] = payout_text(student)
    values[TELEPHONE.name] = student.telephone
    # AFFILIATION is never written: students have no affiliation number (seed 000). Nor is the acts table: it is the
    # professionals' area (each act's date, nature, code, amount under their cachet); the acts and their total go on
    # the packet's récapitulatif, and « Montant des frais » above is the total of every act (docs/domain.md, "Acts,
    # dates and amounts go on the cover's récapitulatif"). One home for that rule: the guide, the fillable download
    # and the official sheet's overlay all write these values.
    if form is FormId.DENTAIRE and claim.accident_date:
        values[DENT_ACCIDENT_DATE.name] = _comb_date(claim.accident_date)
        values[DENT_ACCIDENT_CIRC.name] = claim.accident_circumstances
    if form is FormId.ALD:
        values[ALD_CODE.name] = claim.ald_code
        values[ALD_ACCORD.name] = claim.ald_accord
    if form is FormId.EXONERATION:
        values.update(_checked(*_ald_choice(claim.ald_code)))
    if form is FormId.ACCIDENT:
        values[ACC_DATE.name] = _comb_date(claim.accident_date)
        values[ACC_CIRC.name] = claim.accident_circumstances
        if claim.kind is ClaimKind.ACCIDENT:
            values.update(_checked(ACC_TIERS_OUI if claim.third_party_liable else ACC_TIERS_NON))
    if form is FormId.ENGAGEMENT:
        values[ENG_DATE.name] = _comb_date(claim.accident_date)
    return {name: value for name, value in values.items() if value}
