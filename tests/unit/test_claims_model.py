from datetime import date
from decimal import Decimal

from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, Treatment


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
