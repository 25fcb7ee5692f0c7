"""Limits said from their one home (domain/limits.py, issue 21): a message carries a placeholder filled with the
limit's formatted value at display, in French and in Arabic, so changing the limit changes what is refused and
what the student reads together."""

import html
import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from claimkit.adapters import attestations, l10n
from claimkit.domain import limits
from claimkit.services import accounts
from claimkit.web import auth, create_app
from claimkit.web.deps import deps
from tests.conftest import FakeClock, Student, csrf_token


def _too_big(client: FlaskClient, size: int) -> tuple[int, str]:
    """A multipart body over the request cap: Flask answers 413 while the form is parsed (CSRF check)."""
    response = client.post(
        "/langue",
        content_type="multipart/form-data",
        data={"locale": "fr", "photo": (io.BytesIO(bytes(size)), "big.jpg")},
    )
    return response.status_code, html.unescape(response.get_data(as_text=True))


def test_the_upload_limit_is_said_in_french_and_arabic(client: FlaskClient) -> None:
    assert l10n.render(limits.shown(limits.UPLOAD_BYTES), "fr") == "20 Mo"
    assert l10n.render(limits.shown(limits.UPLOAD_BYTES), "ar") == "20 ميغابايت"
    status, page = _too_big(client, limits.UPLOAD_BYTES + 1024)
    assert status == 413 and "Le fichier dépasse 20 Mo : envoyez une photo plus légère." in page
    client.set_cookie("langue", "ar", domain="localhost")
    status, page = _too_big(client, limits.UPLOAD_BYTES + 1024)
    assert status == 413 and "يتجاوز الملف 20 ميغابايت: أرسل صورة أخف." in page and 'dir="rtl"' in page


def test_another_upload_limit_changes_what_is_refused_and_said(
    monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path, clock: FakeClock
) -> None:
    monkeypatch.setattr(limits, "UPLOAD_BYTES", 2 * limits.MEBIBYTE)
    app = create_app({"INSTANCE_PATH": tmp_path / "i", "DATABASE_URL": database_url, "TESTING": True, "CLOCK": clock})
    try:
        assert app.config["MAX_CONTENT_LENGTH"] == 2 * limits.MEBIBYTE
        client = app.test_client()
        status, page = _too_big(client, 3 * limits.MEBIBYTE)
        assert status == 413 and "Le fichier dépasse 2 Mo" in page
        client.set_cookie("langue", "ar")
        assert "يتجاوز الملف 2 ميغابايت" in _too_big(client, 3 * limits.MEBIBYTE)[1]
    finally:
        deps(app).engine.dispose()


def test_the_password_length_is_said_from_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    short = accounts.password_problem("court")
    assert short is not None
    assert l10n.render(short, "fr") == "Le mot de passe doit compter au moins 10 caractères."
    assert l10n.render(short, "ar") == "يجب أن تتكون كلمة المرور من 10 أحرف على الأقل."
    eleven = "Tajine-Zaal"  # 11 characters, not guessable: passes at 10, refused at 12
    assert accounts.password_problem(eleven) is None
    monkeypatch.setattr(limits, "MIN_PASSWORD_LENGTH", 12)
    refused = accounts.password_problem(eleven)
    assert refused is not None and "au moins 12 caractères" in l10n.render(refused, "fr")


def test_the_password_labels_say_the_limit_in_the_pages_language(app: Flask) -> None:
    with app.test_request_context():
        with force_locale("fr_MA"):
            assert str(auth.PASSWORD_LABEL) == "Mot de passe (10 caractères au moins)"
        with force_locale("ar_MA"):
            assert str(auth.NEW_PASSWORD_LABEL) == "كلمة المرور الجديدة (10 أحرف على الأقل)"


def test_the_attestation_limit_in_the_refusal_and_on_the_page(client: FlaskClient, student: Student) -> None:
    with pytest.raises(attestations.AttestationRefused) as refused:
        attestations.clean(b"%PDF-" + bytes(limits.ATTESTATION_BYTES))
    assert l10n.render(refused.value.as_message, "fr") == "Fichier trop lourd : 10 Mo au plus pour l'attestation."
    assert l10n.render(refused.value.as_message, "ar") == "الملف كبير جدًا: 10 ميغابايت على الأكثر للشهادة."
    page = html.unescape(client.get("/profil/").get_data(as_text=True))
    assert "Attestation d'immatriculation (PDF, JPEG ou PNG, 10 Mo au plus)" in page
    token = csrf_token(client, "/profil/")
    assert client.post("/langue", data={"csrf_token": token, "locale": "ar", "next": "/"}).status_code == 302
    page = html.unescape(client.get("/profil/").get_data(as_text=True))
    assert "شهادة التسجيل (PDF أو JPEG أو PNG، 10 ميغابايت على الأكثر)" in page
