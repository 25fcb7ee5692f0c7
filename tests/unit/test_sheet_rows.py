"""One sheet's act rows bound one claim's acts (docs/domain.md#acts-on-one-sheet): the refusal of one more act, the
block of a claim holding more, and the estimate made on the acts the sheet carries only."""

from datetime import date
from decimal import Decimal

import pytest

from claimkit.domain import sheet_rows
from claimkit.domain.checklist import assess
from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, Student
from claimkit.domain.forms import ACT_ROWS, FormId, act_rows, field_values
from claimkit.domain.refunds import DEFAULT_RATES, DEFAULT_TARIFFS, estimate_refund

STUDENT = Student(nom="Alaoui", prenom="Salma", cnie="AB123456", adresse="Rabat")


def _acts(count: int, amount: str = "100") -> tuple[Act, ...]:
    return tuple(
        Act(date(2026, 11, day), ActType.CONSULTATION_GENERALISTE, Decimal(amount)) for day in range(1, count + 1)
    )


def test_the_rows_are_the_sheets_and_an_accident_uses_the_maladie_sheet() -> None:
    assert ACT_ROWS == {FormId.MALADIE: 6, FormId.DENTAIRE: 9, FormId.ALD: 6}
    assert [act_rows(kind) for kind in ClaimKind] == [6, 9, 6, 6]  # maladie, dentaire, ald, accident


@pytest.mark.parametrize(("kind", "rows"), [(ClaimKind.MALADIE, 6), (ClaimKind.DENTAIRE, 9), (ClaimKind.ACCIDENT, 6)])
def test_one_more_act_is_refused_once_the_rows_are_full(kind: ClaimKind, rows: int) -> None:
    assert sheet_rows.room_problem(kind, rows - 1) is None
    refusal = sheet_rows.room_problem(kind, rows)
    assert refusal is not None and refusal.values == {"rows": rows}
    assert "nouveau dossier" in refusal.render()


def test_a_claim_within_its_rows_is_left_alone() -> None:
    claim = Claim(ClaimKind.MALADIE, acts=_acts(6))
    assert sheet_rows.overflow(claim) is None and sheet_rows.overflow_gap(claim) is None
    assert sheet_rows.carried(claim) is claim
    assert assess(claim, frozenset(), STUDENT).missing_claim == ()


def test_a_claim_holding_more_is_blocked_and_its_estimate_counts_the_carried_acts_only() -> None:
    """A claim made before the rule, or the « nouvel envoi » copy of one: 7 acts on a 6-row sheet."""
    claim = Claim(ClaimKind.MALADIE, acts=_acts(7))
    blocked = sheet_rows.overflow(claim)
    assert blocked is not None and blocked.values == {"count": 7, "rows": 6}
    assert "Déplacez-les dans un nouveau dossier" in blocked.render()
    gaps = assess(claim, frozenset({"feuille_maladie", "facture_medecin"}), STUDENT)
    assert [gap.msgid for gap in gaps.missing] == [sheet_rows.GAP] and not gaps.ready
    assert sheet_rows.carried(claim).acts == claim.acts[:6]
    estimate = estimate_refund(sheet_rows.carried(claim), DEFAULT_RATES, DEFAULT_TARIFFS, date(2026, 11, 20))
    assert estimate.total == 6 * Decimal("64.00")  # 80 % of the 80 DH TNR, for the 6 acts written only
    # the 7th act has no row on the sheet: the block exists because field_values cannot write it
    written = field_values(FormId.MALADIE, STUDENT, claim)
    assert "acte_6_date" in written and "acte_7_date" not in written


def test_the_same_seven_acts_fit_a_dentaire_sheet() -> None:
    claim = Claim(ClaimKind.DENTAIRE, acts=_acts(7))
    assert sheet_rows.overflow(claim) is None and sheet_rows.room_problem(ClaimKind.DENTAIRE, 7) is None
    assert sheet_rows.overflow(Claim(ClaimKind.DENTAIRE, acts=_acts(10))) is not None
