"""Emails follow the student's language: the reminder, the address confirmation and the password reset are
rendered in French or Arabic (right-to-left) from `User.locale`, with the catalogue's plural forms and the
Moroccan date format; the domain's checklist labels and claim kinds are translated too."""

import html
import re
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from claimkit.adapters.db import models as db_models
from claimkit.adapters.email_templates import render_email
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, csrf_token, outbox_mails, post_form, send_outbox
from tests.integration.test_claims_flow import add_act, new_claim
from tests.integration.test_profile import VALID
from tests.integration.test_reminders import ListMailer, confirm_all, send, unconfirm_all


def set_locale(app: Flask, locale: str, email: str = "amina@example.ma") -> None:
    with deps(app).sessions() as db:
        user = db.scalar(select(db_models.User).where(db_models.User.email == email))
        assert user is not None
        user.locale = locale
        db.commit()


def parts(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML bodies, HTML entities decoded so assertions read like the mail."""
    plain, rich = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and rich is not None
    return plain.get_content(), html.unescape(rich.get_content())


def test_arabic_reminder_is_in_arabic_right_to_left(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock
) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client)  # no title: the claim kind's label ("Maladie") names it
    add_act(client, claim_id, performed_on="2026-09-30", type="analyses", amount="300")  # deadline 29 Nov 2026
    set_locale(app, "ar")
    confirm_all(app)
    clock.now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # the 2-days reminder is due
    mailer = ListMailer()
    assert send(app, clock, mailer).sent == 1
    message = mailer.messages[0]
    assert message["Subject"] == "لم يبقَ سوى يومين لإرسال ملفك « مرض » بالبريد"  # dual form, kind translated
    plain, rich = parts(message)
    for body in (plain, rich):
        assert "مرحبًا إيلودي،" in body  # the Arabic spelling of the first name from the profile
        assert "يجب إرسال ملفك « مرض » بالبريد في أجل أقصاه 29 نونبر 2026، أي بعد يومين." in body
        assert "لا يزال ينقص:" in body
        assert "فاتورة المختبر" in body and "ورقة العلاج" in body  # the checklist, from the catalogue
        assert "فتح الملف" in body and "إيقاف هذه التذكيرات" in body
        for french in ("Bonjour", "Facture du laboratoire", "novembre", "Maladie", "Il manque"):
            assert french not in body
    assert '<html lang="ar" dir="rtl">' in rich and "text-align:right" in rich
    assert f"{app.config['BASE_URL']}/dossiers/{claim_id}" in plain


def test_arabic_reminder_profile_gaps_typed_title_and_plural(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock
) -> None:
    claim_id = new_claim(client, label="Angine")  # no profile yet: its gaps are listed
    add_act(client, claim_id, performed_on="2026-11-20")  # deadline 19 Jan 2027
    set_locale(app, "ar")
    confirm_all(app)
    clock.now = datetime(2027, 1, 14, 9, 0, tzinfo=UTC)  # late sender: the 7-days reminder, 5 days left
    mailer = ListMailer()
    assert send(app, clock, mailer).sent == 1
    message = mailer.messages[0]
    assert message["Subject"] == "لم تبقَ سوى 5 أيام لإرسال ملفك « Angine » بالبريد"  # the typed title stays
    plain, rich = parts(message)
    for body in (plain, rich):
        assert "مرحبًا،" in body  # no first name to greet
        assert "19 يناير 2027، أي بعد 5 أيام." in body
        assert "اسمك العائلي (الملف الشخصي)" in body and "votre nom (profil)" not in body


def test_french_reminders_plural_forms(app: Flask, client: FlaskClient, student: Student, clock: FakeClock) -> None:
    post_form(client, "/profil/", VALID)
    claim_id = new_claim(client, label="Angine")
    add_act(client, claim_id, performed_on="2026-11-20", type="analyses", amount="300")  # deadline 19 Jan 2027
    confirm_all(app)
    mailer = ListMailer()
    expected = [
        (datetime(2027, 1, 14, 9, 0, tzinfo=UTC), "Plus que 5 jours pour poster votre dossier « Angine »",
         "doit être posté au plus tard le 19 janvier 2027, dans 5 jours."),
        (datetime(2027, 1, 18, 9, 0, tzinfo=UTC), "Demain, dernier jour pour poster votre dossier « Angine »",
         "doit être posté au plus tard le 19 janvier 2027, dans 1 jour."),
        (datetime(2027, 1, 19, 9, 0, tzinfo=UTC), "Aujourd'hui, dernier jour pour poster votre dossier « Angine »",
         "doit être posté au plus tard le 19 janvier 2027, aujourd'hui."),
    ]  # fmt: skip
    for now, subject, sentence in expected:
        clock.now = now
        assert send(app, clock, mailer).sent == 1
        message = mailer.messages[-1]
        assert message["Subject"] == subject
        plain, rich = parts(message)
        for body in (plain, rich):
            assert "Bonjour Élodie," in body and sentence in body and "1 jours" not in body
            assert "Il manque encore :" in body and "Facture du laboratoire" in body
            assert "Après cette date, la CNOPS peut refuser le remboursement." in body
        assert '<html lang="fr" dir="ltr">' in rich and "text-align:left" in rich


CONTEXT = {"prenom": "", "title": "Angine", "due_text": "…", "missing": [], "claim_url": "http://x/d/1",
           "unsubscribe_url": "http://x/u"}  # fmt: skip


@pytest.mark.parametrize(
    ("locale", "days", "subject", "sentence"),
    [
        ("ar", 1, "غدًا آخر يوم لإرسال ملفك « Angine » بالبريد", "أي بعد يوم واحد."),
        ("ar", 2, "لم يبقَ سوى يومين لإرسال ملفك « Angine » بالبريد", "أي بعد يومين."),
        ("ar", 7, "لم تبقَ سوى 7 أيام لإرسال ملفك « Angine » بالبريد", "أي بعد 7 أيام."),
        ("ar", 14, "لم يبقَ سوى 14 يومًا لإرسال ملفك « Angine » بالبريد", "أي بعد 14 يومًا."),
        ("ar", 100, "لم يبقَ سوى 100 يوم لإرسال ملفك « Angine » بالبريد", "أي بعد 100 يوم."),
        ("ar", 0, "اليوم آخر يوم لإرسال ملفك « Angine » بالبريد", "أي اليوم."),
        ("fr", 2, "Plus que 2 jours pour poster votre dossier « Angine »", ", dans 2 jours."),
        ("fr", 1, "Demain, dernier jour pour poster votre dossier « Angine »", ", dans 1 jour."),
    ],
)
def test_reminder_plural_forms_of_both_languages(locale: str, days: int, subject: str, sentence: str) -> None:
    message = render_email("reminder", {**CONTEXT, "days_left": days}, locale=locale, to="a@example.ma",
                           sender="claimkit <noreply@test>", message_id="<t@claimkit>")  # fmt: skip
    assert message["Subject"] == subject
    plain, rich = parts(message)
    assert sentence in plain and sentence in rich
    assert "تم تحديد جميع الوثائق" in plain if locale == "ar" else "Toutes les pièces sont cochées" in plain


def test_regional_or_unknown_locales_fall_back_sensibly() -> None:
    """`ar_MA` (a Babel locale) is Arabic; anything the catalogue does not have is French, the source language."""
    for locale, subject in (("ar_MA", "إعادة تعيين كلمة مرورك على claimkit"),
                            ("en", "Réinitialiser votre mot de passe claimkit")):  # fmt: skip
        message = render_email("reset", {"reset_url": "http://x/r"}, locale=locale, to="a@example.ma",
                               sender="claimkit <noreply@test>", message_id="<t@claimkit>")  # fmt: skip
        assert message["Subject"] == subject


def test_user_escapes_stay_escaped_in_both_languages() -> None:
    """Translated sentences are markup in the HTML part: the values put into them are still escaped."""
    for locale in ("fr", "ar"):
        context = {**CONTEXT, "title": "<b>x</b>", "missing": ["<i>y</i>"], "days_left": 3}
        message = render_email("reminder", context, locale=locale, to="a@example.ma",
                               sender="claimkit <noreply@test>", message_id="<t@claimkit>")  # fmt: skip
        rich = message.get_body(("html",))
        assert rich is not None
        assert "&lt;b&gt;x&lt;/b&gt;" in rich.get_content() and "<b>x</b>" not in rich.get_content()
        assert "&lt;i&gt;y&lt;/i&gt;" in rich.get_content()


def test_arabic_sign_up_gets_an_arabic_link_and_a_confirmed_account(app: Flask, client: FlaskClient) -> None:
    arabic = {"Accept-Language": "ar-MA,ar;q=0.9"}
    newcomer = Student(client, "laila@example.ma")
    assert newcomer.sign_up(headers=arabic).status_code == 302  # the link of the mail, followed
    message = outbox_mails(app, newcomer.email)[0]
    assert message["Subject"] == "أتمِم تسجيلك على claimkit"
    plain, rich = parts(message)
    for body in (plain, rich):
        assert "لإتمام إنشاء حسابك على claimkit" in body and "Bonjour" not in body
    assert '<html lang="ar" dir="rtl">' in rich and "إتمام تسجيلي" in rich
    with deps(app).sessions() as db:
        user = db.scalar(select(db_models.User).where(db_models.User.email == "laila@example.ma"))
        assert user is not None and user.email_confirmed_at is not None and user.locale == "ar"


def test_confirmation_resent_follows_the_account_language(app: Flask, client: FlaskClient, student: Student) -> None:
    mailer = ListMailer()
    deps(app).mailer = mailer
    unconfirm_all(app)  # an account from before the mail-first sign-up
    client.post("/rappels/confirmation", data={"csrf_token": csrf_token(client, "/rappels/")})
    send_outbox(app)
    assert mailer.messages[-1]["Subject"] == "Confirmez votre adresse pour recevoir les rappels de délai"
    plain, rich = parts(mailer.messages[-1])
    assert "Pour recevoir les rappels avant la date limite de vos dossiers AMO-E" in plain
    assert '<html lang="fr" dir="ltr">' in rich and "Confirmer mon adresse" in rich
    set_locale(app, "ar")
    client.post("/rappels/confirmation", data={"csrf_token": csrf_token(client, "/rappels/")})
    send_outbox(app)
    assert mailer.messages[-1]["Subject"] == "أكّد عنوانك الإلكتروني لتلقي تذكيرات الآجال"


@pytest.mark.parametrize(
    ("locale", "subject", "sentence", "button", "direction"),
    [
        ("ar", "إعادة تعيين كلمة مرورك على claimkit", "لاختيار كلمة مرور جديدة، افتح هذا الرابط",
         "اختيار كلمة مرور جديدة", 'lang="ar" dir="rtl"'),
        ("fr", "Réinitialiser votre mot de passe claimkit", "Pour choisir un nouveau mot de passe, ouvrez ce lien",
         "Choisir un nouveau mot de passe", 'lang="fr" dir="ltr"'),
    ],
)  # fmt: skip
def test_reset_email_in_the_account_language(
    app: Flask, student: Student, locale: str, subject: str, sentence: str, button: str, direction: str
) -> None:
    mailer = ListMailer()
    deps(app).mailer = mailer
    set_locale(app, locale)
    anonymous = app.test_client()  # the visitor's language does not matter: the account's does
    post_form(anonymous, "/compte/mot-de-passe-oublie", {"email": student.email})
    send_outbox(app)
    message = mailer.messages[0]
    assert message["Subject"] == subject
    plain, rich = parts(message)
    assert sentence in plain and sentence in rich and button in rich and direction in rich
    link = re.search(r"https?://\S+(/compte/reinitialiser/\S+)", plain)
    assert link
    data = {"new": "un tout nouveau secret", "confirm": "un tout nouveau secret"}
    assert post_form(anonymous, link.group(1), data).status_code == 302  # the link works


def test_follow_up_after_sending_in_arabic() -> None:
    context = {**CONTEXT, "sent_text": "24 نونبر 2026", "recommande": "RR123456789MA", "days": 60}
    message = render_email("follow_up", context, locale="ar", to="a@example.ma", sender="claimkit <noreply@test>",
                           message_id="<t@claimkit>")  # fmt: skip
    assert message["Subject"] == "ملفك « Angine »: تحقّق من أنه وصل"
    plain, rich = parts(message)
    for body in (plain, rich):
        assert "لا أخبار عن ملفك « Angine » منذ 60 يومًا." in body
        assert "أرسلته بالبريد بتاريخ 24 نونبر 2026 (البريد المضمون رقم RR123456789MA)." in body
        assert "Pas de nouvelles" not in body
    assert '<html lang="ar" dir="rtl">' in rich and "فتح الملف" in rich  # the shared layout, in Arabic
