"""Issue 18: forgot-password gives the same answer for an existing and an unknown address, and does not wait for
the mail server (an existing address used to answer measurably slower)."""

import html
import re
import threading
import time
from email.message import EmailMessage

from flask import Flask

from claimkit.web.deps import deps
from tests.conftest import Student, post_form


class BlockedMailer:
    """An SMTP server that does not answer until released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.entered = threading.Event()
        self.messages: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.entered.set()
        assert self.release.wait(10)
        self.messages.append(message)


def _forgot(app: Flask, email: str) -> tuple[int, str, str]:
    client = app.test_client()
    response = post_form(client, "/compte/mot-de-passe-oublie", {"email": email})
    page = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    main = re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "", page.split("<main", 1)[1])
    return response.status_code, response.headers["Location"], main


def test_same_answer_without_waiting_for_the_mail_server(app: Flask, student: Student) -> None:
    mailer = BlockedMailer()
    deps(app).mailer = mailer
    app.config["MAIL_IN_BACKGROUND"] = True  # the default with MAIL_BACKEND=smtp
    known = _forgot(app, student.email)  # returns although the mail server has not answered
    assert mailer.entered.wait(5) and mailer.messages == []
    unknown = _forgot(app, "personne@example.ma")
    assert known == unknown
    assert "Si un compte existe avec cette adresse" in known[2]
    mailer.release.set()
    deadline = time.monotonic() + 5
    while not mailer.messages and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [m["To"] for m in mailer.messages] == [student.email]  # only the account gets a mail
