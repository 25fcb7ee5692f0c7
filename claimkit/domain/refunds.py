"""Refund estimates. Always an estimate: the CNOPS's own statement is the only truth.

⚠ Rates and tariffs come from public sources, not an official text (DOMAIN.md): they are dated rows, seeded
from DEFAULT_* below and editable in the database, so a new convention or the CNSS takeover (law 54-23) is a
new row with its valid_from, not a code change. Each line's `basis` spells the computation out (a msgid whose
figures are filled in after translation, see EstimateLine.explain), so a student can redo it by hand and see which
figure is a guess.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from claimkit.domain.claims import ACT_LABELS, Act, ActType, Claim, ClaimKind, MedicineLine
from claimkit.domain.dated import in_force
from claimkit.domain.messages import N_, Message, short_day

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
SOURCE_PUBLIC = "⚠ Sources publiques, non confirmé par un texte officiel (DOMAIN.md, « Reimbursement »)"
SOURCE_2006 = "⚠ Convention nationale 2006 (sources publiques, non confirmé par un texte officiel) — DOMAIN.md"

# RateRow.basis values, as stored in the database.
MEDICINES = "medicaments"  # rate × min(PPV, PBR)
ACTS = "actes"  # rate × min(paid, TNR), or × paid when no TNR is known
ALD = "ald"  # ALD/ALC claims, medicines and acts alike (public hospital)
ALD_PRIVATE = "ald_prive"  # ALD/ALC care in the private sector

MEDICINE = N_("Médicament")  # the label of a medicine line without a name
ESTIMATE_NOTE = N_(
    "Estimation indicative (taux et tarifs de référence publics) : seul le décompte de la CNOPS fait foi."
)


@dataclass(frozen=True)
class RateRow:
    basis: str  # MEDICINES, ACTS or ALD
    rate: Decimal
    valid_from: date
    valid_to: date | None = None
    source: str = ""


@dataclass(frozen=True)
class TariffRow:
    """A tarif national de référence (TNR): the CNOPS pays its rate of this, whatever the doctor charged."""

    act_type: str
    amount: Decimal
    valid_from: date
    valid_to: date | None = None
    source: str = ""


START = date(2006, 1, 1)
DEFAULT_RATES = (
    RateRow(MEDICINES, Decimal("0.70"), START, None, SOURCE_PUBLIC + " : 70 % de min(PPV, PBR)"),
    RateRow(ACTS, Decimal("0.80"), START, None, SOURCE_PUBLIC + " : 80 % du tarif national de référence"),
    RateRow(ALD, Decimal("1.00"), START, None, SOURCE_PUBLIC + " : ALD/ALC 100 % (hôpital public)"),
    RateRow(ALD_PRIVATE, Decimal("0.90"), START, None, SOURCE_PUBLIC + " : ALD/ALC 90 % (secteur privé)"),
)
_GP, _SPECIALIST = ActType.CONSULTATION_GENERALISTE, ActType.CONSULTATION_SPECIALISTE
DEFAULT_TARIFFS = (
    TariffRow(_GP, Decimal("80"), START, None, SOURCE_2006 + " : TNR consultation généraliste"),
    TariffRow(_SPECIALIST, Decimal("150"), START, None, SOURCE_2006 + " : TNR consultation spécialiste"),
)


@dataclass(frozen=True)
class EstimateLine:
    label: str  # a msgid (act label) or the medicine's own name
    basis: Message  # the computation in words, e.g. "80 % du TNR de 80,00 DH"
    amount: Decimal

    def explain(
        self,
        translate: Callable[[str], str] = str,
        amount: Callable[[Decimal], str] = lambda value: money(value),
        day: Callable[[date], str] = short_day,
    ) -> str:
        """The basis in the reader's language, amounts written French-style unless told otherwise."""
        return self.basis.render(translate, amount, day)


@dataclass(frozen=True)
class RefundEstimate:
    lines: tuple[EstimateLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def note(self) -> str:
        """Shown with every total: the figure must never read as a promise."""
        return ESTIMATE_NOTE


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def money(value: Decimal) -> str:
    """French amount: 1234.5 → "1 234,50 DH" (narrow no-break space between thousands)."""
    text = f"{_cents(value):,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") + " DH"


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def rate_basis(claim: Claim, ordinary: str) -> str:
    """ALD/ALC claims use their own rate for medicines and acts alike, lower in the private sector."""
    if claim.kind is not ClaimKind.ALD:
        return ordinary
    return ALD_PRIVATE if claim.private_sector else ALD


def rate_in_force(rates: Iterable[RateRow], basis: str, on: date) -> Decimal | None:
    """The rate for `basis` on `on`, or None when no row covers that day (the estimate then says so)."""
    row = in_force([r for r in rates if r.basis == basis], on)
    return row.rate if row else None


