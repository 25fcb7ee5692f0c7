"""Refund estimates from dated rates and tariffs (docs/domain.md#refund-estimate). Figures are worked by hand."""

from datetime import date
from decimal import Decimal

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
    assert bases(claim) == ["70 % × min(PPV, PBR) × 1, taux du 25/11/2026"]


def test_the_lower_price_is_the_base_whichever_it_is() -> None:
    claim = Claim(ClaimKind.MALADIE, medicines=(med("A", "12.00", "20.00", 3),))  # PPV below PBR: 0.7 × 12 × 3
    assert lines(claim) == [("A", Decimal("25.20"))]


def test_with_one_price_known_that_price_is_the_base() -> None:
    claim = Claim(ClaimKind.MALADIE, medicines=(med("A", None, "20.00", 3), med("B", "15.50", None)))
    assert lines(claim) == [("A", Decimal("42.00")), ("B", Decimal("10.85"))]
    assert bases(claim) == [
        "70 % × PBR × 3 (PPV inconnu), taux du 25/11/2026",
        "70 % × PPV × 1 (PBR inconnu), taux du 25/11/2026",
    ]


def test_without_any_price_the_line_asks_for_one() -> None:
    claim = Claim(ClaimKind.MALADIE, medicines=(med("", None, None),))
    assert lines(claim) == [("Médicament", Decimal("0.00"))]
    assert bases(claim) == ["Non estimé : saisissez le PPV ou le PBR de la boîte."]
    assert estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY).not_estimated == 1
    assert medicine_refund(Decimal("0.70"), None, None, 1) == Decimal("0.00")


def test_half_cents_round_up() -> None:
    # 0.70 × 15.55 = 10.885: half-up gives 10.89 (banker's rounding would give 10.88)
    assert medicine_refund(Decimal("0.70"), Decimal("15.55"), None, 1) == Decimal("10.89")
    # 0.80 × 10.05625 = 8.045: 8.05
    assert lines(Claim(ClaimKind.MALADIE, acts=(act(ActType.CONSULTATION_GENERALISTE, "10.05625"),))) == [
        ("Consultation généraliste", Decimal("8.05"))
    ]


# --- acts -------------------------------------------------------------------------------------------------------


def test_consultations_use_the_tariff_and_acts_without_one_are_not_estimated() -> None:
    claim = Claim(
        ClaimKind.MALADIE,
        acts=(act(ActType.CONSULTATION_GENERALISTE, "200"), act(ActType.CONSULTATION_SPECIALISTE, "150"),
              act(ActType.RADIOLOGIE, "300")),
    )  # fmt: skip
    result = estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY)
    # 0.80 × 80 (TNR, paid more); 0.80 × 150 (paid exactly the TNR); no TNR known: not 80 % of 300
    assert [line.amount for line in result.lines] == [Decimal("64.00"), Decimal("120.00"), Decimal("0.00")]
    assert [line.estimated for line in result.lines] == [True, True, False]
    assert result.total == Decimal("184.00") and result.not_estimated == 1
    assert [line.explain() for line in result.lines] == [
        "80 % du TNR de 80,00\u00a0DH (tarif national de référence du 25/11/2026)",
        "80 % du TNR de 150,00\u00a0DH (tarif national de référence du 25/11/2026)",
        "Non estimé : aucun tarif national de référence connu pour cet acte.",
    ]


def test_a_consultation_paid_below_the_tariff_is_estimated_on_what_was_paid() -> None:
    claim = Claim(ClaimKind.MALADIE, acts=(act(ActType.CONSULTATION_SPECIALISTE, "100"),))
    assert lines(claim) == [("Consultation spécialiste", Decimal("80.00"))]  # 0.80 × 100, not 0.80 × 150
    assert bases(claim) == ["80 % du montant payé, inférieur au TNR de 150,00\u00a0DH (tarif du 25/11/2026)"]


def test_pharmacy_act_is_not_counted_twice() -> None:
    pharmacy = act(ActType.PHARMACIE, "54.90")
    detailed = Claim(ClaimKind.MALADIE, acts=(pharmacy,), medicines=(med("A", "34.90", "20"),))
    assert lines(detailed) == [("A", Decimal("14.00"))]
    alone = Claim(ClaimKind.MALADIE, acts=(pharmacy,))
    # a receipt mixes boxes of different rates (some not reimbursable): only detailed boxes are estimated
    assert lines(alone) == [("Pharmacie (médicaments)", Decimal("0.00"))]
    assert bases(alone) == ["Non estimé : ajoutez les médicaments (scan des boîtes) pour les estimer."]


