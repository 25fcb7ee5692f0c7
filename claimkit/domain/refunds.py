"""Refund estimates: ONE estimator for the claim page, the scan screen, the packet and "Mes chiffres".

Always an estimate: the CNOPS's own statement is the only truth. Rates and tariffs are dated rows (seeded from
DEFAULT_* below, editable in the database) read on the DATE OF CARE, never on today: a rate that changed since
the act does not change what the act is worth. The lookup is keyed by (basis, day), so a new scheme (law 54-23,
CNSS) is one more row. Each line's `basis` spells the computation out, or says why the line is not estimated,
so a student can redo it by hand (docs/domain.md#refund-estimate).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from claimkit.domain import formats
from claimkit.domain.claims import ACT_LABELS, Act, ActType, Claim, ClaimKind, MedicineLine
from claimkit.domain.consistency import medicines_total
from claimkit.domain.dated import in_force
from claimkit.domain.messages import N_, Message, Value

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
SOURCE_PUBLIC = "⚠ Sources publiques, non confirmé par un texte officiel (docs/domain.md#refund-estimate)"
SOURCE_2006 = "⚠ Convention nationale 2006 (sources publiques, non confirmé par un texte officiel) — docs/domain.md"
SOURCE_ALD_2024 = "Communiqué CNOPS de janvier 2024 (docs/domain.md#refund-estimate)"

# RateRow.basis values, as stored in the database.
MEDICINES = "medicaments"  # rate × min(PPV, PBR)
ACTS = "actes"  # rate × min(paid, TNR); no TNR known: not estimated
ALD = "ald"  # medicines of an ALD/ALC claim once the CNOPS's accord number is on it

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
    # The 90 % "private sector" ALD figure has no source and is not a row (docs/domain.md#refund-estimate).
    RateRow(
        ALD,
        Decimal("1.00"),
        date(2024, 1, 1),
        None,
        SOURCE_ALD_2024 + " : médicaments ALD/ALC à 100 % (base générique)",
    ),
)
_GP, _SPECIALIST = ActType.CONSULTATION_GENERALISTE, ActType.CONSULTATION_SPECIALISTE
DEFAULT_TARIFFS = (
    TariffRow(_GP, Decimal("80"), START, None, SOURCE_2006 + " : TNR consultation généraliste"),
    TariffRow(_SPECIALIST, Decimal("150"), START, None, SOURCE_2006 + " : TNR consultation spécialiste"),
)


@dataclass(frozen=True)
class EstimateLine:
    label: str  # a msgid (act label) or the medicine's own name
    basis: Message  # the computation in words, e.g. "80 % du TNR de 80,00 DH", or why it is not estimated
    amount: Decimal
    estimated: bool = True  # False: "non estimé", the amount (0) is not a figure and stays out of the total

    def explain(
        self,
        translate: Callable[[str], str] = str,
        amount: Callable[[Decimal], str] = formats.amount,
        day: Callable[[date], str] = formats.numeric_date,
    ) -> str:
        """The basis in the reader's language, amounts written French-style unless told otherwise."""
        return self.basis.render(translate, amount, day)


@dataclass(frozen=True)
class RefundEstimate:
    medicines: tuple[EstimateLine, ...]  # one per claim.medicines line, in order (the packet's "Estimé" column)
    acts: tuple[EstimateLine, ...] = ()

    @property
    def lines(self) -> tuple[EstimateLine, ...]:
        return self.medicines + self.acts

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.estimated), ZERO)

    @property
    def not_estimated(self) -> int:
        """How many lines the total leaves out: the page and the packet say the total is partial."""
        return sum(1 for line in self.lines if not line.estimated)

    @property
    def note(self) -> str:
        """Shown with every total: the figure must never read as a promise."""
        return ESTIMATE_NOTE


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def rate_on(rates: Iterable[RateRow], basis: str, day: date) -> RateRow | None:
    """The row for `basis` in force on `day` (the date of care), or None when no row covers that day."""
    return in_force([r for r in rates if r.basis == basis], day)


