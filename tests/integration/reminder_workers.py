"""Sender processes for the concurrency and crash tests (imported by spawned interpreters)."""

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from claimkit.adapters.db.engine import make_engine, make_session_factory
from claimkit.adapters.mailer import OutboxMailer
from claimkit.services import reminders
from claimkit.services.links import Links
from claimkit.web import create_app
from claimkit.web.deps import deps

SECRET, SENDER = "test-secret", "claimkit <noreply@test>"


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


MARK = 9876543210  # stands for an id or a token: digits pass the routes' int converter and occur nowhere else


class RecordedLinks:
    """The app's real addresses (web/links.RouteLinks, from its routes) recorded once in the test as patterns:
    picklable, so each spawned sender gets them with its arguments instead of building a whole app for them."""

    def __init__(self, links: Links) -> None:
        names = [name for name in vars(Links) if not name.startswith("_")]
        calls = {name: getattr(links, name) for name in names}
        self.patterns = {
            name: call(*[MARK] * (call.__code__.co_argcount - 1)).replace(str(MARK), "{}")
            for name, call in calls.items()
        }

    def claim(self, claim_id: int) -> str:
        return self.patterns["claim"].format(claim_id)

    def profile(self) -> str:
        return self.patterns["profile"]

    def confirm_email(self, token: str) -> str:
        return self.patterns["confirm_email"].format(token)

    def unsubscribe(self, token: str) -> str:
        return self.patterns["unsubscribe"].format(token)

    def reset_password(self, token: str) -> str:
        return self.patterns["reset_password"].format(token)

    def sign_up(self) -> str:
        return self.patterns["sign_up"]

    def finish_sign_up(self, token: str) -> str:
        return self.patterns["finish_sign_up"].format(token)

    def log_in(self) -> str:
        return self.patterns["log_in"]

    def forgot_password(self) -> str:
        return self.patterns["forgot_password"]


def recorded_links(url: str, instance: Path) -> RecordedLinks:
    """The links of an app on this database, built once in the test process."""
    return RecordedLinks(deps(create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance})).links)


def run_sender(
    url: str,
    log_path: str,
    links: Links,
    delay: float = 0.0,
    lease_seconds: float = 300.0,
    batch: int = 20,
) -> None:
    """One sender process: the real send_due on its own engine; it needs no app, only the app's links."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    settings = reminders.SenderSettings(SECRET, links, SENDER, timedelta(seconds=lease_seconds), batch)
    Path(f"{log_path}.ready-{os.getpid()}").touch()  # set up: from now on a kill lands while it sends
    idle = 0
    while idle < 3:
        report = reminders.send_due(sessions, lambda: datetime.now(UTC), AppendLogMailer(log_path, delay), settings)
        idle = idle + 1 if not (report.sent or report.skipped or report.retried) else 0
        if idle:
            time.sleep(0.05)
    engine.dispose()


class SlowOutboxMailer(OutboxMailer):
    """The real outbox folder (one .eml per mail), behind an SMTP server that takes `delay` seconds per mail."""

    def __init__(self, folder: Path, delay: float) -> None:
        super().__init__(folder)
        self.delay = delay
        self.log = AppendLogMailer(str(folder.parent / "deliveries.log"))  # the folder keeps one file per id

    def send(self, message: EmailMessage) -> None:
        time.sleep(self.delay)
        super().send(message)
        self.log.send(message)


def scheduler_main() -> None:
    """`python -m tests.integration.reminder_workers URL OUTBOX PASSES`: one real `run-scheduler` process (the
    CLI command, its pass lock and its APScheduler loop) with a slow mailer and a lease shorter than a pass."""
    url, outbox, passes = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "test-secret",
            "INSTANCE_PATH": str(outbox.parent / f"instance-{os.getpid()}"),
            "MAILER": SlowOutboxMailer(outbox, 0.01),
            "REMINDER_LEASE_SECONDS": 0.2,
        }
    )
    result = app.test_cli_runner().invoke(args=["run-scheduler", "--interval", "0.3", "--passes", passes, "--verbose"])
    print(result.output, flush=True)
    sys.exit(result.exit_code)


if __name__ == "__main__":
    scheduler_main()
