"""The field map: the ONLY place that knows the forms' field names.

claimkit draws its own faithful equivalents of the CNOPS forms (forms_pdf/generate.py) because the official
PDFs are not available here. The generator reads the field names below, and the filler writes the values
computed below, so dropping in an official fillable PDF later means editing this map alone.

Only the assuré's part is ever filled. The professionals' fields (INPE, cachet, signature, honoraires) are
declared so the templates draw them, and stay empty: claimkit never signs for anyone.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from claimkit.domain.claims import ACT_LABELS, Claim, ClaimKind, Student
from claimkit.domain.identifiers import format_rib
from claimkit.domain.messages import N_

FORMS_VERSION = "claimkit-2026.11"  # printed in each template's footer; bump when a layout changes


class FormId(StrEnum):
    MALADIE = "maladie"
    DENTAIRE = "dentaire"
    ALD = "ald"
    EXONERATION = "exoneration"
    ACCIDENT = "declaration_accident"
    ENGAGEMENT = "engagement_restituer"


FORM_TITLES = {
    FormId.MALADIE: (N_("Feuille de soins maladie"), "ورقة العلاجات - المرض"),
    FormId.DENTAIRE: (N_("Feuille de soins dentaires"), "ورقة علاجات الأسنان"),
    FormId.ALD: (N_("Feuille de soins — affections de longue durée et coûteuses (ALD/ALC)"),
                 "ورقة العلاجات - الأمراض المزمنة والمكلفة"),
    FormId.EXONERATION: (N_("Demande d'exonération du ticket modérateur (ALD-ALC)"), "طلب الإعفاء من الجزء المتبقي"),
    FormId.ACCIDENT: (N_("Déclaration d'accident"), "التصريح بالحادثة"),
    FormId.ENGAGEMENT: (N_("Engagement à restituer les montants en cas d'accident assuré par un tiers"),
                        "التزام بإرجاع المبالغ"),
}  # fmt: skip


@dataclass(frozen=True)
class FieldSpec:
    name: str  # ASCII, stable: the AcroForm field name
    label: str
    professional: bool = False  # True: drawn empty, never filled by claimkit
    check: bool = False
    lines: int = 1


ASSURE = (
    FieldSpec("assure_nom_prenom", N_("Nom et prénom")),
    FieldSpec("assure_affiliation", N_("N° d'affiliation (laisser vide : étudiant)")),
    FieldSpec("assure_immatriculation", N_("N° d'immatriculation (n° de CNIE de l'étudiant)")),
    FieldSpec("assure_cin", N_("N° CIN / CNIE")),
    FieldSpec("assure_massar", N_("CNE / code Massar")),
    FieldSpec("assure_adresse", N_("Adresse"), lines=2),
    FieldSpec("assure_telephone", N_("Téléphone")),
    FieldSpec("assure_paiement", N_("Mode de remboursement")),
    FieldSpec("assure_montant_frais", N_("Montant des frais (DH)")),
    FieldSpec("assure_pieces_jointes", N_("Nombre de pièces jointes")),
)
ACT_COLUMNS = (("date", N_("Date")), ("nature", N_("Nature de l'acte")), ("montant", N_("Montant (DH)")))
ACT_ROWS = {FormId.MALADIE: 6, FormId.DENTAIRE: 9, FormId.ALD: 6}
DENTAL_COLUMNS = (("date", N_("Date")), ("dent", N_("Dent(s)")), ("nature", N_("Code / cotation NGAP")),
                  ("montant", N_("Montant (DH)")))  # fmt: skip

_MEDECIN = (
    FieldSpec("medecin_identite", N_("Médecin traitant : nom et spécialité"), professional=True),
    FieldSpec("medecin_inpe", N_("INPE du médecin"), professional=True),
    FieldSpec("medecin_cachet_signature", N_("Cachet, signature datée et honoraires du médecin"), professional=True,
       lines=3),
)  # fmt: skip
_PHARMACIE = (
    FieldSpec("pharmacien_cachet_signature", N_("Cachet et signature datée du pharmacien"), professional=True, lines=2),
    FieldSpec("pharmacien_inpe", N_("INPE du pharmacien"), professional=True),
    FieldSpec("pharmacien_montant", N_("Montant total des médicaments (pharmacien)"), professional=True),
)
_LABO = (
    FieldSpec("labo_inpe", N_("Laboratoire / radiologie : n° d'identification (INP du centre)"), professional=True),
    FieldSpec(
        "labo_cachet_signature", N_("Cachet, signature et date de réalisation des actes"), professional=True, lines=2
    ),
)
_DENTISTE = (
    FieldSpec("dentiste_inpe", N_("INPE du chirurgien-dentiste"), professional=True),
    FieldSpec("dentiste_ice", N_("ICE du cabinet (15 chiffres)"), professional=True),
    FieldSpec(
        "dentiste_cachet_signature", N_("Cachet et signature du chirurgien-dentiste"), professional=True, lines=3
    ),
)
_ALD = (
    FieldSpec("ald_code", N_("Code de l'ALD (accord d'exonération)")),
    FieldSpec("ald_accord", N_("N° de l'accord")),
)
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
    "Rétinopathie diabétique", "Sclérodémie généralisée évolutive", "Sclérose en plaques",
    "Spondylarthrite ankylosante grave", "Syndrome d'immunodéficience acquise (SIDA)", "Syndromes néphrotiques",
    "Troubles graves de la personnalité", "Troubles héréditaires de l'hémostase",
    "Troubles mentaux et/ou de personnalité dus à une lésion, à un dysfonctionnement cérébral ou à une lésion "
    "physique", "Troubles permanents du rythme et de la conductivité", "Tumeurs malignes",
    "Valvulopathies rhumatismales", "Vascularites", "Insuffisance hypophysaire",
)  # seed 002: the 42 ALD  # fmt: skip
_ALD_CHOICES = tuple(FieldSpec(f"ald_{i:02d}", f"{i}. {name}", check=True) for i, name in enumerate(ALD_LIST, 1))
_ACCIDENT = (
    FieldSpec("accident_date", N_("Date de l'accident")),
    FieldSpec("accident_circonstances", N_("Circonstances de l'accident"), lines=3),
    FieldSpec("accident_tiers", N_("Un tiers est responsable"), check=True),
)
_FAIT = (FieldSpec("fait_a", N_("Fait à")), FieldSpec("fait_le", N_("Le")))

EXTRA_FIELDS: dict[FormId, tuple[FieldSpec, ...]] = {
    FormId.MALADIE: _MEDECIN + _PHARMACIE + _LABO,
    FormId.DENTAIRE: _DENTISTE,
    FormId.ALD: _ALD + _MEDECIN + _PHARMACIE + _LABO,
    FormId.EXONERATION: (
        *_ALD_CHOICES,
        FieldSpec("exo_medecin_avis", N_("Avis et cachet du médecin traitant"), professional=True, lines=3),
    ),
    FormId.ACCIDENT: _ACCIDENT,
    FormId.ENGAGEMENT: (
        FieldSpec("engagement_tiers", N_("Tiers responsable / son assurance (nom, n° de police)"), lines=2),
    ),
}


def act_field(row: int, column: str) -> str:
    return f"acte_{row}_{column}"


def act_columns(form: FormId) -> tuple[tuple[str, str], ...]:
    return DENTAL_COLUMNS if form is FormId.DENTAIRE else ACT_COLUMNS


def all_fields(form: FormId) -> list[FieldSpec]:
    """Every field of a template, in drawing order (the generator and the tests read this)."""
    fields = list(ASSURE) + list(EXTRA_FIELDS[form])
    for row in range(1, ACT_ROWS.get(form, 0) + 1):
        fields += [FieldSpec(act_field(row, column), label) for column, label in act_columns(form)]
    return [*fields, *_FAIT]


def forms_for(claim: Claim) -> list[FormId]:
    """The forms a claim's envelope must hold (exonération is asked separately, once per ALD)."""
    if claim.kind is ClaimKind.DENTAIRE:
        return [FormId.DENTAIRE]
    if claim.kind is ClaimKind.ALD:
        return [FormId.ALD]
    if claim.kind is ClaimKind.ACCIDENT:
        extra = [FormId.ENGAGEMENT] if claim.third_party_liable else []
        return [FormId.MALADIE, FormId.ACCIDENT, *extra]
    return [FormId.MALADIE]


