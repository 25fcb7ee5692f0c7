"""Deadline reminders, and account mails (services/account_mails.py), through one transactional outbox.

Planning writes `reminders` rows in the caller's transaction (the claim change), so a claim and its plan
never disagree. Senders claim due rows atomically — `BEGIN IMMEDIATE` on SQLite, `FOR UPDATE SKIP LOCKED`
on PostgreSQL — with a lease; a row held by a sender that died is taken again once its lease expires.
A crash between the SMTP hand-off and the "sent" mark can therefore duplicate a mail (measured by the crash
test), but never lose one.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import cast

from sqlalchemy import Connection, Table, func, select, text, update
from sqlalchemy.orm import Session, selectinload, sessionmaker

from claimkit.adapters import l10n
from claimkit.adapters.db import models as db_models
from claimkit.adapters.db.mappers import student_of, to_domain
from claimkit.adapters.email_templates import render_email
from claimkit.adapters.mailer import Mailer
from claimkit.domain import advice, checklist, lifecycle
from claimkit.domain import claims as domain
from claimkit.domain import reminders as plan_rules
from claimkit.domain.deadlines import days_left, local_today
from claimkit.domain.reminders import ReminderStatus as Status
from claimkit.services import Clock, account_mails, notifications
from claimkit.services.links import Links

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def replan(db: Session, claim: db_models.Claim, now: datetime) -> None:
    """Brings the claim's pending reminders in line with its deadline and state (no commit)."""
    wanted: set[tuple[int, datetime]] = set()
    state = domain.ClaimState(claim.state)
    if claim.deleted_at is not None:  # in the corbeille: no reminder until restored
        pass
    elif claim.deadline and lifecycle.is_editable(state):
        wanted = {(p.days_before, p.due_at) for p in plan_rules.plan(claim.deadline, now)}
    elif claim.sent_on and lifecycle.awaits_news(state):
        follow_up = plan_rules.follow_up(claim.sent_on, now)
        wanted = {(follow_up.days_before, follow_up.due_at)} if follow_up else set()
    pending = db.scalars(
        select(db_models.Reminder).where(
            db_models.Reminder.claim_id == claim.id, db_models.Reminder.status == Status.PENDING
        )
    ).all()
    for row in pending:
        if (row.days_before, row.due_at) in wanted:
            wanted.discard((row.days_before, row.due_at))
        else:
            db.delete(row)
    db.add_all(
        db_models.Reminder(claim_id=claim.id, days_before=d, due_at=t, status=Status.PENDING, attempts=0, claimed_by="")
        for d, t in sorted(wanted)
    )


@dataclass
class PassReport:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0
    ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class SenderSettings:
    secret_key: str
    links: Links
    sender: str
    lease: timedelta = timedelta(minutes=5)
    batch: int = 50


def _claim(db: Session, now: datetime, settings: SenderSettings, worker: str) -> list[int]:
    """Takes up to `batch` due rows for this worker and commits the lease before any mail leaves."""
    reminder = db_models.Reminder
    sqlite = db.get_bind().dialect.name == "sqlite"
    if sqlite:
        db.execute(text("BEGIN IMMEDIATE"))  # one writer at a time: no two senders read the same rows
    # Two index-ordered queries rather than one OR: each walks ix_reminders_status_due_at without a sort.
    expired = select(reminder.id).where(reminder.status == Status.SENDING, reminder.lease_until < now)
    due = select(reminder.id).where(reminder.status == Status.PENDING, reminder.due_at <= now).order_by(reminder.due_at)
    ids: list[int] = []
    for query in (expired, due):
        query = query.limit(settings.batch - len(ids))
        if not sqlite:
            query = query.with_for_update(skip_locked=True)
        ids += db.scalars(query)
        if len(ids) >= settings.batch:
            break
    if ids:
        db.execute(
            update(reminder)
            .where(reminder.id.in_(ids))
            .values(
                status=Status.SENDING,
                lease_until=now + settings.lease,
                claimed_by=worker,
                attempts=reminder.attempts + 1,
            )
        )
    db.commit()
    return ids


