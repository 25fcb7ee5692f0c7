"""The two numbers the student types for the paper: documents per checklist line (their sum is the sheet's
"Nombre de pièces jointes") and the printer offset in mm (docs/domain.md, "Official sheets and the student's
part")."""

from decimal import Decimal

import pytest

from claimkit.domain import checklist, printing
from claimkit.domain.checklist import RULES


@pytest.mark.parametrize(("raw", "count"), [("", 1), ("  ", 1), ("0", 0), ("3", 3), (" 50 ", 50), ("007", 7), ("٣", 3)])
def test_a_typed_count_from_0_to_50_empty_is_one(raw: str, count: int) -> None:
    assert checklist.documents_count(raw) == count


@pytest.mark.parametrize("raw", ["51", "-1", "2.5", "deux", "0050", "1e3"])
def test_a_count_outside_0_50_or_not_whole_is_refused(raw: str) -> None:
    assert checklist.documents_count(raw) is None


def test_the_sum_leaves_the_sheet_out_and_the_problem_names_the_line() -> None:
    assert checklist.attachments({"feuille_maladie": 1, "ordonnance": 2, "facture_laboratoire": 3}) == 5
    assert checklist.attachments({}) == 0 and checklist.is_sheet("feuille_ald") and not checklist.is_sheet("ordonnance")
    ordonnance = next(rule for rule in RULES if rule.key == "ordonnance")
    problem = checklist.documents_problem(ordonnance)
    assert problem.render().startswith("Nombre de documents pour « Ordonnance") and problem.render().endswith("50.")


@pytest.mark.parametrize(
    ("raw", "mm"),
    [("", "0.0"), ("1,5", "1.5"), ("-2", "-2.0"), ("+0.25", "0.2"), ("\u22123", "-3.0"), ("15", "15.0"),
     ("-15", "-15.0")],
)  # fmt: skip
def test_an_offset_in_mm_within_15(raw: str, mm: str) -> None:
    assert printing.parse_offset(raw) == Decimal(mm)


@pytest.mark.parametrize("raw", ["15.1", "-16", "abc", "NaN", "inf", "1,5,2"])
def test_an_offset_out_of_range_or_not_a_number_is_refused(raw: str) -> None:
    assert printing.parse_offset(raw) is None


def test_the_offset_in_points_and_its_message() -> None:
    x, y = printing.to_points(Decimal("25.4"), Decimal("-12.7"))
    assert (x, y) == pytest.approx((72.0, -36.0))
    assert "« Y »" in printing.offset_problem("Y").render() and "-15 et 15" in printing.offset_problem("Y").render()
