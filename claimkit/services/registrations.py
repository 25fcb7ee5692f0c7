"""The student's immatriculation status, their rights dates and the attestation file (issue 15).

One row per student (`registrations`), all optional. The attestation lives in the student's own upload folder
(adapters/storage.py), so the account deletion removes it with the rest; the data export carries it.
Rules and sources: docs/domain.md#advice-contacts-and-the-students-status.
"""

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from claimkit.adapters import attestations, storage
from claimkit.adapters.db import models as db_models
from claimkit.adapters.db.mappers import standing_of, status_of
from claimkit.adapters.db.ownership import NotFound
from claimkit.domain import claims as domain
from claimkit.domain import registration
from claimkit.domain.deadlines import local_today
from claimkit.domain.eligibility import care_warnings
from claimkit.domain.messages import N_, Message
from claimkit.domain.schemes import Scheme
from claimkit.services import Clock, ServiceError, schemes

log = logging.getLogger(__name__)
FUTURE_DATE = N_("Cette date est dans le futur : indiquez une date déjà passée.")


@dataclass(frozen=True)
class StatusInput:
    status: str = ""
    traditional_final_cycle: bool = False
    cnops_letter_on: date | None = None
    studies_interrupted_on: date | None = None


def get(db: Session, user_id: int) -> db_models.Registration | None:
    return db.get(db_models.Registration, user_id)


def _row(db: Session, clock: Clock, user_id: int) -> db_models.Registration:
    row = db.get(db_models.Registration, user_id)
    if row is None:
        row = db_models.Registration(user_id=user_id, updated_at=clock())
        db.add(row)
    return row


def save_status(db: Session, clock: Clock, user_id: int, data: StatusInput) -> db_models.Registration:
    """Re-checks what the form checked (the service is also reached from tests and the CLI)."""
    if data.status and registration.parse(data.status) is None:
        raise ServiceError(N_("Choisissez un statut dans la liste, ou aucun."))
    today = local_today(clock())
    if any(day and day > today for day in (data.cnops_letter_on, data.studies_interrupted_on)):
        raise ServiceError(FUTURE_DATE)
    row = _row(db, clock, user_id)
    row.status, row.traditional_final_cycle = data.status, data.traditional_final_cycle
    row.cnops_letter_on, row.studies_interrupted_on = data.cnops_letter_on, data.studies_interrupted_on
    row.updated_at = clock()
    db.commit()
    return row


def before_claim_context(db: Session, user_id: int) -> dict[str, object]:
    """What the dashboard (before the first claim) and the new-claim page say (msgids, domain/registration.py),
    and the status it is said for (None: unset, nothing alarming)."""
    status = status_of(get(db, user_id))
    return {"before_claim": registration.before_claim(status), "registration_status": status}


# ------------------------------------------------------------------------------------------- rights on a claim


def care_day_of(facts: domain.Claim) -> date | None:
    """The claim's date of care as services/schemes.care_day reads it (first act, or start of the continuous
    treatment); None while the claim has neither (then there is nothing to judge yet)."""
    if facts.first_act_date is None and facts.treatment is None:
        return None
    return schemes.care_day(facts, date.max)


def claim_warnings(db: Session, user_id: int, facts: domain.Claim, scheme: Scheme) -> tuple[Message, ...]:
    """AMO-E's rights judged on the claim's date of care; none under law 54-23's CNSS schemes (other rules)."""
    day = care_day_of(facts)
    if day is None or scheme is not Scheme.AMO_E:
        return ()
    standing = standing_of(db.get(db_models.Profile, user_id), get(db, user_id))
    return tuple(care_warnings(standing, day))


# ------------------------------------------------------------------------------------------- the attestation


def save_attestation(db: Session, clock: Clock, user_id: int, data: bytes, root: Path) -> db_models.Registration:
    try:
        kept = attestations.clean(data)
    except attestations.AttestationRefused as refused:
        raise ServiceError(refused.as_message) from None
    row = _row(db, clock, user_id)
    previous = row.attestation_name
    path = storage.save(root, user_id, kept.data, kept.suffix)
    row.attestation_name, row.attestation_type, row.attestation_size = path.name, kept.content_type, len(kept.data)
    row.attestation_at = row.updated_at = clock()
    try:
        db.commit()
    except Exception:
        path.unlink(missing_ok=True)  # the row still names the previous file: keep the disk in step
        raise
    if previous:
        storage.remove(root, user_id, previous)  # after the commit: a failed commit must not lose the old file
    log.info("user %s: attestation d'immatriculation kept (%s)", user_id, kept.content_type)
    return row


@dataclass(frozen=True)
class AttestationFile:
    path: Path
    content_type: str
    download_name: str


def download_name(row: db_models.Registration) -> str:
    return "attestation-immatriculation" + Path(row.attestation_name).suffix


def attestation_file(db: Session, user_id: int, root: Path) -> AttestationFile:
    """The signed-in student's own file; NotFound when they have none (the URL carries no id to guess)."""
    row = get(db, user_id)
    if row is None or not row.attestation_name:
        raise NotFound
    path = storage.path_of(root, user_id, row.attestation_name)
    if not path.is_file():
        raise NotFound
    return AttestationFile(path, row.attestation_type, download_name(row))


def remove_attestation(db: Session, clock: Clock, user_id: int, root: Path) -> None:
    row = get(db, user_id)
    if row is None or not row.attestation_name:
        raise NotFound
    name = row.attestation_name
    row.attestation_name, row.attestation_type, row.attestation_size, row.attestation_at = "", "", 0, None
    row.updated_at = clock()
    db.commit()
    storage.remove(root, user_id, name)