def rate_in_force(rates: Iterable[RateRow], basis: str, on: date) -> Decimal | None:
    row = rate_on(rates, basis, on)
    return row.rate if row else None


def medicine_refund(rate: Decimal, ppv: Decimal | None, pbr: Decimal | None, quantity: int) -> Decimal:
    """rate × min(PPV, PBR) × boxes; with only one of the two prices known, that one is the base.

    The CNOPS pays on the PBR (prix base de remboursement, set on the generic's price), but never more than the
    price actually paid, hence the minimum. A line with neither price is not estimated (see medicine_estimate).
    """
    prices = [p for p in (ppv, pbr) if p is not None]
    if not prices:
        return ZERO
    return _cents(rate * min(prices) * quantity)


def _not_estimated(label: str, msgid: str, **values: str | Decimal | date) -> EstimateLine:
    return EstimateLine(label, Message(msgid, values), ZERO, estimated=False)


def _no_rate(label: str, on: date) -> EstimateLine:
    """Without a rate row for the day of care, say so rather than estimate 0 as if the CNOPS paid nothing."""
    return _not_estimated(label, N_("Non estimé : aucun taux en vigueur le %(day)s (date des soins)."), day=on)


def _medicine_rate(
    claim: Claim, med: MedicineLine, rates: Iterable[RateRow], on: date
) -> tuple[Message, Decimal] | None:
    """The rate's description and value for one medicine, in force on the day of care.

    ALD/ALC with the CNOPS's accord number: 100 % on the generic basis (CNOPS, January 2024); before the accord,
    or on a day no ALD row covers, the ordinary rules: the dated medicines row. The reference's `taux_remb` only
    says whether the box is reimbursed (every row of the bundled list is 0 or 70, the 70 equal to the row): the
    rate itself stays the dated row of the day of care, so a new scheme is one row, not a new medicines list.
    """
    rates = tuple(rates)
    if claim.kind is ClaimKind.ALD and claim.ald_accord.strip():
        ald = rate_on(rates, ALD, on)
        if ald is not None:
            text = N_("%(rate)s (ALD/ALC, accord n° %(accord)s, base générique)")
            return Message(text, {"rate": _pct(ald.rate), "accord": claim.ald_accord.strip()}), ald.rate
    row = rate_on(rates, MEDICINES, on)
    return (Message("%(rate)s", {"rate": _pct(row.rate)}), row.rate) if row else None


def medicine_estimate(claim: Claim, med: MedicineLine, rates: Iterable[RateRow], on: date) -> EstimateLine:
    """One medicine line of `claim`, with the rates in force on `on` (the day the medicines were bought).

    A 0 % rate in the reference means the product is not reimbursable: said as such, worth 0, never the 70 %
    of other boxes (docs/domain.md#refund-estimate). The scan screen calls this for a box not yet added.
    """
    label = med.name or MEDICINE
    if med.rate_percent == 0:
        return EstimateLine(label, Message(N_("Non remboursable (taux 0 % au référentiel des médicaments)")), ZERO)
    found = _medicine_rate(claim, med, rates, on)
    if found is None:
        return _no_rate(label, on)
    if med.ppv is None and med.pbr is None:
        return _not_estimated(label, N_("Non estimé : saisissez le PPV ou le PBR de la boîte."))
    rate_text, rate = found
    # The prices themselves are on the medicine's own line of the page: the basis only names the rule.
    if med.ppv is not None and med.pbr is not None:
        text = N_("%(rate)s × min(PPV, PBR) × %(qty)s, taux du %(day)s")
    elif med.ppv is not None:
        text = N_("%(rate)s × PPV × %(qty)s (PBR inconnu), taux du %(day)s")
    else:
        text = N_("%(rate)s × PBR × %(qty)s (PPV inconnu), taux du %(day)s")
    values: dict[str, Value] = {"rate": rate_text, "qty": med.quantity, "day": on}
    return EstimateLine(label, Message(text, values), medicine_refund(rate, med.ppv, med.pbr, med.quantity))


