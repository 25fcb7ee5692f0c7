"""Issue 18: forgot-password gives the same answer for an existing and an unknown address and never waits for the
mail server: the page only writes an outbox row, the scheduler's pass sends (an existing address used to answer
measurably slower; figures: bench/account_enumeration.py). The rows written are compared in
test_mail_first_signup.py."""

import html
import re
import threading
from email.message import EmailMessage

from flask import Flask

from claimkit.web.deps import deps
from tests.conftest import Student, post_form, send_outbox


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
    known = _forgot(app, student.email)  # the mail server is stuck: the page answers all the same
    unknown = _forgot(app, "personne@example.ma")
    assert not mailer.entered.is_set()  # the page never talks to the mail server
    assert known == unknown
    assert "Si un compte existe avec cette adresse" in known[2]
    sender = threading.Thread(target=send_outbox, args=(app,))
    sender.start()  # the scheduler's pass is the one that waits
    assert mailer.entered.wait(5)
    mailer.release.set()
    sender.join(10)
    assert sorted(str(m["Subject"]) for m in mailer.messages) == [
        "Aucun compte claimkit avec cette adresse",
        "Réinitialiser votre mot de passe claimkit",
    ]
