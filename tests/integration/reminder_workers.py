"""Sender processes for the concurrency and crash tests (imported by spawned interpreters)."""

import os
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.services import reminders

SETTINGS = reminders.SenderSettings("test-secret", "http://127.0.0.1:5000", "claimkit <noreply@test>")


class AppendLogMailer:
    """Counts deliveries: one line per message handed over, appended atomically (O_APPEND)."""

    def __init__(self, path: str, delay: float = 0.0) -> None:
        self.path, self.delay = path, delay

    def send(self, message: EmailMessage) -> None:
        if self.delay:
            time.sleep(self.delay)
        line = f"{message['Message-ID']}\n".encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
        finally:
            os.close(fd)


def run_sender(url: str, log_path: str, delay: float = 0.0, lease_seconds: float = 300.0, batch: int = 20) -> None:
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    settings = reminders.SenderSettings(
        SETTINGS.secret_key, SETTINGS.base_url, SETTINGS.sender, timedelta(seconds=lease_seconds), batch
    )
    idle = 0
    while idle < 3:
        report = reminders.send_due(sessions, lambda: datetime.now(UTC), AppendLogMailer(log_path, delay), settings)
        idle = idle + 1 if not (report.sent or report.skipped or report.retried) else 0
        if idle:
            time.sleep(0.05)
    engine.dispose()
