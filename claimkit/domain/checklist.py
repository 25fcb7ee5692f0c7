"""Which attachments a claim needs, as one table of rules, and what still stands between it and "prête".

Each rule says when it applies (claim kinds, act types, medicine lines, a liable third party) and why the CNOPS
asks for it (docs/domain.md#checklist-of-attachments, with each item's source). The conditions are plain sets,
not code, so the table reads like the CNOPS notice and a new rule is one row. The medicines' codes are required:
the CNOPS dropped only the PPV price vignettes (December 2020), never the code printed on the box.

Keys are stored in the database with the student's ticks: never rename one.
"""

from collections.abc import Mapping, Set
from dataclasses import dataclass

from claimkit.domain.claims import (
    ACT_LABELS,
    DENTAL_ACTS,
    ENTENTE_ACTS,
    ActType,
    Claim,
    ClaimKind,
    PayoutMethod,
    Student,
)
from claimkit.domain.messages import N_, Message, Value

ALL_KINDS = frozenset(ClaimKind)
PRESCRIBED = frozenset({ActType.PHARMACIE, ActType.ANALYSES, ActType.RADIOLOGIE})
# Acts billed by a doctor's own note d'honoraires (a surgeon bills the operation apart from the clinic's stay).
BILLED_BY_DOCTOR = frozenset(
    {ActType.CONSULTATION_GENERALISTE, ActType.CONSULTATION_SPECIALISTE, ActType.OPERATION, ActType.AUTRE}
)


@dataclass(frozen=True)
class ChecklistItem:
    """One attachment as the student sees it: what to bring, why, and whether it blocks sending."""

    key: str
    label: str
    why: str
    required: bool = True


@dataclass(frozen=True)
class Rule(ChecklistItem):
    """A checklist item and the declarative condition under which a claim needs it.

    Applies when the claim's kind is in `kinds`, a third party is liable if `only_third_party`, the exonération
    is requested if `only_exoneration`, and — unless both `acts` and `with_medicines` are unset — one of `acts` is
    present or (`with_medicines`) a medicine line is: medicines can be entered without a pharmacy act, and still
    need their ordonnance.
    """

    kinds: frozenset[ClaimKind] = ALL_KINDS
    acts: frozenset[ActType] = frozenset()
    with_medicines: bool = False
    only_third_party: bool = False
    only_exoneration: bool = False

    def applies(self, claim: Claim) -> bool:
        if claim.kind not in self.kinds or (self.only_third_party and not claim.third_party_liable):
            return False
        if self.only_exoneration and not claim.exoneration:
            return False
        if not self.acts and not self.with_medicines:
            return True
        present = {act.type for act in claim.acts}
        return bool(present & self.acts) or (self.with_medicines and bool(claim.medicines))