def _act_line(act: Act, rates: Iterable[RateRow], tariffs: Iterable[TariffRow]) -> EstimateLine:
    """rate × min(paid, TNR), both in force on the act's date: the CNOPS never pays on more than the tariff, nor
    on more than was paid. An act with no known tariff is not estimated: 80 % of the fee would be a guess."""
    label, day = ACT_LABELS[act.type], act.performed_on
    if act.type is ActType.PHARMACIE:
        return _not_estimated(label, N_("Non estimé : ajoutez les médicaments (scan des boîtes) pour les estimer."))
    tariff = in_force([t for t in tariffs if t.act_type == act.type], day)
    if tariff is None:
        return _not_estimated(label, N_("Non estimé : aucun tarif national de référence connu pour cet acte."))
    row = rate_on(rates, ACTS, day)
    if row is None:
        return _no_rate(label, day)
    values: dict[str, Value] = {"rate": _pct(row.rate), "tnr": tariff.amount, "day": day}
    if act.amount < tariff.amount:
        text, base = N_("%(rate)s du montant payé, inférieur au TNR de %(tnr)s (tarif du %(day)s)"), act.amount
    else:
        text, base = N_("%(rate)s du TNR de %(tnr)s (tarif national de référence du %(day)s)"), tariff.amount
    return EstimateLine(label, Message(text, values), _cents(row.rate * base))


SCALED_TO_PAID = N_("%(basis)s, ramené au montant payé à la pharmacie (%(paid)s pour %(scanned)s de boîtes)")


def _within_paid(claim: Claim, lines: tuple[EstimateLine, ...]) -> tuple[EstimateLine, ...]:
    """The CNOPS never pays more than was paid: when the pharmacy acts add up to less than the boxes' public prices,
    each box's estimate is scaled by paid / prices, so the medicines never estimate more than the pharmacy received
    (docs/domain.md#refund-estimate). Without a pharmacy act, or with a box of unknown PPV, nothing is scaled: the
    claim page's consistency warning asks for the missing figure."""
    paid = [act.amount for act in claim.acts if act.type is ActType.PHARMACIE]
    scanned = medicines_total(claim)
    if not paid or scanned is None or sum(paid) >= scanned:
        return lines
    share = sum(paid, ZERO) / scanned
    values: dict[str, Value] = {"paid": sum(paid, ZERO), "scanned": scanned}
    return tuple(
        EstimateLine(
            line.label,
            Message(SCALED_TO_PAID, {"basis": line.basis, **values}),
            _cents(line.amount * share),
            line.estimated,
        )
        if line.estimated and line.amount
        else line
        for line in lines
    )


def estimate_refund(
    claim: Claim, rates: Iterable[RateRow], tariffs: Iterable[TariffRow], today: date
) -> RefundEstimate:
    """One line per medicine and per act, each with the rates and tariffs in force on its date of care.

    Medicines are dated by the pharmacy act (else the first act; `today` only when the claim has no act yet).
    Medicines are counted once: a pharmacy act is the receipt of the medicine lines, so it gets a line of its
    own only when nothing is detailed, and that line is "non estimé" (the receipt's total mixes boxes of
    different rates, some not reimbursable).
    """
    rates, tariffs = tuple(rates), tuple(tariffs)
    bought_on = claim.medicines_on or today
    medicines = _within_paid(claim, tuple(medicine_estimate(claim, med, rates, bought_on) for med in claim.medicines))
    acts = tuple(
        _act_line(act, rates, tariffs) for act in claim.acts if act.type is not ActType.PHARMACIE or not claim.medicines
    )
    return RefundEstimate(medicines, acts)