def amount_fr(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def field_values(form: FormId, student: Student, claim: Claim, attachments: int) -> dict[str, str]:
    """What claimkit writes: the assuré's part only. Missing values are left out, never invented."""
    payout = (
        N_("Virement — RIB %(rib)s") % {"rib": format_rib(student.rib)}
        if student.payout_method == "virement" and student.rib
        else N_("Mandat postal (Barid Al-Maghrib)")
    )
    values = {
        "assure_nom_prenom": f"{student.nom.upper()} {student.prenom}".strip(),
        "assure_immatriculation": student.cnie,
        "assure_cin": student.cnie,
        "assure_massar": student.massar,
        "assure_adresse": student.adresse,
        "assure_telephone": student.telephone,
        "assure_paiement": payout,
        "assure_montant_frais": amount_fr(claim.total_paid) if claim.acts else "",
        "assure_pieces_jointes": str(attachments) if attachments else "",
    }
    rows = ACT_ROWS.get(form, 0)
    for row, act in enumerate(claim.acts[:rows], 1):
        values[act_field(row, "date")] = act.performed_on.strftime("%d/%m/%Y")
        values[act_field(row, "nature")] = ACT_LABELS[act.type]
        values[act_field(row, "montant")] = amount_fr(act.amount)
    if form is FormId.ALD:
        values["ald_code"] = claim.ald_code
    if form is FormId.ACCIDENT:
        values["accident_date"] = claim.accident_date.strftime("%d/%m/%Y") if claim.accident_date else ""
        values["accident_circonstances"] = claim.accident_circumstances
        values["accident_tiers"] = "Yes" if claim.third_party_liable else ""
    return {name: value for name, value in values.items() if value}
