"""Email confirmation, reminder opt-out and the private calendar feed of a student."""

import hmac
import secrets
import unicodedata
from datetime import UTC, date, datetime
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimkit.adapters import tokens
from claimkit.adapters.db import models as db_models
from claimkit.adapters.email_templates import render_email
from claimkit.domain import claims as domain
from claimkit.domain import lifecycle
from claimkit.services import Clock
from claimkit.services.links import Links


def confirmation_message(user: db_models.User, secret: str, links: Links, sender: str) -> EmailMessage:
    """The link proves the address before any reminder goes there; written in the account's language. Sent from
    the outbox (services/account_mails.py), as every mail a page asks for."""
    token = tokens.make(secret, tokens.CONFIRM_EMAIL, [user.id, user.email, user.mail_secret])
    return render_email(
        "confirm",
        {"confirm_url": links.confirm_email(token)},
        locale=user.locale,
        to=user.email,
        sender=sender,
        message_id=f"<confirm-{user.id}-{secrets.token_hex(6)}@claimkit>",
    )


def confirm_email(db: Session, clock: Clock, secret: str, token: str) -> bool:
    """True when the signed, unexpired link matches the account's current address."""
    payload = tokens.read(secret, tokens.CONFIRM_EMAIL, token, max_age=tokens.CONFIRM_MAX_AGE)
    if not isinstance(payload, list) or len(payload) != 3 or not isinstance(payload[0], int):
        return False
    user = db.get(db_models.User, payload[0])
    if user is None or user.email != payload[1] or not _same_secret(user, payload[2]):
        return False
    if user.email_confirmed_at is None:
        user.email_confirmed_at = clock()
        db.commit()
    return True


def _same_secret(user: db_models.User, given: object) -> bool:
    return bool(user.mail_secret) and isinstance(given, str) and hmac.compare_digest(user.mail_secret or "", given)


def unsubscribe_token(secret: str, user: db_models.User) -> str:
    """Names the account by id and its mail secret: once the account is deleted, no later account matches."""
    return tokens.make(secret, tokens.UNSUBSCRIBE, [user.id, user.mail_secret])


def unsubscribe(db: Session, secret: str, token: str) -> bool:
    payload = tokens.read(secret, tokens.UNSUBSCRIBE, token, max_age=tokens.UNSUBSCRIBE_MAX_AGE)
    if not isinstance(payload, list) or len(payload) != 2 or not isinstance(payload[0], int):
        return False
    user = db.get(db_models.User, payload[0])
    if user is None or not _same_secret(user, payload[1]):
        return False
    user.reminders_opt_out = True
    db.commit()
    return True


def set_reminders(db: Session, user: db_models.User, enabled: bool) -> None:
    user.reminders_opt_out = not enabled
    db.commit()


def new_calendar_token(db: Session, user: db_models.User) -> str:
    """A fresh secret URL; the previous one stops working at once."""
    user.calendar_token = secrets.token_urlsafe(24)
    db.commit()
    return user.calendar_token


def revoke_calendar(db: Session, user: db_models.User) -> None:
    user.calendar_token = None
    db.commit()


def _ics_text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT: backslash, semicolon and comma escaped; every line break (CRLF, LF or a bare CR)
    becomes "\\n"; other control characters, which the RFC forbids, are dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c in "\t\n" or unicodedata.category(c) != "Cc")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def calendar_feed(db: Session, token: str, now: datetime, links: Links) -> str | None:
    """All-day events on each open claim's deadline, with alarms 7 and 2 days before and on the morning."""
    if not token:
        return None
    user = db.scalar(select(db_models.User).where(db_models.User.calendar_token == token))
    if user is None:
        return None
    claims = db.scalars(
        select(db_models.Claim).where(
            db_models.Claim.user_id == user.id,
            db_models.Claim.deadline.is_not(None),
            db_models.Claim.deleted_at.is_(None),
        )
    )
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//claimkit//AMO-E//FR",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:claimkit — délais AMO-E",
        "METHOD:PUBLISH",
    ]
    for claim in claims:
        if not lifecycle.is_editable(domain.ClaimState(claim.state)) or claim.deadline is None:
            continue
        title = domain.claim_title(claim.label, claim.kind, claim.copied_from is not None)  # the feed is French
        day: date = claim.deadline
        summary = _ics_text(f"Dernier jour pour poster le dossier « {title} »")
        lines += [
            "BEGIN:VEVENT",
            f"UID:claim-{claim.id}@claimkit",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{date.fromordinal(day.toordinal() + 1):%Y%m%d}",
            f"SUMMARY:{summary}",
            f"URL:{links.claim(claim.id)}",
            f"DESCRIPTION:{_ics_text('Envoi en recommandé à la CNOPS avant la fin de la journée.')}",
        ]
        for trigger in ("-P7D", "-P2D", "PT9H"):
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", f"TRIGGER:{trigger}", f"DESCRIPTION:{summary}", "END:VALARM"]
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
