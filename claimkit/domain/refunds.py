"""Refund estimates. Always an estimate: the CNOPS's own statement is the only truth.

⚠ Rates and tariffs come from public sources, not an official text (DOMAIN.md): they are dated rows, seeded
from DEFAULT_* below and editable in the database.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from claimkit.domain.claims import ACT_LABELS, ActType, Claim, ClaimKind
from claimkit.domain.dated import in_force
from claimkit.domain.messages import N_

CENT = Decimal("0.01")
SOURCE_2006 = "⚠ Convention nationale 2006 (sources publiques, non confirmé par un texte officiel) — DOMAIN.md"


@dataclass(frozen=True)
class RateRow:
    basis: str  # "medicaments", "actes", "ald"
    rate: Decimal
    valid_from: date
    valid_to: date | None = None
    source: str = ""


@dataclass(frozen=True)
class TariffRow:
    act_type: str
    amount: Decimal
    valid_from: date
    valid_to: date | None = None
    source: str = ""


START = date(2006, 1, 1)
DEFAULT_RATES = (
    RateRow("medicaments", Decimal("0.70"), START, None, SOURCE_2006),
    RateRow("actes", Decimal("0.80"), START, None, SOURCE_2006),
    RateRow("ald", Decimal("1.00"), START, None, SOURCE_2006),
)
DEFAULT_TARIFFS = (
    TariffRow(ActType.CONSULTATION_GENERALISTE, Decimal("80"), START, None, SOURCE_2006),
    TariffRow(ActType.CONSULTATION_SPECIALISTE, Decimal("150"), START, None, SOURCE_2006),
)


@dataclass(frozen=True)
class EstimateLine:
    label: str
    basis: str
    amount: Decimal


@dataclass(frozen=True)
class RefundEstimate:
    lines: tuple[EstimateLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0"))


def money(value: Decimal) -> str:
    """French amount: 1234.5 → "1 234,50 DH" (narrow no-break space between thousands)."""
    text = f"{value.quantize(CENT, ROUND_HALF_UP):,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + " DH"


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def _rate(rates: Iterable[RateRow], basis: str, on: date) -> Decimal:
    row = in_force([r for r in rates if r.basis == basis], on)
    return row.rate if row else Decimal("0")


def medicine_refund(rate: Decimal, ppv: Decimal | None, pbr: Decimal | None, quantity: int) -> Decimal:
    """rate × min(PPV, PBR) × boxes; with only one of the two prices known, that one is the base."""
    prices = [p for p in (ppv, pbr) if p is not None]
    if not prices:
        return Decimal("0.00")
    return (rate * min(prices) * quantity).quantize(CENT, ROUND_HALF_UP)


def estimate_refund(claim: Claim, rates: Iterable[RateRow], tariffs: Iterable[TariffRow], on: date) -> RefundEstimate:
    rates, tariffs = tuple(rates), tuple(tariffs)
    ald = claim.kind is ClaimKind.ALD
    med_rate = _rate(rates, "ald" if ald else "medicaments", on)
    act_rate = _rate(rates, "ald" if ald else "actes", on)
    lines: list[EstimateLine] = []
    for med in claim.medicines:
        amount = medicine_refund(med_rate, med.ppv, med.pbr, med.quantity)
        basis = N_("%(rate)s × min(PPV, PBR) × %(qty)s") % {"rate": _pct(med_rate), "qty": med.quantity}
        lines.append(EstimateLine(med.name, basis, amount))
    for act in claim.acts:
        if act.type is ActType.PHARMACIE:
            if claim.medicines:
                continue  # counted through the medicine lines
            amount = (med_rate * act.amount).quantize(CENT, ROUND_HALF_UP)
            basis = N_("%(rate)s du montant payé (détaillez les médicaments pour plus de précision)") % {
                "rate": _pct(med_rate)
            }
            lines.append(EstimateLine(ACT_LABELS[act.type], basis, amount))
            continue
        tariff = in_force([t for t in tariffs if t.act_type == act.type], on)
        if tariff is None:
            base, basis = act.amount, N_("%(rate)s du montant payé (TNR inconnu)") % {"rate": _pct(act_rate)}
        else:
            base = min(act.amount, tariff.amount)
            basis = N_("%(rate)s du tarif de référence (%(tnr)s)") % {
                "rate": _pct(act_rate),
                "tnr": money(tariff.amount),
            }
        lines.append(EstimateLine(ACT_LABELS[act.type], basis, (act_rate * base).quantize(CENT, ROUND_HALF_UP)))
    return RefundEstimate(tuple(lines))
