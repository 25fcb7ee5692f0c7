"""Refund estimates from dated rates and tariffs (DOMAIN.md "Reimbursement"). Expected figures are worked by hand."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, MedicineLine
from claimkit.domain.dated import in_force
from claimkit.domain.insurer import DEFAULT_INSURERS, InsurerRow
from claimkit.domain.refunds import (
    DEFAULT_RATES,
    DEFAULT_TARIFFS,
    RateRow,
    RefundEstimate,
    TariffRow,
    estimate_refund,
    medicine_refund,
    money,
    rate_in_force,
)

DAY = date(2026, 11, 25)


def lines(claim: Claim, rates: tuple[RateRow, ...] = DEFAULT_RATES, on: date = DAY) -> list[tuple[str, Decimal]]:
    return [(line.label, line.amount) for line in estimate_refund(claim, rates, DEFAULT_TARIFFS, on).lines]


def bases(claim: Claim) -> list[str]:
    return [line.explain() for line in estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY).lines]


def med(name: str, ppv: str | None, pbr: str | None, quantity: int = 1) -> MedicineLine:
    return MedicineLine(name, quantity, "", Decimal(ppv) if ppv else None, Decimal(pbr) if pbr else None)


def act(kind: ActType, paid: str) -> Act:
    return Act(DAY, kind, Decimal(paid))


# --- medicines --------------------------------------------------------------------------------------------------


def test_domain_example_ppv_3490_pbr_2000() -> None:
    assert medicine_refund(Decimal("0.70"), Decimal("34.90"), Decimal("20.00"), 1) == Decimal("14.00")
    claim = Claim(ClaimKind.MALADIE, medicines=(med("ZADRYL", "34.90", "20.00"),))
    assert lines(claim) == [("ZADRYL", Decimal("14.00"))]
    assert bases(claim) == ["70 % × min(PPV, PBR) × 1"]


def test_the_lower_price_is_the_base_whichever_it_is() -> None:
    claim = Claim(ClaimKind.MALADIE, medicines=(med("A", "12.00", "20.00", 3),))  # PPV below PBR: 0.7 × 12 × 3
    assert lines(claim) == [("A", Decimal("25.20"))]


def test_with_one_price_known_that_price_is_the_base() -> None:
    claim = Claim(ClaimKind.MALADIE, medicines=(med("A", None, "20.00", 3), med("B", "15.50", None)))
    assert lines(claim) == [("A", Decimal("42.00")), ("B", Decimal("10.85"))]
    assert bases(claim) == ["70 % × PBR × 3 (PPV inconnu)", "70 % × PPV × 1 (PBR inconnu)"]


def test_without_any_price_the_line_asks_for_one() -> None:
    claim = Claim(ClaimKind.MALADIE, medicines=(med("", None, None),))
    assert lines(claim) == [("Médicament", Decimal("0.00"))]
    assert "saisissez le PPV ou le PBR" in bases(claim)[0]
    assert medicine_refund(Decimal("0.70"), None, None, 1) == Decimal("0.00")


def test_half_cents_round_up() -> None:
    # 0.70 × 15.55 = 10.885: half-up gives 10.89 (banker's rounding would give 10.88)
    assert medicine_refund(Decimal("0.70"), Decimal("15.55"), None, 1) == Decimal("10.89")
    # 0.80 × 10.05625 = 8.045: 8.05
    assert lines(Claim(ClaimKind.MALADIE, acts=(act(ActType.RADIOLOGIE, "10.05625"),))) == [
        ("Radiologie / imagerie", Decimal("8.05"))
    ]


# --- acts -------------------------------------------------------------------------------------------------------


def test_consultations_use_the_tariff_and_unknown_acts_the_amount_paid() -> None:
    claim = Claim(
        ClaimKind.MALADIE,
        acts=(act(ActType.CONSULTATION_GENERALISTE, "200"), act(ActType.CONSULTATION_SPECIALISTE, "150"),
              act(ActType.RADIOLOGIE, "300")),
    )  # fmt: skip
    result = estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY)
    # 0.80 × 80 (TNR, paid more); 0.80 × 150 (paid exactly the TNR); 0.80 × 300 (no TNR known)
    assert [line.amount for line in result.lines] == [Decimal("64.00"), Decimal("120.00"), Decimal("240.00")]
    assert result.total == Decimal("424.00")
    assert [line.explain() for line in result.lines] == [
        "80 % du TNR de 80,00 DH (tarif national de référence)",
        "80 % du TNR de 150,00 DH (tarif national de référence)",
        "80 % — TNR inconnu : sur le montant payé",
    ]


def test_a_consultation_paid_below_the_tariff_is_estimated_on_what_was_paid() -> None:
    claim = Claim(ClaimKind.MALADIE, acts=(act(ActType.CONSULTATION_SPECIALISTE, "100"),))
    assert lines(claim) == [("Consultation spécialiste", Decimal("80.00"))]  # 0.80 × 100, not 0.80 × 150
    assert bases(claim) == ["80 % du montant payé, inférieur au TNR de 150,00 DH"]


def test_pharmacy_act_is_not_counted_twice() -> None:
    pharmacy = act(ActType.PHARMACIE, "54.90")
    detailed = Claim(ClaimKind.MALADIE, acts=(pharmacy,), medicines=(med("A", "34.90", "20"),))
    assert lines(detailed) == [("A", Decimal("14.00"))]
    alone = Claim(ClaimKind.MALADIE, acts=(pharmacy,))
    assert lines(alone) == [("Pharmacie (médicaments)", Decimal("38.43"))]  # 0.70 × 54.90 = 38.43
    assert bases(alone)[0].startswith("70 % du montant payé (médicaments non détaillés")


def test_the_issue_flow_claim() -> None:
    # tests/integration/test_claims_flow.py: consultation 150, pharmacy 126.40, analyses 1200.50, two medicines
    claim = Claim(
        ClaimKind.MALADIE,
        acts=(act(ActType.CONSULTATION_GENERALISTE, "150"), act(ActType.PHARMACIE, "126.40"),
              act(ActType.ANALYSES, "1200.50")),
        medicines=(med("A", "34.90", "20.00", 2), med("DOLIPRANE", "15.5", None)),
    )  # fmt: skip
    # 0.7 × 20 × 2 = 28.00; 0.7 × 15.50 = 10.85; 0.8 × 80 = 64.00; 0.8 × 1200.50 = 960.40
    assert estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY).total == Decimal("1063.25")


def test_ald_is_covered_in_full() -> None:
    claim = Claim(ClaimKind.ALD, acts=(act(ActType.CONSULTATION_SPECIALISTE, "300"), act(ActType.ANALYSES, "90")),
                  medicines=(med("B", "10", None, 2),))  # fmt: skip
    assert lines(claim) == [
        ("B", Decimal("20.00")), ("Consultation spécialiste", Decimal("150.00")),
        ("Analyses de laboratoire", Decimal("90.00")),
    ]  # fmt: skip
    assert all("100 % (ALD/ALC)" in basis for basis in bases(claim))
    pharmacy_only = Claim(ClaimKind.ALD, acts=(act(ActType.PHARMACIE, "54.90"),))
    assert lines(pharmacy_only) == [("Pharmacie (médicaments)", Decimal("54.90"))]


def test_an_empty_claim_estimates_zero_in_cents() -> None:
    result = estimate_refund(Claim(ClaimKind.MALADIE), DEFAULT_RATES, DEFAULT_TARIFFS, DAY)
    assert result.lines == ()
    assert str(result.total) == "0.00"


def test_the_estimate_always_says_it_is_one() -> None:
    note = RefundEstimate(()).note
    assert "Estimation" in note and "CNOPS" in note


@given(
    st.sampled_from(list(ActType)),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=2),
    st.sampled_from(list(ClaimKind)),
)
def test_an_act_never_brings_back_more_than_was_paid(kind: ActType, paid: Decimal, claim_kind: ClaimKind) -> None:
    (line,) = estimate_refund(
        Claim(claim_kind, acts=(Act(DAY, kind, paid),)), DEFAULT_RATES, DEFAULT_TARIFFS, DAY
    ).lines
    assert Decimal("0") < line.amount <= paid
    assert line.amount == line.amount.quantize(Decimal("0.01"))


@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2),
    st.integers(min_value=1, max_value=20),
)
def test_a_medicine_never_brings_back_more_than_its_rate_of_either_price(ppv: Decimal, pbr: Decimal, qty: int) -> None:
    amount = medicine_refund(Decimal("0.70"), ppv, pbr, qty)
    half_cent = Decimal("0.005")
    assert amount <= Decimal("0.70") * ppv * qty + half_cent
    assert amount <= Decimal("0.70") * pbr * qty + half_cent
    assert amount == amount.quantize(Decimal("0.01"))


# --- dated rows -------------------------------------------------------------------------------------------------


def test_dated_rates_choose_the_row_in_force() -> None:
    rates = (
        RateRow("medicaments", Decimal("0.70"), date(2006, 1, 1), date(2026, 12, 31)),
        RateRow("medicaments", Decimal("0.80"), date(2027, 1, 1)),
    )
    claim = Claim(ClaimKind.MALADIE, medicines=(med("C", "10", "10"),))
    assert lines(claim, rates, date(2026, 12, 31)) == [("C", Decimal("7.00"))]
    assert lines(claim, rates, date(2027, 1, 1)) == [("C", Decimal("8.00"))]


def test_dated_tariffs_choose_the_row_in_force() -> None:
    tariffs = (
        TariffRow(ActType.CONSULTATION_GENERALISTE, Decimal("80"), date(2006, 1, 1), date(2026, 12, 31)),
        TariffRow(ActType.CONSULTATION_GENERALISTE, Decimal("120"), date(2027, 1, 1)),
    )
    claim = Claim(ClaimKind.MALADIE, acts=(act(ActType.CONSULTATION_GENERALISTE, "200"),))
    assert estimate_refund(claim, DEFAULT_RATES, tariffs, date(2026, 12, 31)).total == Decimal("64.00")
    assert estimate_refund(claim, DEFAULT_RATES, tariffs, date(2027, 1, 1)).total == Decimal("96.00")


def test_without_a_rate_in_force_nothing_is_guessed() -> None:
    claim = Claim(
        ClaimKind.MALADIE,
        acts=(act(ActType.CONSULTATION_GENERALISTE, "200"), act(ActType.PHARMACIE, "30")),
    )
    with_medicine = Claim(ClaimKind.MALADIE, medicines=(med("C", "10", "10"),))
    early = date(2005, 12, 31)  # the default rows start on 1 January 2006
    for estimate in (estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, early),
                     estimate_refund(with_medicine, DEFAULT_RATES, DEFAULT_TARIFFS, early)):  # fmt: skip
        assert estimate.total == Decimal("0.00")
        assert all(line.explain() == "Aucun taux en vigueur le 31/12/2005 : non estimé." for line in estimate.lines)
    assert len(estimate_refund(claim, (), (), DAY).lines) == 2


def test_rate_in_force_only_reads_its_basis() -> None:
    assert rate_in_force(DEFAULT_RATES, "actes", DAY) == Decimal("0.80")
    assert rate_in_force(DEFAULT_RATES, "ald", DAY) == Decimal("1.00")
    assert rate_in_force(DEFAULT_RATES, "inconnu", DAY) is None


def test_default_rows_match_domain_md_and_carry_their_warning() -> None:
    assert {(r.basis, r.rate) for r in DEFAULT_RATES} == {
        ("medicaments", Decimal("0.70")), ("actes", Decimal("0.80")), ("ald", Decimal("1.00")),
        ("ald_prive", Decimal("0.90")),
    }  # fmt: skip
    assert {(str(t.act_type), t.amount) for t in DEFAULT_TARIFFS} == {
        ("consultation_generaliste", Decimal("80")), ("consultation_specialiste", Decimal("150")),
    }  # fmt: skip
    assert all(row.source.startswith("⚠") and row.valid_to is None for row in (*DEFAULT_RATES, *DEFAULT_TARIFFS))
    assert all("2006" in t.source for t in DEFAULT_TARIFFS)


def test_in_force_bounds_are_inclusive_and_the_latest_start_wins() -> None:
    old = RateRow("actes", Decimal("0.80"), date(2006, 1, 1))  # never closed
    new = RateRow("actes", Decimal("0.90"), date(2027, 7, 1), date(2027, 12, 31))
    assert in_force((old, new), date(2027, 6, 30)) is old
    assert in_force((old, new), date(2027, 7, 1)) is new
    assert in_force((old, new), date(2027, 12, 31)) is new
    assert in_force((old, new), date(2028, 1, 1)) is old
    assert in_force((new,), date(2028, 1, 1)) is None


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


# --- money ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1234.5", "1\u202f234,50 DH"),
        ("0.005", "0,01 DH"),
        ("14", "14,00 DH"),
        ("1000000", "1\u202f000\u202f000,00 DH"),
    ],
)
def test_money_is_french(value: str, text: str) -> None:
    assert money(Decimal(value)) == text


def test_basis_is_translated_before_its_figures_are_filled() -> None:
    """A catalogue may move the placeholders; amounts and dates come out in the reader's format."""
    claim = Claim(ClaimKind.MALADIE, acts=(Act(DAY, ActType.CONSULTATION_GENERALISTE, Decimal("200")),))
    line = estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY).lines[0]
    catalogue = {"%(rate)s du TNR de %(tnr)s (tarif national de référence)": "TNR %(tnr)s ← %(rate)s"}
    assert line.explain(catalogue.__getitem__, amount=lambda v: f"<{v}>") == "TNR <80> ← 80 %"
    early = estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, date(2005, 12, 31)).lines[0]
    assert early.explain(day=date.isoformat) == "Aucun taux en vigueur le 2005-12-31 : non estimé."


