"""The fix offered to a claim holding more acts than its feuille de soins has rows (docs/domain.md#acts-on-one-sheet).

Such a claim is blocked (claimkit.domain.sheet_rows): made before the rule, or the « nouvel envoi » copy of one. One
button moves the acts beyond the sheet's rows, unchanged, to a new draft of the same kind with the same details, so
each envelope carries a sheet whose lines and total agree and no act is lost.
"""

import logging

from sqlalchemy.orm import Session

from claimkit.adapters.db import models as db_models
from claimkit.adapters.db.mappers import details_of, write_details
from claimkit.adapters.db.ownership import owned_claim
from claimkit.domain import claims as domain
from claimkit.domain import lifecycle
from claimkit.domain.deadlines import local_today
from claimkit.domain.forms import act_rows
from claimkit.domain.messages import N_
from claimkit.services import Clock, ServiceError, claims

NOTHING_TO_MOVE = N_("Les actes de ce dossier tiennent sur sa feuille de soins : il n'y a rien à déplacer.")
log = logging.getLogger(__name__)


def move_extra_acts(db: Session, clock: Clock, user_id: int, claim_id: int) -> db_models.Claim:
    """Moves the acts beyond the sheet's rows (the latest ones, in the sheet's order) to a new draft; both claims'
    deadline, state and figures are derived again. Refused for a sent claim, or one whose acts fit."""
    source = claims._editable(owned_claim(db, user_id, claim_id))
    extra = list(source.acts[act_rows(domain.ClaimKind(source.kind)) :])
    if not extra:
        raise ServiceError(NOTHING_TO_MOVE)
    now = clock()
    target = db_models.Claim(
        user_id=user_id, kind=source.kind, state=domain.ClaimState.BROUILLON, created_at=now, updated_at=now
    )
    write_details(target, details_of(source))  # the same event: label, treatment, ALD code, accident
    db.add(target)
    for act in extra:
        act.claim = target  # the row itself moves: nothing is copied or deleted
    claims.add_event(target, clock, lifecycle.created(local_today(now)))
    claims.refresh(db, clock, source)
    claims.refresh(db, clock, target)
    db.commit()
    log.info("claim %s: %d acts moved to the new claim %s", source.id, len(extra), target.id)
    return target