RULES: tuple[Rule, ...] = (
    Rule("feuille_maladie", N_("Feuille de soins maladie remplie"),
         N_("La feuille porte vos informations d'assuré et le cachet, l'INPE et la signature de chaque professionnel."),
         kinds=frozenset({ClaimKind.MALADIE, ClaimKind.ACCIDENT})),
    Rule("feuille_dentaire", N_("Feuille de soins dentaires remplie"),
         N_("Les soins dentaires ont leur propre feuille, remplie par le chirurgien-dentiste (INPE, actes, cachet)."),
         kinds=frozenset({ClaimKind.DENTAIRE})),
    Rule("feuille_ald", N_("Feuille de soins ALD/ALC remplie (code ALD et n° d'accord)"),
         N_("Depuis 2024, les patients ALD utilisent cette feuille en y portant le code de l'ALD et le numéro de "
            "l'accord d'exonération (ETM) : la copie de l'accord n'est plus demandée."),
         kinds=frozenset({ClaimKind.ALD})),
    Rule("ordonnance", N_("Ordonnance originale, signée et cachetée par le médecin et par le pharmacien"),
         N_("Elle doit porter votre nom, le nom du médecin, les doses et la durée du traitement, la signature et le "
            "cachet du médecin et du pharmacien : sans elle, médicaments, analyses et radios ne sont pas remboursés."),
         acts=PRESCRIBED, with_medicines=True),
    Rule("facture_medecin", N_("Facture ou note d'honoraires du médecin"),
         N_("Elle prouve le montant payé pour la consultation ou l'acte."), acts=BILLED_BY_DOCTOR),
    Rule("facture_laboratoire", N_("Facture du laboratoire"),
         N_("Elle prouve le montant payé pour les analyses."), acts=frozenset({ActType.ANALYSES})),
    Rule("resultats_analyses", N_("Résultats originaux des analyses"),
         N_("La CNOPS demande les résultats et comptes rendus originaux des examens."),
         acts=frozenset({ActType.ANALYSES})),
    Rule("facture_radiologie", N_("Facture du centre de radiologie"),
         N_("Elle prouve le montant payé pour l'imagerie."), acts=frozenset({ActType.RADIOLOGIE})),
    Rule("compte_rendu_radiologie", N_("Compte rendu de radiologie"),
         N_("Le compte rendu original de l'examen accompagne la facture."), acts=frozenset({ActType.RADIOLOGIE})),
    Rule("facture_hospitalisation", N_("Facture de l'hospitalisation"),
         N_("Elle détaille les frais de séjour et d'actes à rembourser."), acts=frozenset({ActType.HOSPITALISATION})),
    Rule("compte_rendu_operatoire", N_("Compte rendu opératoire"),
         N_("Toute opération doit être justifiée par le compte rendu du chirurgien."),
         acts=frozenset({ActType.OPERATION})),
    Rule("facture_dentiste", N_("Note d'honoraires originale du dentiste (avec IF et ICE)"),
         N_("La note d'honoraires doit être originale, nominative, datée, numérotée et porter l'identifiant fiscal "
            "(IF) et l'ICE du cabinet."),
         kinds=frozenset({ClaimKind.DENTAIRE}), acts=DENTAL_ACTS),
    Rule("radios_dentaires", N_("Radiographies dentaires avant et après les soins"),
         N_("Pour une prothèse ou un traitement d'orthodontie, la CNOPS demande les radiographies d'avant et "
            "d'après les soins."),
         acts=ENTENTE_ACTS),
    Rule("entente_prealable", N_("Accord d'entente préalable de la CNOPS"),
         N_("Prothèse et orthodontie ne sont remboursées qu'avec l'accord de la CNOPS, demandé AVANT les soins "
            "(feuille de soins dentaires cochée « Entente préalable »)."),
         acts=ENTENTE_ACTS),
    Rule("codes_barres", N_("Codes des médicaments : le code-barres imprimé sur chaque boîte, découpé, ou la boîte"),
         N_("Obligatoire : la CNOPS a supprimé en décembre 2020 les seules vignettes de prix (PPV), pas le numéro "
            "de série imprimé sur la boîte : découpez-le et collez-le sur l'ordonnance, ou joignez la boîte du "
            "médicament."),
         acts=frozenset({ActType.PHARMACIE}), with_medicines=True),
    Rule("declaration_accident", N_("Déclaration d'accident"),
         N_("Elle décrit la date et les circonstances de l'accident."), kinds=frozenset({ClaimKind.ACCIDENT})),
    Rule("demande_exoneration", N_("Demande d'exonération du ticket modérateur (partie médicale remplie)"),
         N_("Elle se fait une fois par ALD : le médecin traitant remplit et signe la partie médicale, avec ses "
            "comptes rendus ; l'accord de la CNOPS donne le n° d'accord des feuilles suivantes."),
         kinds=frozenset({ClaimKind.ALD}), only_exoneration=True),
    Rule("engagement_restituer", N_("Engagement à restituer"),
         N_("Quand un tiers est responsable, vous vous engagez à rendre à la CNOPS ce que son assurance vous versera."),
         kinds=frozenset({ClaimKind.ACCIDENT}), only_third_party=True),
)  # fmt: skip


def checklist_for(claim: Claim) -> list[ChecklistItem]:
    """The attachments this claim needs, in the table's order (the order the page and the packet print)."""
    return [rule for rule in RULES if rule.applies(claim)]


@dataclass(frozen=True)
class Assessment:
    """Readiness, split by where the student fixes each gap: the profile, the claim's data, the paper pile."""

    items: tuple[ChecklistItem, ...]
    missing_profile: tuple[Message, ...]
    missing_claim: tuple[Message, ...]
    missing_items: tuple[Message, ...]
    ticked_required: int
    required: int

    @property
    def missing(self) -> tuple[Message, ...]:
        """Every gap, as the page lists them under "Pour être prêt à envoyer, il manque :"."""
        return self.missing_profile + self.missing_claim + self.missing_items

    @property
    def ready(self) -> bool:
        return not self.missing


