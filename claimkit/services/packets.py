"""The ready-to-post packet and the filled forms of a claim."""

from sqlalchemy.orm import Session

from claimkit.adapters import pdf
from claimkit.adapters.db import models as db_models
from claimkit.domain import forms
from claimkit.domain.claims import ACT_LABELS, KIND_LABELS, ClaimKind
from claimkit.domain.deadlines import local_today
from claimkit.domain.refunds import estimate_refund, medicine_refund, money
from claimkit.services import Clock, reference
from claimkit.services.claims import claim_view
from claimkit.services.facts import student_of
from claimkit.services.ownership import NotFound


def _days_text(days: int) -> str:
    if days > 1:
        return f"il reste {days} jours"
    if days == 1:
        return "il reste 1 jour"
    if days == 0:
        return "dernier jour : aujourd'hui"
    return f"hors délai depuis {-days} jour{'s' if days < -1 else ''}"


def packet_data(db: Session, clock: Clock, user_id: int, claim_id: int) -> pdf.PacketData:
    view = claim_view(db, clock, user_id, claim_id)
    now = clock()
    today = local_today(now)
    profile = db.get(db_models.Profile, user_id)
    student = student_of(profile)
    facts, row = view.facts, view.row
    insurer = reference.insurer_on(db, today)
    rates = reference.rates(db)
    med_rate = next((r.rate for r in rates if r.basis == ("ald" if facts.kind is ClaimKind.ALD else "medicaments")),
                    None)  # fmt: skip
    estimate = estimate_refund(facts, rates, reference.tariffs(db), today)
    attachments = len(view.ticked)
    deadline = (
        f"À poster au plus tard le {view.deadline.due:%d/%m/%Y} — {_days_text(view.deadline.days_left)}"
        if view.deadline
        else "Date limite : ajoutez la date du premier acte."
    )
    return pdf.PacketData(
        student_name=f"{student.nom.upper()} {student.prenom}".strip(),
        student_name_ar=f"{student.prenom_ar} {student.nom_ar}".strip(),
        student_cnie=student.cnie,
        student_address=[line for line in student.adresse.splitlines() if line.strip()],
        claim_title=row.label or KIND_LABELS[facts.kind],
        claim_summary=[f"{ACT_LABELS[a.type]} du {a.performed_on:%d/%m/%Y} : {money(a.amount)}" for a in facts.acts]
        + [f"Total payé : {money(facts.total_paid)}"],
        deadline_text=deadline,
        checklist=[pdf.ChecklistLine(i.label, i.required, i.key in view.ticked) for i in view.assessment.items],
        insurer_name=insurer.name if insurer else "CNOPS",
        insurer_address=insurer.lines if insurer else [],
        medicines=[
            pdf.MedicineRow(
                m.name,
                m.ean13,
                money(m.ppv) if m.ppv is not None else "—",
                money(m.pbr) if m.pbr is not None else "—",
                m.quantity,
                money(medicine_refund(med_rate, m.ppv, m.pbr, m.quantity)) if med_rate else "—",
            )
            for m in facts.medicines
        ],
        estimate_text=f"Remboursement estimé : {money(estimate.total)} (estimation indicative, la CNOPS décide).",
        today=today,
        forms=[(form, forms.field_values(form, student, facts, attachments)) for form in forms.forms_for(facts)],
    )


def packet(db: Session, clock: Clock, user_id: int, claim_id: int) -> bytes:
    return pdf.build_packet(packet_data(db, clock, user_id, claim_id))


def fillable_form(db: Session, clock: Clock, user_id: int, claim_id: int, form_name: str) -> bytes:
    data = packet_data(db, clock, user_id, claim_id)
    for form, values in data.forms:
        if form.value == form_name:
            return pdf.fillable(form, values)
    raise NotFound
