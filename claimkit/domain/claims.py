"""The vocabulary of a claim, as plain immutable values.

The database rows (adapters/db) are converted to these before any rule runs, so deadlines, checklists,
refund estimates and the PDF field map can be tested without a database.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from enum import StrEnum

from claimkit.domain.messages import N_
from claimkit.domain.schemes import Parent


class ClaimKind(StrEnum):
    MALADIE = "maladie"
    DENTAIRE = "dentaire"
    ALD = "ald"
    ACCIDENT = "accident"


KIND_LABELS = {
    ClaimKind.MALADIE: N_("Maladie"),
    ClaimKind.DENTAIRE: N_("Soins dentaires"),
    ClaimKind.ALD: N_("ALD / ALC (longue durée)"),
    ClaimKind.ACCIDENT: N_("Accident"),
}


class ActType(StrEnum):
    CONSULTATION_GENERALISTE = "consultation_generaliste"
    CONSULTATION_SPECIALISTE = "consultation_specialiste"
    PHARMACIE = "pharmacie"
    ANALYSES = "analyses"
    RADIOLOGIE = "radiologie"
    SOINS_DENTAIRES = "soins_dentaires"
    PROTHESE_DENTAIRE = "prothese_dentaire"
    ORTHODONTIE = "orthodontie"
    HOSPITALISATION = "hospitalisation"
    OPERATION = "operation"
    AUTRE = "autre"


ACT_LABELS = {
    ActType.CONSULTATION_GENERALISTE: N_("Consultation généraliste"),
    ActType.CONSULTATION_SPECIALISTE: N_("Consultation spécialiste"),
    ActType.PHARMACIE: N_("Pharmacie (médicaments)"),
    ActType.ANALYSES: N_("Analyses de laboratoire"),
    ActType.RADIOLOGIE: N_("Radiologie / imagerie"),
    ActType.SOINS_DENTAIRES: N_("Soins dentaires"),
    ActType.PROTHESE_DENTAIRE: N_("Prothèse dentaire"),
    ActType.ORTHODONTIE: N_("Orthodontie (dento-faciale)"),
    ActType.HOSPITALISATION: N_("Hospitalisation"),
    ActType.OPERATION: N_("Opération (chirurgie)"),
    ActType.AUTRE: N_("Autre acte"),
}


class ClaimState(StrEnum):
    BROUILLON = "brouillon"
    PRETE = "prete"
    ENVOYEE = "envoyee"
    RECUE = "recue"
    PARTIELLE = "partielle"
    REMBOURSEE = "remboursee"
    REJETEE = "rejetee"
    RESOUMISE = "resoumise"


STATE_LABELS = {
    ClaimState.BROUILLON: N_("Brouillon"),
    ClaimState.PRETE: N_("Prête à envoyer"),
    ClaimState.ENVOYEE: N_("Envoyée"),
    ClaimState.RECUE: N_("Reçue / en cours"),
    ClaimState.PARTIELLE: N_("Partiellement remboursée"),
    ClaimState.REMBOURSEE: N_("Remboursée"),
    ClaimState.REJETEE: N_("Rejetée"),
    ClaimState.RESOUMISE: N_("Re-soumise"),
}


class PayoutMethod(StrEnum):
    """How the CNOPS pays: a virement to the student's RIB, or a mandat postal cashed at Barid Al-Maghrib (no bank
    account needed). The profile's choice and each payment received (docs/domain.md, the RIB is optional)."""

    VIREMENT = "virement"
    MANDAT = "mandat"


@dataclass(frozen=True)
class Act:
    performed_on: date
    type: ActType
    amount: Decimal
    practitioner: str = ""
    inpe: str = ""
    # Dental acts (docs/domain.md#checklist-of-attachments): the dentist's IF and ICE on the note d'honoraires,
    # and the n° of the entente préalable that prosthesis and orthodontics need BEFORE the care.
    dentist_if: str = ""
    dentist_ice: str = ""
    entente: str = ""


DENTAL_ACTS = frozenset({ActType.SOINS_DENTAIRES, ActType.PROTHESE_DENTAIRE, ActType.ORTHODONTIE})
ENTENTE_ACTS = frozenset({ActType.PROTHESE_DENTAIRE, ActType.ORTHODONTIE})


@dataclass(frozen=True)
class MedicineLine:
    name: str
    quantity: int = 1
    ean13: str = ""
    ppv: Decimal | None = None
    pbr: Decimal | None = None
    # The reference's own rate (`taux_remb`, %): 0 = non remboursable, None = not in the reference
    # (docs/domain.md#refund-estimate).
    rate_percent: int | None = None
    dci: str = ""  # the active ingredient and the strength, from the reference: shown, never computed on
    dosage: str = ""

    @property
    def detail(self) -> str:
        """ "100 MG · OXALIPLATINE": what tells two boxes of the same name apart."""
        return " · ".join(part for part in (self.dosage, self.dci) if part)


@dataclass(frozen=True)
class Treatment:
    """A continuous treatment: the deadline runs from its end, not from the first act."""

    start: date
    end: date

    def outside(self, acts: tuple["Act", ...]) -> tuple["Act", ...]:
        """Acts a continuous treatment cannot cover: its deadline would run from the end of a treatment that
        does not include them (docs/domain.md#deadline-and-posting)."""
        return tuple(act for act in acts if not self.start <= act.performed_on <= self.end)


