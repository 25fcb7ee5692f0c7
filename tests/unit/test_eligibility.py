from datetime import date

import pytest

from claimkit.domain import eligibility as rules
from claimkit.domain.eligibility import Standing, age_on, care_warnings, eligibility_warnings, over_age_from


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


# --- judged on the date of care (docs/domain.md#advice-contacts-and-the-students-status) ----------------------------


def msgids(standing: Standing, day: date) -> list[str]:
    return [m.msgid for m in care_warnings(standing, day)]


def test_over_age_from_is_the_31st_birthday_and_1_march_for_29_february() -> None:
    assert over_age_from(date(1995, 11, 26)) == date(2026, 11, 26)
    assert over_age_from(date(2000, 2, 29)) == date(2031, 3, 1)
    assert age_on(date(2000, 2, 29), date(2031, 3, 1)) == 31 and age_on(date(2000, 2, 29), date(2031, 2, 28)) == 30


def test_age_is_judged_on_the_care_day_not_today() -> None:
    born = Standing(birth_date=date(1995, 11, 26))  # 31 on 26 November 2026
    assert msgids(born, date(2026, 11, 25)) == []  # care at 30: fine, whenever the claim is prepared
    warnings = care_warnings(born, date(2026, 11, 26))
    assert [w.msgid for w in warnings] == [rules.OVER_AGE]
    assert warnings[0].values == {"day": date(2026, 11, 26), "since": date(2026, 11, 26)}


def test_the_final_cycle_of_traditional_education_has_no_age_limit() -> None:
    standing = Standing(birth_date=date(1990, 1, 1), traditional_final_cycle=True)
    assert msgids(standing, date(2026, 11, 25)) == []
    assert eligibility_warnings(date(1990, 1, 1), date(2026, 11, 25), False, traditional_final_cycle=True) == []


def test_a_cnops_letter_gives_30_days_then_6_months_of_maintained_rights() -> None:
    letter = Standing(cnops_letter_on=date(2026, 3, 10))
    assert msgids(letter, date(2026, 3, 9)) == []  # care before the letter
    pending = care_warnings(letter, date(2026, 3, 10))
    assert [w.msgid for w in pending] == [rules.LETTER_PENDING]
    assert pending[0].values["closes"] == date(2026, 4, 8)  # 30 days from the sending: last day to justify
    assert msgids(letter, date(2026, 4, 8)) == [rules.LETTER_PENDING]
    maintained = care_warnings(letter, date(2026, 4, 9))
    assert [w.msgid for w in maintained] == [rules.MAINTAINED]
    assert maintained[0].values == {"day": date(2026, 4, 9), "closed": date(2026, 4, 9), "until": date(2026, 10, 8)}
    assert msgids(letter, date(2026, 10, 8)) == [rules.MAINTAINED]
    assert msgids(letter, date(2026, 10, 9)) == [rules.CLOSED_AFTER_LETTER]


def test_more_than_6_months_of_interrupted_studies_closes_the_rights() -> None:
    stopped = Standing(studies_interrupted_on=date(2026, 1, 31))
    assert msgids(stopped, date(2026, 7, 31)) == []  # exactly 6 months: not "more than"
    assert msgids(stopped, date(2026, 8, 1)) == [rules.INTERRUPTED]


def test_nothing_told_says_nothing_and_rules_add_up() -> None:
    assert msgids(Standing(), date(2026, 11, 25)) == []
    everything = Standing(date(1990, 1, 1), False, date(2025, 1, 1), date(2025, 1, 1))
    assert msgids(everything, date(2026, 11, 25)) == [rules.OVER_AGE, rules.CLOSED_AFTER_LETTER, rules.INTERRUPTED]
