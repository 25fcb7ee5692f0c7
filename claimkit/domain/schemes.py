"""Which health-insurance scheme a claim falls under, chosen by the DATE OF CARE (law 54-23).

Law 54-23 abolishes the students' own AMO regime (AMO-E, run by the CNOPS) and folds it into the CNSS-run
schemes; after the cut-over a student is mostly the ayant droit of an insured parent. The cut-over date is not
fixed by the texts yet: it is a dated configuration row, unset by default, and while it is unset every claim stays
AMO-E exactly as before (docs/domain.md#law-54-23-and-the-schemes).

Which insurer's address, rates and tariffs apply is a *regime* (a key of the dated reference rows), so the operator
edits rows, not code, the day the decrees are published.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from claimkit.domain.messages import N_, Message


class Scheme(StrEnum):
    AMO_E = "amo_e"  # the student is the assuré, CNOPS (until the cut-over)
    AYANT_DROIT = "ayant_droit"  # the parent is the assuré, "Enfant" ticked, the student is the bénéficiaire
    PERSONNEL = "personnel"  # the student is the assuré in their own name, at the CNSS


SCHEME_LABELS = {
    Scheme.AMO_E: N_("AMO-E (CNOPS)"),
    Scheme.AYANT_DROIT: N_("Ayant droit d'un parent assuré (CNSS)"),
    Scheme.PERSONNEL: N_("Assuré(e) à titre personnel (CNSS)"),
}

# The regime keys of the dated reference rows (insurers, refund_rates, tariffs).
CNOPS = "cnops"
CNSS = "cnss"
REGIMES = (CNOPS, CNSS)
SCHEME_REGIME = {Scheme.AMO_E: CNOPS, Scheme.AYANT_DROIT: CNSS, Scheme.PERSONNEL: CNSS}

# The parent's insurer, as the profile offers it. After the cut-over both sectors are managed by the CNSS.
PARENT_INSURERS = {
    "cnss_prive": N_("CNSS — secteur privé (salarié ou indépendant)"),
    "cnss_public": N_("CNSS — secteur public (ex-CNOPS, fonctionnaire)"),
}

CUTOVER_KEY = "loi_54_23_bascule"  # the key of the cut-over row in the dated configuration table


@dataclass(frozen=True)
class Parent:
    """The insured parent of a student, as the assuré's part of the sheet needs them."""

    nom_prenom: str = ""
    immatriculation: str = ""  # the parent's N° d'immatriculation at the CNSS
    cin: str = ""
    insurer: str = ""  # a PARENT_INSURERS key
    adresse: str = ""

    @property
    def complete(self) -> bool:
        """Enough to write the parent as the assuré: a name, an immatriculation and a CIN."""
        return bool(self.nom_prenom.strip() and self.immatriculation.strip() and self.cin.strip())


def scheme_on(care_day: date, cutover: date | None, parent: Parent | None) -> Scheme:
    """The scheme of care given on `care_day`: AMO-E before the cut-over (or while it is unset), then ayant droit
    when the profile names an insured parent, else assuré à titre personnel."""
    if cutover is None or care_day < cutover:
        return Scheme.AMO_E
    return Scheme.AYANT_DROIT if parent is not None and parent.complete else Scheme.PERSONNEL


def straddle_problem(care_days: Iterable[date], cutover: date | None) -> Message | None:
    """One sheet per scheme: acts on both sides of the cut-over cannot share a claim."""
    days = sorted(care_days)
    if cutover is None or not days or days[-1] < cutover or days[0] >= cutover:
        return None
    return Message(
        N_(
            "Un dossier ne peut pas mêler des soins d'avant et d'après le %(cutover)s (passage de l'AMO-E à la "
            "CNSS, loi 54-23) : une feuille par régime. Mettez les soins du %(day)s et après dans un nouveau dossier."
        ),
        {"cutover": cutover, "day": cutover},
    )


class Phase(StrEnum):
    """What the student is told about the cut-over: once before it, once after it."""

    BEFORE = "avant"
    AFTER = "apres"


def notice_phase(today: date, cutover: date | None) -> Phase | None:
    if cutover is None:
        return None
    return Phase.BEFORE if today < cutover else Phase.AFTER


NOTICES = {
    Phase.BEFORE: N_(
        "Loi 54-23 : à partir du %(cutover)s, l'AMO-E des étudiants disparaît et vos soins seront remboursés par "
        "la CNSS, le plus souvent comme ayant droit d'un parent assuré. Demandez dès maintenant à votre parent son "
        "N° d'immatriculation CNSS et son n° de CIN, et ajoutez-les dans votre profil. Les soins d'avant cette "
        "date restent à envoyer à la CNOPS."
    ),
    Phase.AFTER: N_(
        "Loi 54-23 : depuis le %(cutover)s, vos nouveaux soins sont remboursés par la CNSS. Sur la feuille, votre "
        "parent est l'assuré(e) (case « Enfant » cochée) et c'est lui qui signe la déclaration de l'assuré(e). "
        "Vérifiez son N° d'immatriculation CNSS et son n° de CIN dans votre profil. Les dossiers déjà envoyés ne "
        "changent pas."
    ),
}


def notice(phase: Phase, cutover: date) -> Message:
    return Message(NOTICES[phase], {"cutover": cutover})