@dataclass
class _Batch:
    """Everything a pass needs to compose its mails, loaded in a fixed number of queries (not per mail)."""

    rows: list[db_models.Reminder]
    claims: dict[int, db_models.Claim]
    users: dict[int, db_models.User]
    latest_due: dict[int, datetime]  # per claim: the latest reminder due by now that is still to send
    accounts: dict[str, db_models.User]  # account mails: the account using each address, when there is one


def _load(db: Session, ids: list[int], now: datetime) -> _Batch:
    reminder, claim = db_models.Reminder, db_models.Claim
    rows = list(db.scalars(select(reminder).where(reminder.id.in_(ids)).order_by(reminder.due_at, reminder.id)))
    claim_ids = {row.claim_id for row in rows if row.claim_id is not None}
    addresses = {row.to_address for row in rows if row.kind in account_mails.KINDS}
    accounts = {u.email: u for u in db.scalars(select(db_models.User).where(db_models.User.email.in_(addresses)))}
    claims = {
        c.id: c
        for c in db.scalars(
            select(claim)
            .where(claim.id.in_(claim_ids))
            .options(selectinload(claim.acts), selectinload(claim.medicines), selectinload(claim.ticks))
        )
    }
    user_ids = {c.user_id for c in claims.values()}
    users = {
        u.id: u
        for u in db.scalars(
            select(db_models.User).where(db_models.User.id.in_(user_ids)).options(selectinload(db_models.User.profile))
        )
    }
    latest = db.execute(
        select(reminder.claim_id, func.max(reminder.due_at))
        .where(reminder.claim_id.in_(claim_ids), reminder.due_at <= now, reminder.status.in_(plan_rules.WAITING))
        .group_by(reminder.claim_id)
    ).all()
    return _Batch(rows, claims, users, {claim_id: due for claim_id, due in latest if claim_id}, accounts)


def _skip_reason(batch: _Batch, row: db_models.Reminder, claim: db_models.Claim | None) -> str:
    """Why a due row must not be mailed any more ("" when it must): the claim moved on since it was planned."""
    if claim is None or claim.deleted_at is not None:
        return "dossier supprimé"
    state = domain.ClaimState(claim.state)
    if row.days_before < 0:  # the follow-up after sending
        return "" if lifecycle.awaits_news(state) and claim.sent_on else "nouvelles reçues"
    if not lifecycle.is_editable(state) or claim.deadline is None:
        return "dossier envoyé ou supprimé"
    latest = batch.latest_due.get(claim.id)
    # the sender was late: one mail with the current count is enough
    return "remplacé par un rappel plus récent" if latest is not None and latest > row.due_at else ""


def _deadline_context(
    claim: db_models.Claim, due: date, profile: db_models.Profile | None, locale: str, now: datetime
) -> dict[str, object]:
    assessment = checklist.assess(to_domain(claim), {t.item_key for t in claim.ticks}, student_of(profile))
    return {
        "due_text": l10n.day(due, locale),
        "days_left": max(days_left(due, now), 0),
        "missing": [l10n.render(gap, locale) for gap in assessment.missing],
    }


