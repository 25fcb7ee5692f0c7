"""What the ready-to-post packet prints, as plain values.

The PDF adapter only lays these out. Every rule (due date, checklist, refund estimate, which insurer address is
valid today) is decided before, by the domain and the services, and arrives here as text, so the layout code
holds no rule and the packet of a past claim can be rebuilt from stored values.
`packet_data` builds it from the domain's Student and Claim plus those already-computed values. The texts arrive
in the student's language (`locale`), and amounts are written by the caller's `money` (the Moroccan formats live
in claimkit.adapters.l10n): translation stays out of the domain.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from claimkit.domain.claims import Claim, MedicineLine, Student
from claimkit.domain.forms import FormId, assure_values, field_values, forms_for, payout_text
from claimkit.domain.languages import SOURCE
from claimkit.domain.schemes import Scheme

Money = Callable[[Decimal | None], str]  # an amount as the reader writes it; None (unknown) → "—"


@dataclass(frozen=True)
class ChecklistLine:
    label: str
    required: bool
    ticked: bool
    documents: int | None = None  # how many go in the envelope; None for the sheet's own line (not a pièce jointe)


@dataclass(frozen=True)
class MedicineRow:
    """One line of the medicines sheet, already formatted (prices are indicative, the refund an estimate)."""

    name: str
    ean13: str
    ppv: str
    pbr: str
    quantity: int
    refund: str
    detail: str = ""  # strength and DCI (MedicineLine.detail)

    @classmethod
    def of(cls, line: MedicineLine, refund: Decimal | None, money: Money) -> "MedicineRow":
        return cls(line.name, line.ean13, money(line.ppv), money(line.pbr), line.quantity, money(refund), line.detail)


@dataclass(frozen=True)
class PacketData:
    """Everything printed in the packet, already computed and formatted (no rule lives in the layout).

    The texts are in the student's language `locale` (a `Language`), which also tells the layout the direction of
    its own labels; what the CNOPS agent reads (identity, insurer address, the forms) stays French.
    """

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
    estimate_lines: Sequence[str] = ()  # each estimate line with its basis, under estimate_text on the cover
    posting_text: str = ""  # "Postez avant …" (the recommandé's margin), printed under the due date
    student_phone: str = ""
    payout: str = ""
    locale: str = SOURCE
    # Law 54-23: under the ayant-droit scheme the parent is the assuré and signs (docs/domain.md#law-54-23-…).
    scheme: Scheme = Scheme.AMO_E
    assure_name: str = ""  # the parent, as written on the sheets (empty: the student is the assuré)
    assure_immatriculation: str = ""
    assure_cin: str = ""
    assure_address: Sequence[str] = ()
    attachments: int = 0  # the sheet's "Nombre de pièces jointes", also under the cover's checklist
    # AMO-E rights judged on the date of care (age, CNOPS letter, interrupted studies): warnings, the CNOPS decides
    rights_warnings: Sequence[str] = ()

    @property
    def parent_signs(self) -> bool:
        return bool(self.assure_name)


def packet_data(
    student: Student,
    claim: Claim,
    *,
    title: str,
    summary: Sequence[str],
    deadline_text: str,
    posting_text: str,
    checklist: Sequence[ChecklistLine],
    insurer_name: str,
    insurer_address: Sequence[str],
    medicine_refunds: Sequence[Decimal | None],
    estimate_text: str,
    today: date,
    money: Money,
    locale: str = SOURCE,
    attachments: int | None = None,
    estimate_lines: Sequence[str] = (),
    scheme: Scheme = Scheme.AMO_E,
) -> PacketData:
    """The packet of one claim, its texts in `locale`. `medicine_refunds` follows claim.medicines (None: no
    estimate); the number of pièces jointes defaults to the ticked checklist lines."""
    attached = sum(line.ticked for line in checklist) if attachments is None else attachments
    refunds = dict(enumerate(medicine_refunds))
    assure = assure_values(scheme, student, claim, attached)
    parent = assure.get("lien_parente") is not None  # the parent is the assuré: they sign, the CNSS pays them
    return PacketData(
        student_name=f"{student.nom.upper()} {student.prenom}".strip(),
        student_name_ar=f"{student.nom_ar} {student.prenom_ar}".strip(),
        student_cnie=student.cnie,
        student_address=[line.strip() for line in student.adresse.splitlines() if line.strip()],
        claim_title=title,
        claim_summary=list(summary),
        deadline_text=deadline_text,
        posting_text=posting_text,
        checklist=list(checklist),
        insurer_name=insurer_name,
        insurer_address=list(insurer_address),
        medicines=[MedicineRow.of(line, refunds.get(i), money) for i, line in enumerate(claim.medicines)],
        estimate_text=estimate_text,
        estimate_lines=list(estimate_lines),
        today=today,
        forms=[(form, field_values(form, student, claim, attached, scheme)) for form in forms_for(claim)],
        student_phone=student.telephone,
        payout="" if parent else payout_text(student),
        locale=locale,
        scheme=scheme,
        assure_name=assure["nom_prenom"] if parent else "",
        assure_immatriculation=assure["immatriculation"] if parent else "",
        assure_cin=assure["cin"] if parent else "",
        assure_address=[line.strip() for line in assure["adresse"].splitlines() if line.strip()] if parent else [],
        attachments=attached,
    )
