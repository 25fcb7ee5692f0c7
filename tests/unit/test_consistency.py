"""Warnings on typed figures that disagree: the pharmacy act against the scanned boxes."""

from datetime import date
from decimal import Decimal

from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, MedicineLine
from claimkit.domain.consistency import (
    NO_PHARMACY_ACT,
    PHARMACY_MISMATCH,
    default_act_type,
    medicines_total,
    warnings,
)

DAY = date(2026, 11, 20)
BOX = MedicineLine("ZADRYL", 2, "6118000120698", Decimal("34.90"), Decimal("20.00"))


def test_a_new_act_starts_from_the_claims_kind() -> None:
    assert default_act_type(ClaimKind.DENTAIRE) is ActType.SOINS_DENTAIRES
    assert default_act_type(ClaimKind.MALADIE) is ActType.CONSULTATION_GENERALISTE
    assert {default_act_type(k) for k in ClaimKind} <= set(ActType)


def test_medicines_without_a_pharmacy_act_are_flagged() -> None:
    claim = Claim(ClaimKind.MALADIE, acts=(Act(DAY, ActType.CONSULTATION_GENERALISTE, Decimal(150)),), medicines=(BOX,))
    assert [w.msgid for w in warnings(claim)] == [NO_PHARMACY_ACT]


def test_the_pharmacy_amount_must_match_the_boxes() -> None:
    paid = Act(DAY, ActType.PHARMACIE, Decimal("60.00"))
    (warning,) = warnings(Claim(ClaimKind.MALADIE, acts=(paid,), medicines=(BOX,)))
    assert warning.msgid == PHARMACY_MISMATCH
    assert warning.values == {"paid": Decimal("60.00"), "scanned": Decimal("69.80")}
    right = Act(DAY, ActType.PHARMACIE, Decimal("69.80"))
    assert warnings(Claim(ClaimKind.MALADIE, acts=(right,), medicines=(BOX,))) == []


def test_a_box_without_price_or_no_box_compares_nothing() -> None:
    paid = (Act(DAY, ActType.PHARMACIE, Decimal("60.00")),)
    assert medicines_total(Claim(ClaimKind.MALADIE, acts=paid)) is None
    unpriced = Claim(ClaimKind.MALADIE, acts=paid, medicines=(BOX, MedicineLine("X")))
    assert medicines_total(unpriced) is None and warnings(unpriced) == []
