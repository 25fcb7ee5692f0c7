"""Issue 17: on Arabic pages the words claimkit stored used to stay French ("virement", "(nouvel envoi)", "copie
du dossier", the login-lock message); they are now said through the catalogue at display time."""

import html

from flask import Flask
from flask.testing import FlaskClient

from claimkit.adapters.db.models import User
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, Student, csrf_token, post_form
from tests.integration.test_profile import VALID
from tests.integration.test_tracking_and_data import act, sent_claim


def arabic(app: Flask) -> None:
    with deps(app).sessions() as db:
        db.query(User).update({"locale": "ar"})
        db.commit()


def test_payment_copy_and_title_words_are_arabic(app: Flask, client: FlaskClient, student: Student) -> None:
    post_form(client, "/profil/", VALID)
    paid, claim_id = sent_claim(client, label="Grippe"), sent_claim(client)
    act(client, paid, "paiement", paid_on="2026-11-20", paid_amount="50", method="virement", reference="VIR 77")
    act(client, claim_id, "rejet", rejected_on="2026-11-21", reason="Ordonnance")
    arabic(app)
    page = html.unescape(client.get(f"/dossiers/{paid}").get_data(as_text=True))
    assert '(تحويل بنكي <bdi dir="auto">VIR 77</bdi>)' in page  # the timeline
    assert "(virement" not in page
    token = csrf_token(client, f"/dossiers/{claim_id}")
    response = client.post(f"/dossiers/{claim_id}/copie", data={"csrf_token": token})
    copy = html.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Angine\u2069 (إرسال جديد)" in copy and "nouvel envoi" not in copy
    assert "نسخة من الملف رقم \u2068" + str(claim_id) in copy and "copie du dossier" not in copy
    home = html.unescape(client.get("/").get_data(as_text=True))
    assert "(إرسال جديد)" in home and "nouvel envoi" not in home


def test_the_login_lock_message_is_arabic(app: Flask, client: FlaskClient, student: Student) -> None:
    arabic(app)
    student.log_out()
    client.set_cookie("langue", "ar")
    for _ in range(7):
        response = post_form(client, "/compte/connexion", {"email": "amina@example.ma", "password": "faux faux"})
    response = post_form(client, "/compte/connexion", {"email": "amina@example.ma", "password": PASSWORD})
    page = html.unescape(response.get_data(as_text=True))
    assert "محاولات كثيرة جدًا: أعد المحاولة بعد" in page and "Trop de tentatives" not in page
