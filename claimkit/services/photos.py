"""Photos of the originals, one or more per checklist line (issue 17): kept under the instance, one folder per
student (adapters/storage.py), so deleting the claim or the account removes them."""

import logging
from pathlib import Path

from sqlalchemy.orm import Session

from claimkit.adapters import photos, storage
from claimkit.adapters.db import models as db_models
from claimkit.adapters.db.mappers import to_domain
from claimkit.adapters.db.ownership import NotFound, owned_claim, owned_photo
from claimkit.domain import checklist
from claimkit.domain.messages import N_
from claimkit.services import Clock, ServiceError

log = logging.getLogger(__name__)
PER_LINE = 6  # an ordonnance on two pages and a few invoices; more is a mistake


def thumb_name(name: str) -> str:
    return name.removesuffix(".jpg") + "-mini.jpg"


def add_photo(
    db: Session, clock: Clock, user_id: int, claim_id: int, item_key: str, data: bytes, root: Path
) -> db_models.ChecklistPhoto:
    claim = owned_claim(db, user_id, claim_id)
    if item_key not in {item.key for item in checklist.checklist_for(to_domain(claim))}:
        raise NotFound
    if sum(1 for p in claim.photos if p.item_key == item_key) >= PER_LINE:
        raise ServiceError(N_("Six photos au plus par pièce : supprimez-en une d'abord."))
    try:
        kept, thumb = photos.clean(data)
    except photos.PhotoRefused as refused:
        raise ServiceError(refused.message) from None
    path = storage.save(root, user_id, kept, ".jpg")
    storage.path_of(root, user_id, thumb_name(path.name)).write_bytes(thumb)
    photo = db_models.ChecklistPhoto(
        item_key=item_key, stored_name=path.name, content_type="image/jpeg", size=len(kept), created_at=clock()
    )
    claim.photos.append(photo)
    claim.updated_at = clock()
    db.commit()
    log.info("claim %s: photo added to %s", claim.id, item_key)
    return photo


def photo_path(db: Session, user_id: int, claim_id: int, photo_id: int, root: Path, mini: bool) -> Path:
    photo = owned_photo(db, user_id, claim_id, photo_id)
    return storage.path_of(root, user_id, thumb_name(photo.stored_name) if mini else photo.stored_name)


def remove_files(root: Path, user_id: int, photo: db_models.ChecklistPhoto) -> None:
    storage.remove(root, user_id, photo.stored_name)
    storage.remove(root, user_id, thumb_name(photo.stored_name))


def remove_photo(db: Session, clock: Clock, user_id: int, claim_id: int, photo_id: int, root: Path) -> None:
    photo = owned_photo(db, user_id, claim_id, photo_id)
    claim = owned_claim(db, user_id, claim_id)
    claim.photos.remove(photo)
    claim.updated_at = clock()
    db.commit()
    remove_files(root, user_id, photo)  # after the commit: a failed commit must not lose the file