def medicine_refund(rate: Decimal, ppv: Decimal | None, pbr: Decimal | None, quantity: int) -> Decimal:
    """rate × min(PPV, PBR) × boxes; with only one of the two prices known, that one is the base.

    The CNOPS pays on the PBR (prix base de remboursement), but never more than the price actually paid, hence
    the minimum. A line with neither price is worth 0 until the student enters one.
    """
    prices = [p for p in (ppv, pbr) if p is not None]
    if not prices:
        return ZERO
    return _cents(rate * min(prices) * quantity)


def _rate_text(rate: Decimal, ald: bool) -> str:
    return f"{_pct(rate)} (ALD/ALC)" if ald else _pct(rate)


def _no_rate(label: str, on: date) -> EstimateLine:
    """Without a rate row for the day, say so rather than estimate 0 as if the CNOPS paid nothing."""
    return EstimateLine(label, Message(N_("Aucun taux en vigueur le %(day)s : non estimé."), {"day": on}), ZERO)


def _medicine_line(med: MedicineLine, rate: Decimal | None, ald: bool, on: date) -> EstimateLine:
    label = med.name or MEDICINE
    if rate is None:
        return _no_rate(label, on)
    # The prices themselves are on the medicine's own line of the page: the basis only names the rule.
    if med.ppv is not None and med.pbr is not None:
        text = N_("%(rate)s × min(PPV, PBR) × %(qty)s")
    elif med.ppv is not None:
        text = N_("%(rate)s × PPV × %(qty)s (PBR inconnu)")
    elif med.pbr is not None:
        text = N_("%(rate)s × PBR × %(qty)s (PPV inconnu)")
    else:
        text = N_("Prix inconnu : saisissez le PPV ou le PBR de la boîte pour l'estimer.")
    values: dict[str, str | int] = {"rate": _rate_text(rate, ald), "qty": med.quantity}
    return EstimateLine(label, Message(text, values), medicine_refund(rate, med.ppv, med.pbr, med.quantity))


def _pharmacy_line(paid: Decimal, rate: Decimal | None, ald: bool, on: date) -> EstimateLine:
    """A pharmacy receipt without its medicines detailed: the medicine rate on what was paid, an upper bound."""
    label = ACT_LABELS[ActType.PHARMACIE]
    if rate is None:
        return _no_rate(label, on)
    text = N_("%(rate)s du montant payé (médicaments non détaillés : ajoutez-les pour estimer sur min(PPV, PBR))")
    return EstimateLine(label, Message(text, {"rate": _rate_text(rate, ald)}), _cents(rate * paid))


def _act_line(act: Act, rate: Decimal | None, ald: bool, tariff: TariffRow | None, on: date) -> EstimateLine:
    """rate × min(paid, TNR): the CNOPS never pays on more than the tariff, nor on more than was paid."""
    label = ACT_LABELS[act.type]
    if rate is None:
        return _no_rate(label, on)
    values: dict[str, str | Decimal] = {"rate": _rate_text(rate, ald)}
    if tariff is None:
        text, base = N_("%(rate)s — TNR inconnu : sur le montant payé"), act.amount
    elif act.amount < tariff.amount:
        text, base = N_("%(rate)s du montant payé, inférieur au TNR de %(tnr)s"), act.amount
    else:
        text, base = N_("%(rate)s du TNR de %(tnr)s (tarif national de référence)"), tariff.amount
    if tariff is not None:
        values["tnr"] = tariff.amount
    return EstimateLine(label, Message(text, values), _cents(rate * base))


def estimate_refund(claim: Claim, rates: Iterable[RateRow], tariffs: Iterable[TariffRow], on: date) -> RefundEstimate:
    """One line per medicine and per act, with the rates and tariffs in force on `on`.

    Medicines are counted once: when medicine lines exist they ARE the pharmacy receipt in detail, so a pharmacy
    act is estimated only when nothing is detailed. ALD/ALC claims use the ALD rate for everything.
    """
    rates, tariffs = tuple(rates), tuple(tariffs)
    ald = claim.kind is ClaimKind.ALD
    med_rate = rate_in_force(rates, rate_basis(claim, MEDICINES), on)
    act_rate = rate_in_force(rates, rate_basis(claim, ACTS), on)
    lines = [_medicine_line(med, med_rate, ald, on) for med in claim.medicines]
    for act in claim.acts:
        if act.type is not ActType.PHARMACIE:
            tariff = in_force([t for t in tariffs if t.act_type == act.type], on)
            lines.append(_act_line(act, act_rate, ald, tariff, on))
        elif not claim.medicines:  # otherwise already counted through the medicine lines
            lines.append(_pharmacy_line(act.amount, med_rate, ald, on))
    return RefundEstimate(tuple(lines))
