"""What the ready-to-post packet prints, as plain values.

The PDF adapter only lays these out. Every rule (due date, checklist, refund estimate, which insurer address is
valid today) is decided before, by the domain and the services, and arrives here as text, so the layout code
holds no rule and the packet of a past claim can be rebuilt from stored values.
`packet_data` builds it from the domain's Student and Claim plus those already-computed values.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from claimkit.domain.claims import Claim, MedicineLine, Student
from claimkit.domain.forms import FormId, field_values, forms_for, payout_text


def money_fr(value: Decimal | None) -> str:
    """1234.5 → "1 234,50 DH" (no-break spaces, so an amount never wraps); unknown → "—"."""
    if value is None:
        return "—"
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",") + "\u00a0DH"


@dataclass(frozen=True)
class ChecklistLine:
    label: str
    required: bool
    ticked: bool


@dataclass(frozen=True)
class MedicineRow:
    """One line of the medicines sheet, already formatted (prices are indicative, the refund an estimate)."""

    name: str
    ean13: str
    ppv: str
    pbr: str
    quantity: int
    refund: str

    @classmethod
    def of(cls, line: MedicineLine, refund: Decimal | None) -> "MedicineRow":
        return cls(line.name, line.ean13, money_fr(line.ppv), money_fr(line.pbr), line.quantity, money_fr(refund))


@dataclass(frozen=True)
class PacketData:
    """Everything printed in the packet, already computed and formatted (no rule lives in the layout)."""

    student_name: str
    student_name_ar: str
    student_cnie: str
    student_address: Sequence[str]
    claim_title: str
    claim_summary: Sequence[str]
    deadline_text: str
    checklist: Sequence[ChecklistLine]
    insurer_name: str
    insurer_address: Sequence[str]
    medicines: Sequence[MedicineRow]
    estimate_text: str
    today: date
    forms: Sequence[tuple[FormId, Mapping[str, str]]] = ()
    days_left_text: str = ""  # printed under the due date when deadline_text does not already say it
    student_phone: str = ""
    payout: str = ""


def packet_data(
    student: Student,
    claim: Claim,
    *,
    title: str,
    summary: Sequence[str],
    deadline_text: str,
    days_left_text: str,
    checklist: Sequence[ChecklistLine],
    insurer_name: str,
    insurer_address: Sequence[str],
    medicine_refunds: Sequence[Decimal | None],
    estimate_text: str,
    today: date,
    attachments: int | None = None,
    exoneration: bool = False,
    ald_accord: str = "",
) -> PacketData:
    """The packet of one claim. `medicine_refunds` follows claim.medicines (None: no estimate); the number of
    pièces jointes defaults to the ticked checklist lines; `exoneration` adds the exonération request (ALD)."""
    attached = sum(line.ticked for line in checklist) if attachments is None else attachments
    refunds = dict(enumerate(medicine_refunds))
    return PacketData(
        student_name=f"{student.nom.upper()} {student.prenom}".strip(),
        student_name_ar=f"{student.nom_ar} {student.prenom_ar}".strip(),
        student_cnie=student.cnie,
        student_address=[line.strip() for line in student.adresse.splitlines() if line.strip()],
        claim_title=title,
        claim_summary=list(summary),
        deadline_text=deadline_text,
        days_left_text=days_left_text,
        checklist=list(checklist),
        insurer_name=insurer_name,
        insurer_address=list(insurer_address),
        medicines=[MedicineRow.of(line, refunds.get(i)) for i, line in enumerate(claim.medicines)],
        estimate_text=estimate_text,
        today=today,
        forms=[
            (form, field_values(form, student, claim, attached, ald_accord=ald_accord))
            for form in forms_for(claim, exoneration)
        ],
        student_phone=student.telephone,
        payout=payout_text(student),
    )
