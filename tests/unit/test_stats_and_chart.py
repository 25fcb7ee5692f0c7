import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal as D

from claimkit.domain.stats import ClaimFigures, axis_max, in_year, last_months, monthly, totals
from claimkit.web.charts import bar_chart

PAID_IN_PARTS = ClaimFigures(D("300"), D("200"), D("150"), date(2026, 3, 2), date(2026, 3, 20),
                             ((date(2026, 5, 1), D("100")), (date(2026, 6, 1), D("50"))))  # fmt: skip
WAITING = ClaimFigures(D("100"), D("70"), D("0"), date(2026, 11, 2), date(2026, 11, 10))
REJECTED = ClaimFigures(D("50"), D("40"), D("0"), date(2025, 12, 1), date(2025, 12, 5), rejected=True)
DRAFT = ClaimFigures(D("80"), D("64"), D("0"), date(2026, 11, 20), None)


def test_totals_with_partial_payments() -> None:
    t = totals([PAID_IN_PARTS, WAITING, REJECTED, DRAFT])
    assert (t.spent, t.estimated, t.reimbursed) == (D("530"), D("374"), D("150"))
    assert t.outstanding == D("50") + D("70")  # rejected and unsent claims owe nothing yet
    assert t.average_days_to_payment == 42.0  # 20 March → 1 May
    assert t.claims == 4
    assert totals([]).average_days_to_payment is None


def test_year_and_months() -> None:
    assert in_year([PAID_IN_PARTS, REJECTED, DRAFT, ClaimFigures(D(1), D(1), D(0), None, None)], 2026) == [
        PAID_IN_PARTS, DRAFT]  # fmt: skip
    months = last_months(date(2026, 2, 15), 3)
    assert months == [(2025, 12), (2026, 1), (2026, 2)]
    series = monthly([PAID_IN_PARTS, REJECTED], last_months(date(2026, 6, 30), 7))
    assert series[0] == (D("50"), D("0"))  # December 2025
    assert series[3] == (D("300"), D("0")) and series[5] == (D("0"), D("100")) and series[6] == (D("0"), D("50"))


def test_svg_is_valid_and_bars_carry_their_values() -> None:
    svg = bar_chart(["janv.", "févr."], [(D("120.50"), D("0")), (D("0"), D("84.35"))], "Titre <test>", ("A", "B"))
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    values = [r.get("data-value") for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("data-value")]
    assert values == ["120.50", "0.00", "0.00", "84.35"]
    heights = [float(r.get("height", 0)) for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("data-value")]
    assert heights[0] > heights[3] > 0 == heights[1]  # axis rounds up to 200: 120.50 is taller than 84.35
    assert "Titre &lt;test&gt;" in svg
    assert "200" in svg  # the nice axis maximum
    empty = ET.fromstring(bar_chart([], [], "Vide", ("A", "B")))
    assert empty.tag.endswith("svg")
    assert ">500<" in bar_chart(["x"], [(D("420"), D("0"))], "t", ("A", "B"))


def test_axis_rounds_up_to_one_two_or_five_times_a_power_of_ten() -> None:
    assert axis_max([]) == D(100)
    assert [axis_max([(D(v), D(0))]) for v in ("7", "120.50", "420", "900")] == [D(10), D(200), D(500), D(1000)]
    assert axis_max([(D("0"), D("84.35"))]) == D(100)


def test_months_outside_the_window_are_left_out() -> None:
    old = ClaimFigures(D("90"), D("60"), D("60"), date(2024, 1, 5), date(2024, 1, 9), ((date(2024, 3, 1), D("60")),))
    assert monthly([old, WAITING], last_months(date(2026, 11, 30), 2)) == [(D("0"), D("0")), (D("100"), D("0"))]
