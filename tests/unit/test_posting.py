"""The "poster avant" date, closed days and the advice texts (docs/domain.md#deadline-and-posting)."""

from datetime import date
from decimal import Decimal

from claimkit.domain import advice
from claimkit.domain.claims import Act, ActType, Treatment
from claimkit.domain.posting import (
    DEFAULT_HOLIDAYS,
    DEFAULT_MARGINS,
    HolidayRow,
    MarginRow,
    closed_reason,
    posting_plan,
)


def test_post_before_keeps_the_margin_and_lands_on_a_working_day() -> None:
    # legal date Saturday 2 January 2027; − 5 days = Monday 28 December 2026, a working day
    plan = posting_plan(date(2027, 1, 2), DEFAULT_MARGINS, DEFAULT_HOLIDAYS)
    assert (plan.due, plan.post_before, plan.margin_days) == (date(2027, 1, 2), date(2026, 12, 28), 5)
    assert plan.due_closed is not None and plan.due_closed.render() == "samedi"


def test_a_holiday_moves_post_before_back_and_is_named() -> None:
    # legal date 23 November 2026 (Monday); − 5 = Wednesday 18 November, Fête de l'indépendance → Tuesday 17
    plan = posting_plan(date(2026, 11, 23), DEFAULT_MARGINS, DEFAULT_HOLIDAYS)
    assert plan.post_before == date(2026, 11, 17) and plan.due_closed is None
    reason = closed_reason(date(2026, 11, 18), DEFAULT_HOLIDAYS)
    assert reason is not None and reason.render() == "jour férié (Fête de l'indépendance)"
    sunday = closed_reason(date(2026, 11, 22), ())
    assert sunday is not None and sunday.render() == "dimanche"


def test_islamic_holidays_are_configurable_rows() -> None:
    assert any(h.islamic and h.source.startswith("⚠") for h in DEFAULT_HOLIDAYS)
    moved = (HolidayRow(date(2027, 3, 11), "Aïd al-Fitr", True),)  # an operator's corrected date
    assert closed_reason(date(2027, 3, 11), moved) is not None
    assert closed_reason(date(2027, 3, 11), ()) is None  # a Thursday


def test_margin_rows_are_dated_and_a_missing_row_means_no_margin() -> None:
    rows = (MarginRow(5, date(2006, 1, 1), date(2026, 12, 31)), MarginRow(8, date(2027, 1, 1)))
    assert posting_plan(date(2027, 1, 20), rows, ()).post_before == date(2027, 1, 12)
    assert posting_plan(date(2026, 12, 30), rows, ()).post_before == date(2026, 12, 25)
    assert posting_plan(date(2005, 6, 1), rows, ()).margin_days == 0
    assert DEFAULT_MARGINS[0].source.startswith("⚠")


def test_a_treatment_contains_its_acts() -> None:
    treatment = Treatment(date(2026, 11, 1), date(2026, 11, 20))
    inside = Act(date(2026, 11, 1), ActType.PHARMACIE, Decimal(10))
    after = Act(date(2026, 11, 21), ActType.PHARMACIE, Decimal(10))
    assert treatment.outside((inside, after)) == (after,)


def test_contacts_come_from_the_seeds() -> None:
    row = advice.contacts_on(advice.DEFAULT_CONTACTS, date(2026, 11, 25))
    assert row is not None
    assert (row.phone, row.email, row.complaints) == ("053 800 20 20", "centre.appel@cnops.org.ma", "cnops.chikaya.ma")
    assert row.portal == "cnops.org.ma/mon_compte"
    assert any("Rue Tensift" in way for way in advice.OTHER_WAYS)
    assert any("guichet numérique" in way for way in advice.OTHER_WAYS)
    assert "jamais de copie" in advice.REJECTED_ADVICE and "SMART CNOPS" in advice.TRACKING
    assert "spécimen de chèque" in advice.RIB_AT_CNOPS and "attestation de RIB originale" in advice.RIB_AT_CNOPS


def test_the_ald_list_has_42_entries_and_spells_sclerodermie() -> None:
    from claimkit.domain.forms import ALD_LIST

    assert len(ALD_LIST) == 42 == len(set(ALD_LIST))
    assert "Sclérodermie généralisée évolutive" in ALD_LIST
    assert not any("Sclérodémie" in name for name in ALD_LIST)
