"""Sending email: an outbox folder of .eml files by default (a newcomer sees the mails without a server),
SMTP in production. Connections are opened per send, never in a constructor."""

import email.policy
import logging
import os
import re
import smtplib
import ssl
import tempfile
from collections.abc import Mapping
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class OutboxMailer:
    """Writes each message atomically (temp file + rename) so a reader never sees half a mail."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(message.as_bytes())
        stamp = (message["Message-ID"] or os.path.basename(temp)).strip("<>").replace("/", "_").replace("@", "_at_")
        os.replace(temp, self.folder / f"{stamp}.eml")


def purge_outbox(folder: Path, address: str) -> int:
    """Deletes the outbox mails addressed to `address` (an erased account's reset links and reminders must not
    stay on disk). Returns how many were removed."""
    removed = 0
    for path in folder.glob("*.eml") if folder.is_dir() else []:
        with path.open("rb") as handle:
            headers = BytesParser(policy=email.policy.default).parse(handle, headersonly=True)
        if str(headers.get("To", "")).strip().lower() == address.strip().lower():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def latest_mails(folder: Path, count: int = 5) -> list[tuple[str, str, list[str]]]:
    """(To, Subject, links) of the newest outbox mails, newest first: in development the sign-up and reset links
    are read from here (`flask mail-links`), since the mail body is encoded (quoted-printable or base64)."""
    paths = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns, reverse=True) if folder.is_dir() else []
    found = []
    for path in paths[:count]:
        with path.open("rb") as handle:
            message = BytesParser(policy=email.policy.default).parse(handle)
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if isinstance(body, EmailMessage) else ""
        found.append((str(message["To"]), str(message["Subject"]), re.findall(r"https?://[^\s<>\"]+", text)))
    return found


class SmtpMailer:
    def __init__(self, host: str, port: int, security: str, user: str, password: str, timeout: float = 20.0) -> None:
        self.host, self.port, self.security = host, port, security
        self.user, self.password, self.timeout = user, password, timeout

    def send(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.security == "ssl":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with smtp:
            if self.security == "starttls":
                smtp.starttls(context=context)
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(message)


def mailer_from_config(config: Mapping[str, Any]) -> Mailer:
    if config["MAIL_BACKEND"] == "smtp":
        return SmtpMailer(
            config["SMTP_HOST"],
            int(config["SMTP_PORT"]),
            config["SMTP_SECURITY"],
            config["SMTP_USER"],
            config["SMTP_PASSWORD"],
        )
    return OutboxMailer(Path(config["MAIL_OUTBOX_DIR"]))
