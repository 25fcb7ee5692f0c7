from datetime import date

import pytest

from claimkit.domain.eligibility import age_on, eligibility_warnings


@pytest.mark.parametrize(
    ("birth", "today", "age"),
    [
        (date(2000, 5, 10), date(2030, 5, 9), 29),
        (date(2000, 5, 10), date(2030, 5, 10), 30),
        (date(2000, 2, 29), date(2031, 2, 28), 30),
        (date(2000, 2, 29), date(2031, 3, 1), 31),
    ],
)
def test_age_on(birth: date, today: date, age: int) -> None:
    assert age_on(birth, today) == age


def test_thirty_is_fine_thirty_one_warns() -> None:
    assert eligibility_warnings(date(1996, 11, 25), date(2026, 11, 25), False) == []
    assert len(eligibility_warnings(date(1995, 11, 24), date(2026, 11, 25), False)) == 1


def test_other_coverage_warns_and_no_birth_date_is_fine() -> None:
    warnings = eligibility_warnings(None, date(2026, 11, 25), True)
    assert len(warnings) == 1
    assert "autre couverture" in warnings[0]
