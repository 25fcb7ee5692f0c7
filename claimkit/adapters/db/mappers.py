"""Between the ORM rows and the domain's value objects, field by field by name: one place, so a new field of a
value object needs no hand-written copy anywhere else. The rules never see an ORM object: services hand them
what these functions return."""

from dataclasses import fields
from typing import TypeVar

from sqlalchemy import inspect

from claimkit.adapters.db import models as db_models
from claimkit.adapters.db.models import Claim
from claimkit.domain import claims as domain
from claimkit.domain import registration
from claimkit.domain.claims import ClaimDetails
from claimkit.domain.eligibility import Standing
from claimkit.domain.schemes import Parent

Row = TypeVar("Row", db_models.Act, db_models.MedicineLine)


def details_of(row: Claim) -> ClaimDetails:
    """The claim's details as stored (the model's columns carry the value object's field names)."""
    return ClaimDetails(**{field.name: getattr(row, field.name) for field in fields(ClaimDetails)})


def write_details(row: Claim, details: ClaimDetails) -> None:
    """Stores the details on the row, texts stripped (a label typed with a trailing space is the same label)."""
    for field in fields(ClaimDetails):
        value = getattr(details, field.name)
        setattr(row, field.name, value.strip() if isinstance(value, str) else value)


def to_domain(row: db_models.Claim) -> domain.Claim:
    treatment = None
    if row.treatment_start and row.treatment_end:
        treatment = domain.Treatment(row.treatment_start, row.treatment_end)
    return domain.Claim(
        kind=domain.ClaimKind(row.kind),
        acts=tuple(
            domain.Act(
                a.performed_on,
                domain.ActType(a.type),
                a.amount,
                a.practitioner,
                a.inpe,
                a.dentist_if,
                a.ice,
                a.entente,
            )
            for a in row.acts
        ),
        medicines=tuple(
            domain.MedicineLine(m.name, m.quantity, m.ean13, m.ppv, m.pbr, m.rate_percent, m.dci, m.dosage)
            for m in row.medicines
        ),
        treatment=treatment,
        ald_code=row.ald_code,
        ald_accord=row.ald_accord,
        exoneration=row.ald_exoneration,
        third_party_liable=row.third_party_liable,
        accident_date=row.accident_date,
        accident_circumstances=row.accident_circumstances,
    )


def student_of(profile: db_models.Profile | None) -> domain.Student:
    if profile is None:
        return domain.Student(nom="", prenom="", cnie="")
    return domain.Student(
        nom=profile.nom,
        prenom=profile.prenom,
        cnie=profile.cnie,
        adresse=profile.adresse,
        nom_ar=profile.nom_ar,
        prenom_ar=profile.prenom_ar,
        massar=profile.massar,
        date_naissance=profile.date_naissance,
        telephone=profile.telephone,
        etablissement=profile.etablissement,
        payout_method=profile.payout_method,
        rib=profile.rib,
        parent=parent_of(profile),
    )


def parent_of(profile: db_models.Profile) -> Parent | None:
    """The insured parent of the profile's optional block, or None when the block is empty."""
    parent = Parent(
        nom_prenom=profile.parent_nom_prenom,
        immatriculation=profile.parent_immatriculation,
        cin=profile.parent_cin,
        insurer=profile.parent_insurer,
        adresse=profile.parent_adresse,
    )
    return parent if any(vars(parent).values()) else None


def status_of(row: db_models.Registration | None) -> registration.Status | None:
    return registration.parse(row.status) if row else None


def standing_of(profile: db_models.Profile | None, row: db_models.Registration | None) -> Standing:
    return Standing(
        birth_date=profile.date_naissance if profile else None,
        traditional_final_cycle=row.traditional_final_cycle if row else False,
        cnops_letter_on=row.cnops_letter_on if row else None,
        studies_interrupted_on=row.studies_interrupted_on if row else None,
    )


def copy_row(row: Row) -> Row:
    """A new unsaved row of the same model with every column value but its own id and its claim: an act or a
    medicine line carried to a copied claim keeps every field, including one added later."""
    model = type(row)
    keep = [c.key for c in inspect(model).column_attrs if c.key not in ("id", "claim_id")]
    return model(**{key: getattr(row, key) for key in keep})
