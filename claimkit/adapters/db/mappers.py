"""Between the ORM rows and the domain's value objects, field by field by name: one place, so a new field of a
value object needs no hand-written copy anywhere else."""

from dataclasses import fields, replace

from claimkit.adapters.db.models import Claim
from claimkit.domain.claims import ClaimDetails


def details_of(row: Claim) -> ClaimDetails:
    """The claim's details as stored (the model's columns carry the value object's field names)."""
    return ClaimDetails(**{field.name: getattr(row, field.name) for field in fields(ClaimDetails)})


def write_details(row: Claim, details: ClaimDetails) -> None:
    """Stores the details on the row, texts stripped (a label typed with a trailing space is the same label)."""
    for field in fields(ClaimDetails):
        value = getattr(details, field.name)
        setattr(row, field.name, value.strip() if isinstance(value, str) else value)


def copied_details(row: Claim, label_suffix: str) -> ClaimDetails:
    """The details a "nouvel envoi" starts from: the same, its label marked as a new sending."""
    details = details_of(row)
    return replace(details, label=f"{details.label or 'Dossier'} {label_suffix}")
