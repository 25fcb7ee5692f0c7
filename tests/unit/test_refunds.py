from datetime import date
from decimal import Decimal

from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, MedicineLine
from claimkit.domain.dated import in_force
from claimkit.domain.insurer import DEFAULT_INSURERS, InsurerRow
from claimkit.domain.refunds import (
    DEFAULT_RATES,
    DEFAULT_TARIFFS,
    RateRow,
    estimate_refund,
    medicine_refund,
    money,
)

DAY = date(2026, 11, 25)


def estimate(claim: Claim, rates: tuple[RateRow, ...] = DEFAULT_RATES) -> list[tuple[str, Decimal]]:
    return [(line.label, line.amount) for line in estimate_refund(claim, rates, DEFAULT_TARIFFS, DAY).lines]


def test_domain_example_ppv_3490_pbr_2000() -> None:
    assert medicine_refund(Decimal("0.70"), Decimal("34.90"), Decimal("20.00"), 1) == Decimal("14.00")
    assert medicine_refund(Decimal("0.70"), None, Decimal("20.00"), 3) == Decimal("42.00")
    assert medicine_refund(Decimal("0.70"), None, None, 1) == Decimal("0.00")


def test_consultations_use_the_tariff_and_unknown_acts_the_amount_paid() -> None:
    claim = Claim(
        ClaimKind.MALADIE,
        acts=(Act(DAY, ActType.CONSULTATION_GENERALISTE, Decimal("200")),
              Act(DAY, ActType.CONSULTATION_SPECIALISTE, Decimal("100")),
              Act(DAY, ActType.RADIOLOGIE, Decimal("300"))),
    )  # fmt: skip
    result = estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY)
    assert [line.amount for line in result.lines] == [Decimal("64.00"), Decimal("80.00"), Decimal("240.00")]
    assert result.total == Decimal("384.00")
    assert result.lines[0].basis == "80 % du tarif de référence (80,00 DH)"
    assert "TNR inconnu" in result.lines[2].basis


def test_pharmacy_act_is_not_counted_twice() -> None:
    pharmacy = Act(DAY, ActType.PHARMACIE, Decimal("54.90"))
    with_lines = Claim(
        ClaimKind.MALADIE, acts=(pharmacy,), medicines=(MedicineLine("A", 1, "", Decimal("34.90"), Decimal("20")),)
    )
    assert estimate(with_lines) == [("A", Decimal("14.00"))]
    alone = Claim(ClaimKind.MALADIE, acts=(pharmacy,))
    assert estimate(alone) == [("Pharmacie (médicaments)", Decimal("38.43"))]


def test_ald_is_covered_in_full() -> None:
    claim = Claim(ClaimKind.ALD, acts=(Act(DAY, ActType.CONSULTATION_SPECIALISTE, Decimal("300")),),
                  medicines=(MedicineLine("B", 2, "", Decimal("10"), None),))  # fmt: skip
    assert estimate(claim) == [("B", Decimal("20.00")), ("Consultation spécialiste", Decimal("150.00"))]


def test_dated_rates_choose_the_row_in_force() -> None:
    rates = (*DEFAULT_RATES, RateRow("medicaments", Decimal("0.80"), date(2027, 1, 1)))
    claim = Claim(ClaimKind.MALADIE, medicines=(MedicineLine("C", 1, "", Decimal("10"), Decimal("10")),))
    assert estimate(claim, rates) == [("C", Decimal("7.00"))]
    later = estimate_refund(claim, rates, DEFAULT_TARIFFS, date(2027, 1, 1))
    assert later.total == Decimal("8.00")
    assert estimate(claim, ()) == [("C", Decimal("0.00"))]


def test_money_is_french() -> None:
    assert money(Decimal("1234.5")) == "1\u202f234,50 DH"
    assert money(Decimal("0.005")) == "0,01 DH"


def test_insurer_rows_are_dated() -> None:
    cnss = InsurerRow("CNSS", "Rue X\n\nCasablanca", date(2027, 7, 1))
    rows = (
        InsurerRow(DEFAULT_INSURERS[0].name, DEFAULT_INSURERS[0].address, date(2016, 1, 1), date(2027, 6, 30)),
        cnss,
    )
    assert in_force(rows, date(2027, 6, 30)) is rows[0]
    assert in_force(rows, date(2027, 7, 1)) is cnss
    assert in_force(rows, date(2015, 1, 1)) is None
    assert cnss.lines == ["Rue X", "Casablanca"]
    assert DEFAULT_INSURERS[0].lines == ["4, rue Al Khalil", "B.P. 209", "Rabat"]