def test_boxes_priced_above_what_the_pharmacy_received_are_scaled_to_the_paid_share() -> None:
    # boxes at 2 × 34.90 + 200 = 269.80 DH of public prices, but the pharmacy received 134.90 DH: half of it
    boxes = (med("A", "34.90", "20.00", 2), med("B", "200", "200"))
    claim = Claim(ClaimKind.MALADIE, acts=(act(ActType.PHARMACIE, "134.90"),), medicines=boxes)
    # unscaled: 0.7 × 20 × 2 = 28.00 and 0.7 × 200 = 140.00; × 134.90 / 269.80 = 0.5
    assert lines(claim) == [("A", Decimal("14.00")), ("B", Decimal("70.00"))]
    assert bases(claim)[1] == (
        "70 % × min(PPV, PBR) × 1, taux du 25/11/2026, ramené au montant payé à la pharmacie "
        "(134,90\u00a0DH pour 269,80\u00a0DH de boîtes)"  # formats.amount: no-break space before DH
    )
    total = estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY).total
    assert total <= Decimal("134.90")
    paid_enough = Claim(ClaimKind.MALADIE, acts=(act(ActType.PHARMACIE, "269.80"),), medicines=boxes)
    assert lines(paid_enough) == [("A", Decimal("28.00")), ("B", Decimal("140.00"))]
    # without a pharmacy act, or with a box of unknown PPV, there is nothing to scale by (the page warns)
    assert lines(Claim(ClaimKind.MALADIE, medicines=boxes)) == lines(paid_enough)
    unpriced = Claim(ClaimKind.MALADIE, acts=claim.acts, medicines=(*boxes, med("C", None, "10")))
    assert lines(unpriced)[:2] == lines(paid_enough)


def test_the_issue_flow_claim() -> None:
    # tests/integration/test_claims_flow.py: consultation 150, pharmacy 126.40, analyses 1200.50, two medicines
    claim = Claim(
        ClaimKind.MALADIE,
        acts=(act(ActType.CONSULTATION_GENERALISTE, "150"), act(ActType.PHARMACIE, "126.40"),
              act(ActType.ANALYSES, "1200.50")),
        medicines=(med("A", "34.90", "20.00", 2), med("DOLIPRANE", "15.5", None)),
    )  # fmt: skip
    # 0.7 × 20 × 2 = 28.00; 0.7 × 15.50 = 10.85; 0.8 × 80 = 64.00; analyses: no TNR known, not estimated
    assert estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY).total == Decimal("102.85")


def test_ald_medicines_at_100_percent_only_once_the_accord_number_is_there() -> None:
    """CNOPS communiqué of January 2024: ALD medicines at 100 % on the generic basis, with the accord."""
    acts = (act(ActType.CONSULTATION_SPECIALISTE, "300"),)
    meds = (med("INSULINE", "100", "80", 2),)
    before = Claim(ClaimKind.ALD, acts, meds, ald_code="9")
    after = Claim(ClaimKind.ALD, acts, meds, ald_code="9", ald_accord="A-123")
    # before: 0.70 × 80 × 2 = 112.00; after: 1.00 × 80 × 2 = 160.00; the act stays at 0.80 × 150 either way
    assert lines(before) == [("INSULINE", Decimal("112.00")), ("Consultation spécialiste", Decimal("120.00"))]
    assert lines(after) == [("INSULINE", Decimal("160.00")), ("Consultation spécialiste", Decimal("120.00"))]
    assert bases(after)[0] == "100 % (ALD/ALC, accord n° A-123, base générique) × min(PPV, PBR) × 2, taux du 25/11/2026"
    # an accord number on a maladie claim changes nothing; a care day before the ALD row: ordinary rate
    assert lines(Claim(ClaimKind.MALADIE, medicines=meds, ald_accord="A-123"))[0][1] == Decimal("112.00")
    assert lines(Claim(ClaimKind.ALD, medicines=meds, ald_accord="A"), on=date(2023, 12, 31))[0][1] == Decimal("112.00")


def test_the_reference_rate_decides_and_zero_is_non_remboursable() -> None:
    nexavar = MedicineLine("NEXAVAR", 1, "6118001090587", Decimal("21152"), Decimal("21152"), rate_percent=0)
    listed = MedicineLine("ZADRYL", 1, "6118000120698", Decimal("91.50"), Decimal("91.50"), rate_percent=70)
    for kind, accord in ((ClaimKind.MALADIE, ""), (ClaimKind.ALD, "A-1")):
        claim = Claim(kind, medicines=(nexavar, listed), ald_accord=accord)
        result = estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY)
        assert result.lines[0].amount == Decimal("0.00") and result.lines[0].estimated
        assert result.lines[0].explain() == "Non remboursable (taux 0 % au référentiel des médicaments)"
    maladie = estimate_refund(Claim(ClaimKind.MALADIE, medicines=(listed,)), DEFAULT_RATES, DEFAULT_TARIFFS, DAY)
    assert maladie.lines[0].amount == Decimal("64.05")  # 0.70 × 91.50
    assert maladie.lines[0].explain() == "70 % × min(PPV, PBR) × 1, taux du 25/11/2026"  # the dated row's rate


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
    assert (Decimal("0") < line.amount <= paid) if line.estimated else line.amount == 0
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