def _student_gaps(student: Student) -> list[Message]:
    """The assuré's part of the feuille: the CNOPS cannot pay a sheet without name, CNIE and address."""
    fields = (
        (student.nom, N_("votre nom (profil)")),
        (student.prenom, N_("votre prénom (profil)")),
        (student.cnie, N_("votre n° de CNIE (profil)")),
        (student.adresse, N_("votre adresse (profil)")),
    )
    gaps = [Message(label) for value, label in fields if not value.strip()]
    if student.payout_method == PayoutMethod.VIREMENT and not student.rib.strip():
        gaps.append(Message(N_("votre RIB, ou choisissez le mandat postal (profil)")))
    return gaps


def _claim_gaps(claim: Claim) -> list[Message]:
    """Data the feuille and the estimate need; each message names the act or field to correct."""
    gaps = []
    if not claim.acts:
        gaps.append(Message(N_("au moins un acte (consultation, pharmacie…)")))
    for act in claim.acts:
        if act.amount <= 0:
            values: dict[str, Value] = {"act": Message(ACT_LABELS[act.type]), "day": act.performed_on}
            gaps.append(Message(N_("le montant payé de l'acte « %(act)s » du %(day)s (actes)"), values))
    if claim.kind is ClaimKind.ALD and not claim.ald_code.strip():
        gaps.append(Message(N_("le code de l'ALD (informations du dossier)")))
    if claim.kind is ClaimKind.ACCIDENT and claim.accident_date is None:
        gaps.append(Message(N_("la date de l'accident (informations du dossier)")))
    for act in claim.acts:
        values = {"act": Message(ACT_LABELS[act.type]), "day": act.performed_on}
        if act.type in DENTAL_ACTS and not (act.dentist_if.strip() and act.dentist_ice.strip()):
            gaps.append(Message(N_("l'IF et l'ICE du dentiste pour l'acte « %(act)s » du %(day)s (actes)"), values))
        if act.type in ENTENTE_ACTS and not act.entente.strip():
            gaps.append(Message(N_("le n° d'entente préalable de l'acte « %(act)s » du %(day)s (actes)"), values))
    return gaps


ENTENTE_WARNING = N_(
    "Prothèse et orthodontie : demandez l'entente préalable à la CNOPS AVANT les soins (feuille de soins "
    "dentaires cochée « Entente préalable », remplie par le dentiste). Sans accord, ces soins ne sont pas remboursés."
)


def act_warnings(claim: Claim) -> list[str]:
    """Shown on the claim's acts before the care is done, where they can still change what gets paid."""
    return [ENTENTE_WARNING] if any(act.type in ENTENTE_ACTS for act in claim.acts) else []


def assess(claim: Claim, ticked: Set[str], student: Student) -> Assessment:
    """What still stands between this claim and "prête à envoyer", in words the student can act on.

    Recommended items never count as missing, and ticks for items that no longer apply are ignored, so
    removing an act cannot leave a claim blocked by a stale tick.
    """
    items = tuple(checklist_for(claim))
    required = [item for item in items if item.required]
    return Assessment(
        items=items,
        missing_profile=tuple(_student_gaps(student)),
        missing_claim=tuple(_claim_gaps(claim)),
        missing_items=tuple(Message(item.label) for item in required if item.key not in ticked),
        ticked_required=sum(1 for item in required if item.key in ticked),
        required=len(required),
    )


# --- documents per line: the sheet's "Nombre de pièces jointes" (docs/domain.md, "Official sheets and the student's
# part"): the documents the student puts in the envelope, per ticked line, never the sheet itself.
MAX_DOCUMENTS = 50  # more than any envelope holds: a typo (500) is refused rather than written on the sheet
DOCUMENTS_PROBLEM = N_("Nombre de documents pour « %(piece)s » : un nombre entier de 0 à %(max)d.")


def is_sheet(key: str) -> bool:
    """The feuille de soins line: the sheet itself, not a pièce jointe (it gets no count)."""
    return key.startswith("feuille_")


def documents_count(raw: str) -> int | None:
    """The count typed for a ticked line: empty is one document; None when not a whole number from 0 to 50 (an
    Arabic keyboard's digits are digits)."""
    raw = raw.strip()
    if not raw:
        return 1
    if not raw.isdecimal() or len(raw) > 3 or int(raw) > MAX_DOCUMENTS:
        return None
    return int(raw)


def documents_problem(item: ChecklistItem) -> Message:
    return Message(DOCUMENTS_PROBLEM, {"piece": Message(item.label), "max": MAX_DOCUMENTS})


def attachments(documents: Mapping[str, int]) -> int:
    """The number after "Nombre de pièces jointes": every ticked line's documents, the sheet's line left out."""
    return sum(count for key, count in documents.items() if not is_sheet(key))
