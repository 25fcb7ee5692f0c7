"""The reminder email as a phone mail app shows it (HTML part rendered in chromium)."""

from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Page, expect

from tests.conftest import FakeClock, Student, post_form
from tests.integration.test_claims_flow import add_act, new_claim
from tests.integration.test_email_languages import set_locale
from tests.integration.test_profile import VALID
from tests.integration.test_reminders import confirm_all, send

pytestmark = pytest.mark.e2e


class ListMailer:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    def send(self, message: EmailMessage) -> None:
        self.messages.append(message)


def reminder_html(app: Flask, client: FlaskClient, clock: FakeClock, locale: str) -> str:
    """The HTML part of the 7-day reminder of a claim with a lab invoice still missing, sent by the real sender."""
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client, label="Angine")
    add_act(client, claim_id, performed_on="2026-11-20", type="analyses", amount="300")
    set_locale(app, locale)
    confirm_all(app)
    clock.now = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
    mailer = ListMailer()
    assert send(app, clock, mailer).sent == 1
    html_part = mailer.messages[0].get_body(("html",))
    assert html_part is not None
    return str(html_part.get_content())


def test_reminder_email_on_a_phone(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock, phone: Page, shots: Path
) -> None:
    phone.set_content(reminder_html(app, client, clock, "fr"))
    expect(phone.get_by_role("link", name="Ouvrir le dossier")).to_be_visible()
    expect(phone.get_by_text("Facture du laboratoire")).to_be_visible()
    phone.screenshot(path=str(shots / "reminder-email-fr.png"), full_page=True)


def test_arabic_reminder_email_on_a_phone(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock, phone: Page, shots: Path
) -> None:
    """The Arabic mail reads right to left on the phone: text starts at the right edge, the button says فتح الملف."""
    phone.set_content(reminder_html(app, client, clock, "ar"))
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    expect(phone.get_by_role("link", name="فتح الملف")).to_be_visible()
    missing = phone.get_by_text("فاتورة المختبر")
    expect(missing).to_be_visible()
    assert missing.evaluate("e => getComputedStyle(e).direction") == "rtl"
    expect(phone.get_by_text("19 يناير 2027", exact=False)).to_be_visible()
    phone.screenshot(path=str(shots / "reminder-email-ar.png"), full_page=True)
