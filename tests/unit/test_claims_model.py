from datetime import date
from decimal import Decimal

from claimkit.domain.claims import (
    Act,
    ActType,
    Claim,
    ClaimKind,
    Treatment,
    act_fields_for,
    details_for,
    own_act_fields,
)


def test_deadline_start_is_first_act_or_treatment_end() -> None:
    acts = (
        Act(date(2026, 3, 10), ActType.PHARMACIE, Decimal("34.90")),
        Act(date(2026, 3, 2), ActType.CONSULTATION_GENERALISTE, Decimal("150")),
    )
    claim = Claim(ClaimKind.MALADIE, acts=acts)
    assert claim.first_act_date == date(2026, 3, 2)
    assert claim.deadline_start == date(2026, 3, 2)
    assert claim.total_paid == Decimal("184.90")
    treated = Claim(ClaimKind.MALADIE, acts=acts, treatment=Treatment(date(2026, 3, 2), date(2026, 5, 1)))
    assert treated.deadline_start == date(2026, 5, 1)
    assert Claim(ClaimKind.DENTAIRE).deadline_start is None


def test_each_kind_asks_for_the_general_details_and_its_own() -> None:
    general = ("label", "treatment_start", "treatment_end")
    note = ("personal_note",)
    assert details_for(ClaimKind.MALADIE) == details_for(ClaimKind.DENTAIRE) == (*general, *note)
    assert details_for(ClaimKind.ALD) == (*general, "ald_code", "ald_accord", "ald_exoneration", *note)
    assert details_for(ClaimKind.ACCIDENT) == (
        *general,
        "accident_date",
        "accident_circumstances",
        "third_party_liable",
        *note,
    )


def test_only_a_dentaire_claims_acts_ask_for_the_dentists_if_ice_and_entente() -> None:
    """The act forms draw these (claim page, edit page): docs/domain.md#checklist-of-attachments."""
    common = ("performed_on", "type", "amount", "practitioner", "inpe")
    dental = ("dentist_if", "dentist_ice", "entente")
    assert act_fields_for(ClaimKind.DENTAIRE) == (*common, *dental) and own_act_fields(ClaimKind.DENTAIRE) == dental
    for kind in (ClaimKind.MALADIE, ClaimKind.ALD, ClaimKind.ACCIDENT):
        assert act_fields_for(kind) == common and own_act_fields(kind) == ()