def test_dated_tariffs_and_rates_are_those_of_the_day_of_care_not_today() -> None:
    tariffs = (
        TariffRow(ActType.CONSULTATION_GENERALISTE, Decimal("80"), date(2006, 1, 1), date(2026, 12, 31)),
        TariffRow(ActType.CONSULTATION_GENERALISTE, Decimal("120"), date(2027, 1, 1)),
    )
    rates = (
        RateRow("actes", Decimal("0.80"), date(2006, 1, 1), date(2026, 12, 31)),
        RateRow("actes", Decimal("0.90"), date(2027, 1, 1)),
    )
    before = Claim(ClaimKind.MALADIE, acts=(Act(date(2026, 12, 31), ActType.CONSULTATION_GENERALISTE, Decimal("200")),))
    after = Claim(ClaimKind.MALADIE, acts=(Act(date(2027, 1, 1), ActType.CONSULTATION_GENERALISTE, Decimal("200")),))
    today = date(2027, 1, 20)  # after the change: the act of 31 December keeps the old rate and tariff
    assert estimate_refund(before, rates, tariffs, today).total == Decimal("64.00")  # 0.80 × 80
    assert estimate_refund(after, rates, tariffs, today).total == Decimal("108.00")  # 0.90 × 120
    # medicines take the day of the pharmacy act
    bought = Claim(
        ClaimKind.MALADIE,
        acts=(Act(date(2026, 12, 30), ActType.CONSULTATION_GENERALISTE, Decimal("80")),
              Act(date(2026, 12, 31), ActType.PHARMACIE, Decimal("10"))),
        medicines=(med("C", "10", "10"),),
    )  # fmt: skip
    med_rates = (*rates, RateRow("medicaments", Decimal("0.70"), date(2006, 1, 1), date(2026, 12, 31)),
                 RateRow("medicaments", Decimal("0.80"), date(2027, 1, 1)))  # fmt: skip
    assert estimate_refund(bought, med_rates, tariffs, today).medicines[0].amount == Decimal("7.00")


def test_without_a_rate_in_force_nothing_is_guessed() -> None:
    early = date(2005, 12, 31)  # the default rows start on 1 January 2006
    tariffs = (TariffRow(ActType.CONSULTATION_GENERALISTE, Decimal("80"), date(2000, 1, 1)),)
    claim = Claim(ClaimKind.MALADIE, acts=(Act(early, ActType.CONSULTATION_GENERALISTE, Decimal("200")),))
    with_medicine = Claim(ClaimKind.MALADIE, medicines=(med("C", "10", "10"),))
    for estimate in (estimate_refund(claim, DEFAULT_RATES, tariffs, DAY),
                     estimate_refund(with_medicine, DEFAULT_RATES, DEFAULT_TARIFFS, early)):  # fmt: skip
        assert estimate.total == Decimal("0.00") and estimate.not_estimated == 1
        assert [line.explain() for line in estimate.lines] == [
            "Non estimé : aucun taux en vigueur le 31/12/2005 (date des soins)."
        ]


def test_rate_in_force_only_reads_its_basis() -> None:
    assert rate_in_force(DEFAULT_RATES, "actes", DAY) == Decimal("0.80")
    assert rate_in_force(DEFAULT_RATES, "ald", DAY) == Decimal("1.00")
    assert rate_in_force(DEFAULT_RATES, "inconnu", DAY) is None


def test_default_rows_match_domain_md_and_carry_their_warning() -> None:
    assert {(r.basis, r.rate) for r in DEFAULT_RATES} == {
        ("medicaments", Decimal("0.70")), ("actes", Decimal("0.80")), ("ald", Decimal("1.00")),
    }  # fmt: skip
    assert {(str(t.act_type), t.amount) for t in DEFAULT_TARIFFS} == {
        ("consultation_generaliste", Decimal("80")), ("consultation_specialiste", Decimal("150")),
    }  # fmt: skip
    unsourced = [row for row in (*DEFAULT_RATES, *DEFAULT_TARIFFS) if row.source.startswith("⚠")]
    assert len(unsourced) == 4 and all(row.valid_to is None for row in unsourced)
    (ald,) = (row for row in DEFAULT_RATES if row.basis == "ald")
    assert "janvier 2024" in ald.source and ald.valid_from == date(2024, 1, 1)
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


def test_basis_is_translated_before_its_figures_are_filled() -> None:
    """A catalogue may move the placeholders; amounts and dates come out in the reader's format."""
    claim = Claim(ClaimKind.MALADIE, acts=(Act(DAY, ActType.CONSULTATION_GENERALISTE, Decimal("200")),))
    line = estimate_refund(claim, DEFAULT_RATES, DEFAULT_TARIFFS, DAY).lines[0]
    catalogue = {
        "%(rate)s du TNR de %(tnr)s (tarif national de référence du %(day)s)": "TNR %(tnr)s ← %(rate)s %(day)s"
    }
    text = line.explain(catalogue.__getitem__, amount=lambda v: f"<{v}>", day=date.isoformat)
    assert text == "TNR <80> ← 80 % 2026-11-25"
