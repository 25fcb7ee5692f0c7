"""Law 54-23 notices: what changes for the student and what to ask their parent for, told once before the
cut-over and once after it, by email and on the dashboard (docs/domain.md#law-54-23-and-the-schemes).

Nothing is told while the cut-over date is unset. A `scheme_notices` row per (student, phase) records that the
email went out and when the dashboard banner was dismissed, so running `flask scheme notify` again sends nothing.
"""

import logging
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimkit.adapters import l10n
from claimkit.adapters.db import models as db_models
from claimkit.adapters.email_templates import render_email
from claimkit.adapters.mailer import Mailer
from claimkit.domain.deadlines import local_today
from claimkit.domain.schemes import Phase, notice, notice_phase
from claimkit.services import Clock, schemes
from claimkit.services.reminders import SenderSettings

log = logging.getLogger(__name__)


def _phase(db: Session, clock: Clock) -> tuple[Phase, str] | None:
    cutover = schemes.cutover(db)
    phase = notice_phase(local_today(clock()), cutover)
    return (phase, cutover.isoformat()) if phase and cutover else None


def _row(db: Session, user_id: int, phase: Phase) -> db_models.SchemeNotice:
    row = db.get(db_models.SchemeNotice, (user_id, str(phase)))
    if row is None:
        row = db_models.SchemeNotice(user_id=user_id, phase=str(phase))
        db.add(row)
    return row


def banner(db: Session, clock: Clock, user_id: int, locale: str) -> str:
    """The notice of the current phase in `locale`, or "" when there is none or the student dismissed it."""
    current = _phase(db, clock)
    if current is None:
        return ""
    row = db.get(db_models.SchemeNotice, (user_id, str(current[0])))
    if row is not None and row.dismissed_at is not None:
        return ""
    cutover = schemes.cutover(db)
    if cutover is None:  # unset between the two reads: no phase any more
        return ""
    return l10n.render(notice(current[0], cutover), locale)


def dismiss(db: Session, clock: Clock, user_id: int) -> None:
    current = _phase(db, clock)
    if current is not None:
        _row(db, user_id, current[0]).dismissed_at = clock()
        db.commit()


def send_notices(db: Session, clock: Clock, mailer: Mailer, settings: SenderSettings) -> int:
    """Emails the current phase's notice to every confirmed address that has not had it; returns how many."""
    current = _phase(db, clock)
    cutover = schemes.cutover(db)
    if current is None or cutover is None:
        return 0
    phase = current[0]
    told = select(db_models.SchemeNotice.user_id).where(
        db_models.SchemeNotice.phase == str(phase), db_models.SchemeNotice.emailed_at.is_not(None)
    )
    # only the students not told yet are loaded: the scheduler runs this every minute
    users = db.scalars(
        select(db_models.User).where(db_models.User.email_confirmed_at.is_not(None), db_models.User.id.not_in(told))
    )
    sent = 0
    for user in list(users):
        message = render_email(
            "scheme_notice",
            {"notice": l10n.render(notice(phase, cutover), user.locale), "profile_url": settings.links.profile()},
            locale=user.locale,
            to=user.email,
            sender=settings.sender,
            message_id=f"<loi-54-23-{phase}-{user.id}-{secrets.token_hex(6)}@claimkit>",
        )
        mailer.send(message)
        _row(db, user.id, phase).emailed_at = clock()
        db.commit()  # one student at a time: a failure later never re-sends to those already told
        sent += 1
    log.info("law 54-23 notice (%s) emailed to %d students", phase, sent)
    return sent