def test_ald_care_in_the_private_sector_is_estimated_at_90_percent() -> None:
    """DOMAIN.md: ALD/ALC 100 % in a public hospital, 90 % in the private sector — medicines and acts alike."""
    acts = (Act(DAY, ActType.CONSULTATION_SPECIALISTE, Decimal("300")),)
    meds = (MedicineLine("INSULINE", 1, "", Decimal("100"), Decimal("80")),)
    public = estimate_refund(Claim(ClaimKind.ALD, acts, meds), DEFAULT_RATES, DEFAULT_TARIFFS, DAY)
    private = estimate_refund(
        Claim(ClaimKind.ALD, acts, meds, private_sector=True), DEFAULT_RATES, DEFAULT_TARIFFS, DAY
    )
    assert [line.amount for line in public.lines] == [Decimal("80.00"), Decimal("150.00")]
    assert [line.amount for line in private.lines] == [Decimal("72.00"), Decimal("135.00")]
    assert private.lines[1].explain() == "90 % (ALD/ALC) du TNR de 150,00 DH (tarif national de référence)"
    # the private sector changes nothing outside ALD/ALC
    maladie = Claim(ClaimKind.MALADIE, acts, private_sector=True)
    assert estimate_refund(maladie, DEFAULT_RATES, DEFAULT_TARIFFS, DAY).total == Decimal("120.00")
