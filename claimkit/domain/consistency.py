"""Checks that keep typed data from being silently wrong: a claim whose figures disagree gets a warning.

None of these refuse anything (the student may have a reason, e.g. a box paid elsewhere); they are shown on the
claim page until the figures agree (docs/domain.md#consistency-of-typed-data).
"""

from decimal import Decimal

from claimkit.domain.claims import ActType, Claim, ClaimKind
from claimkit.domain.messages import N_, Message

# The act a new claim of each kind most often starts with; the student changes it when it is not.
DEFAULT_ACT: dict[ClaimKind, ActType] = {
    ClaimKind.MALADIE: ActType.CONSULTATION_GENERALISTE,
    ClaimKind.DENTAIRE: ActType.SOINS_DENTAIRES,
    ClaimKind.ALD: ActType.CONSULTATION_SPECIALISTE,
    ClaimKind.ACCIDENT: ActType.CONSULTATION_GENERALISTE,
}

NO_PHARMACY_ACT = N_(
    "Des médicaments sont listés mais aucun acte « Pharmacie » : ajoutez l'acte avec le montant payé à la "
    "pharmacie, pour vérifier que les boîtes correspondent à ce que vous avez payé."
)
PHARMACY_MISMATCH = N_(
    "Le montant payé à la pharmacie (%(paid)s) ne correspond pas au total des médicaments scannés "
    "(%(scanned)s) : vérifiez le montant de l'acte ou les quantités."
)


def default_act_type(kind: ClaimKind) -> ActType:
    return DEFAULT_ACT[kind]


def medicines_total(claim: Claim) -> Decimal | None:
    """The boxes' public price × quantity, or None when a line has no PPV (nothing to compare with)."""
    if not claim.medicines or any(line.ppv is None for line in claim.medicines):
        return None
    return sum((line.ppv * line.quantity for line in claim.medicines if line.ppv is not None), Decimal("0.00"))


def warnings(claim: Claim) -> list[Message]:
    """What looks wrong in the claim's figures, for the claim page (and after adding a medicine)."""
    pharmacy = [act for act in claim.acts if act.type is ActType.PHARMACIE]
    if claim.medicines and not pharmacy:
        return [Message(NO_PHARMACY_ACT)]
    scanned = medicines_total(claim)
    paid = sum((act.amount for act in pharmacy), Decimal("0.00"))
    if scanned is not None and paid != scanned:
        return [Message(PHARMACY_MISMATCH, {"paid": paid, "scanned": scanned})]
    return []
