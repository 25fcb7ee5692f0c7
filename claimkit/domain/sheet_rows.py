"""How many acts one claim may hold: the rows of its feuille de soins (docs/domain.md#acts-on-one-sheet).

A claim is one envelope with one feuille de soins (« Etablir une feuille de soins par personne et par événement »,
forms-research.md §7), and the sheet's acts table has a fixed number of rows (`forms.ACT_ROWS`, data of the form).
An act beyond them has no row on the sheet, while « Montant des frais » and the estimate would still add it: the
CNOPS pays what the sheet shows with its justificatifs, so that act is money the student does not get, or a sheet
whose total does not match its lines. Hence:

- a new act is refused once the rows are full, saying to start a new claim for it (nothing saved changes);
- a claim that already holds more (made before this rule, or the « nouvel envoi » copy of such a claim) is blocked:
  a gap on its checklist, no packet and no « J'ai posté », with the fix offered (move the acts beyond the rows to a
  new claim), and its estimate counts only the acts the sheet carries.

The medicines are not rows of the acts table: the pharmacist writes one total for them in their own part, and the
boxes' codes go on the ordonnance, so medicine lines have no such limit.
"""

from dataclasses import replace

from claimkit.domain.claims import Claim, ClaimKind
from claimkit.domain.forms import act_rows, written_acts
from claimkit.domain.messages import N_, Message

SHEET_FULL = N_(
    "La feuille de soins de ce dossier n'a que %(rows)s lignes d'actes et elles sont toutes remplies : un acte de "
    "plus n'y serait pas écrit, donc pas remboursé. Créez un nouveau dossier pour cet acte et les suivants ; les "
    "actes déjà enregistrés ne changent pas."
)
TOO_MANY = N_(
    "Ce dossier a %(count)s actes mais sa feuille de soins n'a que %(rows)s lignes d'actes : les actes au-delà de "
    "la ligne %(rows)s ne seraient ni écrits sur la feuille ni remboursés, et ne sont pas comptés dans l'estimation. "
    "Déplacez-les dans un nouveau dossier avant d'imprimer ou d'envoyer."
)
GAP = N_("un nouveau dossier pour les actes au-delà des %(rows)s lignes de la feuille (actes)")


def room_problem(kind: ClaimKind, held: int) -> Message | None:
    """Before an act is added to a claim of `kind` holding `held` acts: the refusal once its sheet is full."""
    rows = act_rows(kind)
    return Message(SHEET_FULL, {"rows": rows}) if held >= rows else None


def overflow(claim: Claim) -> Message | None:
    """A claim holding more acts than its sheet has rows: what blocks it, and what to do."""
    rows = act_rows(claim.kind)
    return Message(TOO_MANY, {"count": len(claim.acts), "rows": rows}) if len(claim.acts) > rows else None


def overflow_gap(claim: Claim) -> Message | None:
    """The same block as a line of the claim's checklist gaps (« il manque : … »)."""
    rows = act_rows(claim.kind)
    return Message(GAP, {"rows": rows}) if len(claim.acts) > rows else None


def carried(claim: Claim) -> Claim:
    """The claim as its sheet carries it: the acts that have a row (`forms.written_acts`, the ones `field_values`
    writes). The estimate is made on this, never on money the sheet cannot carry."""
    return claim if len(claim.acts) <= act_rows(claim.kind) else replace(claim, acts=written_acts(claim))