def _compose(
    batch: _Batch, row: db_models.Reminder, now: datetime, settings: SenderSettings
) -> tuple[EmailMessage | None, str]:
    """The mail for one due reminder, in the student's language; or None and the reason recorded on the row
    instead."""
    claim = batch.claims.get(row.claim_id or 0)
    reason = _skip_reason(batch, row, claim)
    if reason or claim is None:
        return None, reason
    user = batch.users.get(claim.user_id)
    if user is None or user.reminders_opt_out:
        return None, "désabonné"
    if user.email_confirmed_at is None:
        return None, "adresse non confirmée"
    profile = user.profile
    # The domain's labels are French msgids (marked N_): the scheduler has no request, so the student's catalogue
    # translates them here; a title the student typed is kept as typed.
    catalogue = l10n.translations(user.locale)
    # An Arabic mail greets the student by the Arabic spelling of the name when the profile has one.
    prenom = ((profile.prenom_ar if l10n.language(user.locale).rtl else "") or profile.prenom) if profile else ""
    if row.days_before < 0 and claim.sent_on:  # the follow-up after sending
        template = "follow_up"
        contacts = advice.contacts_on(advice.DEFAULT_CONTACTS, local_today(now))
        details: dict[str, object] = {
            "sent_text": l10n.day(claim.sent_on, user.locale),
            "recommande": claim.recommande_number,
            "days": -row.days_before,
            "portal": contacts.portal if contacts else "",
            "phone": contacts.phone if contacts else "",
        }
    elif claim.deadline:
        template, details = "reminder", _deadline_context(claim, claim.deadline, profile, user.locale, now)
    else:  # _skip_reason has already excluded it
        return None, "dossier envoyé ou supprimé"
    context = {
        "prenom": prenom,
        "title": domain.claim_title(claim.label, claim.kind, claim.copied_from is not None, catalogue.gettext),
        "claim_url": settings.links.claim(claim.id),
        "unsubscribe_url": settings.links.unsubscribe(notifications.unsubscribe_token(settings.secret_key, user)),
        **details,
    }
    message = render_email(
        template,
        context,
        locale=user.locale,
        to=user.email,
        sender=settings.sender,
        message_id=f"<reminder-{row.id}@claimkit>",
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    return message, ""


def _finish(conn: Connection, row_id: int, worker: str, values: dict[str, object]) -> None:
    """Records one outcome: a Core UPDATE on the pass's autocommit connection, nothing else in between. The time
    from the hand-off to the end of this statement is the window in which a crash duplicates the mail, so it is
    kept as short as the database allows (test_senders_killed_at_random_lose_nothing)."""
    table = cast(Table, db_models.Reminder.__table__)
    conn.execute(update(table).where(table.c.id == row_id, table.c.claimed_by == worker).values(**values))


def send_due(sessions: sessionmaker[Session], clock: Clock, mailer: Mailer, settings: SenderSettings) -> PassReport:
    """One pass: claim due rows, load what their mails need in one go, send each, record each outcome as soon as
    it is known (a crash then re-sends at most the one mail in flight). Safe to run in several processes."""
    worker = uuid.uuid4().hex
    report = PassReport()
    with sessions() as db:
        ids = _claim(db, clock(), settings, worker)
    if not ids:
        return report
    # One connection for the whole pass, in autocommit: each outcome is still durable on its own as soon as its
    # UPDATE returns (one round trip per mail, no COMMIT, no pool check-out with its pre-ping).
    engine = sessions.kw["bind"]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn, sessions(bind=conn) as db:
        batch = _load(db, ids, clock())
        for row in batch.rows:
            now = clock()
            message: EmailMessage | None
            if row.kind in account_mails.KINDS:
                account = batch.accounts.get(row.to_address)
                message, reason = account_mails.compose(conn, row, account, now, settings)
            else:
                message, reason = _compose(batch, row, now, settings)
            if message is None:
                _finish(conn, row.id, worker, {"status": Status.SKIPPED, "last_error": reason, "lease_until": None})
                report.skipped += 1
                continue
            try:
                mailer.send(message)
            except Exception as error:  # any transport failure is retried, then recorded
                log.warning("reminder %s: send failed (%s)", row.id, type(error).__name__)
                final = row.attempts >= MAX_ATTEMPTS
                _finish(
                    conn,
                    row.id,
                    worker,
                    {
                        "status": Status.FAILED if final else Status.PENDING,
                        "last_error": str(error)[:500],
                        "lease_until": None,
                        "due_at": now + plan_rules.backoff(row.attempts),
                    },
                )
                report.failed += final
                report.retried += not final
                continue
            _finish(conn, row.id, worker, {"status": Status.SENT, "sent_at": clock(), "lease_until": None})
            report.sent += 1
            report.ids.append(row.id)
    return report