@dataclass(frozen=True)
class ClaimDetails:
    """What the student says about a claim besides its acts, as typed on the claim page. The one home of these
    fields: the form builds it, the service stores it and "nouvel envoi" copies it by these names
    (adapters/db/mappers.py), so a new detail touches the model, its migration, this class and the form."""

    label: str = ""
    treatment_start: date | None = None
    treatment_end: date | None = None
    ald_code: str = ""
    ald_accord: str = ""
    ald_exoneration: bool = False
    accident_date: date | None = None
    accident_circumstances: str = ""
    third_party_liable: bool = False
    # The student's own reminder about the claim (who keeps the originals, what is still to ask for): shown on the
    # claim page and in the data export only; not in `Claim`, so no sheet, packet or mail ever carries it.
    personal_note: str = ""


# The details that belong to one kind of claim only; every other detail applies to all claims. The claim page draws
# the fields of ClaimDetails through `details_for`, so a new detail for every claim needs no template edit.
ONLY_FOR_KIND = {
    "ald_code": ClaimKind.ALD,
    "ald_accord": ClaimKind.ALD,
    "ald_exoneration": ClaimKind.ALD,
    "accident_date": ClaimKind.ACCIDENT,
    "accident_circumstances": ClaimKind.ACCIDENT,
    "third_party_liable": ClaimKind.ACCIDENT,
}


# The fields of an act that belong to one kind of claim only: the dentist's IF and ICE (the note d'honoraires) and the
# n° d'entente préalable (docs/domain.md#checklist-of-attachments). The act forms (claim page, edit page) draw the
# fields of Act through `act_fields_for`, as the claim page draws the details through `details_for`.
ACT_ONLY_FOR_KIND = {
    "dentist_if": ClaimKind.DENTAIRE,
    "dentist_ice": ClaimKind.DENTAIRE,
    "entente": ClaimKind.DENTAIRE,
}


def _asked(value: type, only_for_kind: dict[str, ClaimKind], kind: ClaimKind) -> tuple[str, ...]:
    """The names of the fields of the dataclass `value` a claim of `kind` asks for, in their order."""
    return tuple(spec.name for spec in fields(value) if only_for_kind.get(spec.name, kind) == kind)


def details_for(kind: ClaimKind) -> tuple[str, ...]:
    """The names of the details a claim of `kind` asks for, in the order of ClaimDetails."""
    return _asked(ClaimDetails, ONLY_FOR_KIND, kind)


def act_fields_for(kind: ClaimKind) -> tuple[str, ...]:
    """The names of the fields of an act of a claim of `kind`, in the order of Act (a dental act's IF, ICE and
    entente on a dentaire claim only)."""
    return _asked(Act, ACT_ONLY_FOR_KIND, kind)


def own_act_fields(kind: ClaimKind) -> tuple[str, ...]:
    """Those of `act_fields_for(kind)` that only claims of `kind` ask for (drawn together, under their legend)."""
    return tuple(name for name in act_fields_for(kind) if name in ACT_ONLY_FOR_KIND)


@dataclass(frozen=True)
class Claim:
    kind: ClaimKind
    acts: tuple[Act, ...] = ()
    medicines: tuple[MedicineLine, ...] = ()
    treatment: Treatment | None = None
    ald_code: str = ""
    ald_accord: str = ""  # n° de l'accord d'exonération, once the CNOPS has granted it
    exoneration: bool = False  # ALD: the demande d'exonération du ticket modérateur goes in this envelope
    third_party_liable: bool = False
    accident_date: date | None = None
    accident_circumstances: str = ""

    @property
    def first_act_date(self) -> date | None:
        return min((act.performed_on for act in self.acts), default=None)

    @property
    def deadline_start(self) -> date | None:
        """The date the filing deadline counts from (DOMAIN.md: first act, or end of a continuous treatment)."""
        return self.treatment.end if self.treatment else self.first_act_date

    @property
    def medicines_on(self) -> date | None:
        """The day the medicines were bought, for the rates in force then: the pharmacy act's, else the first act's."""
        pharmacy = [act.performed_on for act in self.acts if act.type is ActType.PHARMACIE]
        return min(pharmacy, default=self.first_act_date)

    @property
    def total_paid(self) -> Decimal:
        return sum((act.amount for act in self.acts), Decimal("0"))


@dataclass(frozen=True)
class Student:
    """The assuré's part of the forms. `cnie` goes in the "N° d'immatriculation" box."""

    nom: str
    prenom: str
    cnie: str
    adresse: str = ""
    nom_ar: str = ""
    prenom_ar: str = ""
    massar: str = ""
    date_naissance: date | None = None
    telephone: str = ""
    etablissement: str = ""
    payout_method: PayoutMethod = PayoutMethod.MANDAT
    rib: str = ""
    parent: Parent | None = None  # the insured parent, for claims under law 54-23's ayant-droit scheme


RESENT = N_("%(label)s (nouvel envoi)")
_LEGACY_RESENT = " (nouvel envoi)"  # what copies stored in their label before issue 17 (French, in the data)


def claim_title(label: str, kind: str, resent: bool = False, translate: Callable[[str], str] = str) -> str:
    """The claim's name in the reader's language: the student's label, else the kind; a copy made to send a
    rejected claim again says so. Copies made before issue 17 carry the French words in their label (with
    "Dossier" when the source had no label): read the same way."""
    if label.endswith(_LEGACY_RESENT):
        label, resent = label.removesuffix(_LEGACY_RESENT), True
        label = "" if label == "Dossier" else label
    title = label or translate(KIND_LABELS[ClaimKind(kind)])
    return translate(RESENT) % {"label": title} if resent else title
