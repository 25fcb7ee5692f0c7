"""Account mails (sign-up, password reset) through the reminders outbox (issue 18).

The page does the same work whatever the address typed: it counts the rate limits and writes one outbox row
(kind, address, page language), then answers. Whether an account exists is looked up only by the sender
(`reminders.send_due`, run by `flask run-scheduler`), which decides which mail leaves:

- sign-up, new address: a signed link to finish creating the account (password, consent);
- sign-up, address with an account: "you already have an account: sign in / forgot your password";
- reset, address with an account: a fresh single-use reset link, created at send time (only its hash is stored:
  the outbox row never holds a secret);
- reset, address without an account: "no account uses this address: create one", so a student who forgot which
  address they used learns it in their own mailbox, and nobody else learns anything.

So the answer's body, status, headers, timing and database rows do not show who has an account.
"""

import secrets
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import TYPE_CHECKING, cast

from sqlalchemy import Connection, Table, delete, insert
from sqlalchemy.orm import Session

from claimkit.adapters import tokens
from claimkit.adapters.db.models import PasswordReset, Reminder, User
from claimkit.adapters.email_templates import render_email
from claimkit.domain.languages import SOURCE, language
from claimkit.domain.reminders import FINISHED, ReminderStatus
from claimkit.domain.throttling import (
    CONFIRMATIONS_PER_ACCOUNT,
    RESETS_PER_ACCOUNT,
    RESETS_PER_ADDRESS,
    SIGN_UPS_PER_ADDRESS,
    SIGN_UPS_PER_EMAIL,
)
from claimkit.services import Clock, notifications, throttles
from claimkit.services.accounts import normalize_email, token_hash

if TYPE_CHECKING:
    from claimkit.services.reminders import SenderSettings

SIGN_UP, RESET, CONFIRM = "signup", "reset", "confirm"
KINDS = (SIGN_UP, RESET, CONFIRM)
RESET_VALIDITY = timedelta(hours=1)


def _enqueue(db: Session, now: datetime, kind: str, email: str, locale: str) -> None:
    db.add(
        Reminder(
            kind=kind,
            claim_id=None,
            to_address=normalize_email(email),
            locale=language(locale),
            days_before=0,
            due_at=now,
            status=ReminderStatus.PENDING,
            attempts=0,
            claimed_by="",
        )
    )
    db.commit()


def request_sign_up(db: Session, clock: Clock, email: str, locale: str, address: str = "") -> None:
    """Sign-up's first step. Limited per client address and per typed address (each one sends a mail to it);
    raises ServiceError when a limit is reached, for an existing and a new address alike."""
    throttles.allow(
        db,
        clock,
        {
            throttles.key("signup-address", address): SIGN_UPS_PER_ADDRESS,
            throttles.key("signup-email", normalize_email(email)): SIGN_UPS_PER_EMAIL,
        },
    )
    _enqueue(db, clock(), SIGN_UP, email, locale)


def request_reset(db: Session, clock: Clock, email: str, locale: str, address: str = "") -> None:
    """Forgot-password. Limited per typed address (existing or not, so the limit reveals nothing either) and per
    client address."""
    throttles.allow(
        db,
        clock,
        {
            throttles.key("reset-account", normalize_email(email)): RESETS_PER_ACCOUNT,
            throttles.key("reset-address", address): RESETS_PER_ADDRESS,
        },
    )
    _enqueue(db, clock(), RESET, email, locale)


def request_confirmation(db: Session, clock: Clock, user: User) -> None:
    """ "Send the confirmation link again" (an account made before the mail-first sign-up, whose address was never
    confirmed): limited per account; raises ServiceError when it is used too often."""
    throttles.allow(db, clock, {throttles.key("confirm-account", str(user.id)): CONFIRMATIONS_PER_ACCOUNT})
    _enqueue(db, clock(), CONFIRM, user.email, user.locale)


def sign_up_token(secret: str, email: str, locale: str) -> str:
    return tokens.make(secret, tokens.SIGN_UP, [normalize_email(email), locale])


def read_sign_up_token(secret: str, token: str) -> tuple[str, str] | None:
    """(email, language) of an unexpired finish-sign-up link, or None."""
    payload = tokens.read(secret, tokens.SIGN_UP, token, max_age=tokens.SIGN_UP_MAX_AGE)
    if not isinstance(payload, list) or len(payload) != 2 or not all(isinstance(p, str) for p in payload):
        return None
    return payload[0], payload[1]


def _new_reset(conn: Connection, user: User, now: datetime) -> str:
    """A single-use reset token for `user`, recorded (hashed) on the sender's autocommit connection before the mail
    leaves: a crash after this only leaves an unused row that expires."""
    token = secrets.token_urlsafe(32)
    table = cast(Table, PasswordReset.__table__)
    conn.execute(insert(table).values(user_id=user.id, token_hash=token_hash(token), expires_at=now + RESET_VALIDITY))
    return token


def compose(
    conn: Connection, row: Reminder, user: User | None, now: datetime, settings: "SenderSettings"
) -> tuple[EmailMessage | None, str]:
    """The mail for one account-mail row, `user` being the account using the row's address if any; or None and
    the reason recorded on the row instead."""
    links, language_asked = settings.links, row.locale or SOURCE  # an account mail always has its page's language
    if row.kind == CONFIRM:
        if user is None or user.email_confirmed_at is not None:
            return None, "adresse déjà confirmée ou compte supprimé"
        return notifications.confirmation_message(user, settings.secret_key, links, settings.sender), ""
    if row.kind == RESET and user is not None:
        template, context = "reset", {"reset_url": links.reset_password(_new_reset(conn, user, now))}
    elif row.kind == RESET:
        template, context = "reset_unknown", {"signup_url": links.sign_up()}
    elif user is not None:
        template, context = "account_exists", {"login_url": links.log_in(), "forgot_url": links.forgot_password()}
    else:
        token = sign_up_token(settings.secret_key, row.to_address, language_asked)
        template, context = "signup", {"signup_url": links.finish_sign_up(token)}
    message = render_email(
        template,
        context,
        locale=user.locale if user is not None else language_asked,
        to=row.to_address,
        sender=settings.sender,
        message_id=f"<{row.kind}-{row.id}-{secrets.token_hex(4)}@claimkit>",
    )
    return message, ""


KEPT = timedelta(days=7)


def purge(db: Session, now: datetime) -> int:
    """Account-mail rows hold an address typed by anyone (with or without an account): they go a week after
    their last attempt (the scheduler runs this each pass). Reminder rows stay (the export shows them)."""
    result = db.execute(
        delete(Reminder).where(Reminder.kind.in_(KINDS), Reminder.status.in_(FINISHED), Reminder.due_at < now - KEPT)
    )
    db.commit()
    return int(getattr(result, "rowcount", 0) or 0)
