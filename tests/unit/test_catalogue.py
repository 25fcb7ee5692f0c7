"""The Arabic catalogue: complete, in step with the sources, compiled, and actually used by the app.

French is the source language (the msgids); `translations/README.md` gives the commands to refresh.
"""

import html
import io
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from claimkit.adapters.db.models import User
from claimkit.web.deps import deps
from tests.conftest import Student, csrf_token, post_form
from tests.integration.test_profile import RIB, VALID

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "claimkit" / "translations" / "messages.pot"
PO = ROOT / "claimkit" / "translations" / "ar" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale="ar" if path == PO else None)


def _ids(catalog: Catalog) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def _texts(value: object) -> tuple[str, ...]:
    """A message's msgid or msgstr as a tuple of strings (plural messages have several)."""
    items = value if isinstance(value, (tuple, list)) else (value,)
    return tuple(str(item or "") for item in items)


def test_every_arabic_string_is_translated_and_not_fuzzy() -> None:
    catalog = _read(PO)
    assert catalog.num_plurals == 6
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = _texts(message.string)
        if message.fuzzy or not all(s.strip() for s in strings) or len(strings) != (6 if message.pluralizable else 1):
            missing.append(message.id)
    assert not missing, "Arabic strings missing or fuzzy:\n" + "\n".join(map(str, missing))


def test_placeholders_are_kept() -> None:
    wrong = []
    for message in _read(PO):
        if not message.id:
            continue
        expected = set(PLACEHOLDER.findall(" ".join(_texts(message.id))))
        for string in _texts(message.string):
            # The singular/dual Arabic forms may spell the number out ("ملف واحد", "ملفان").
            if not set(PLACEHOLDER.findall(string)) <= expected or (
                not message.pluralizable and set(PLACEHOLDER.findall(string)) != expected
            ):
                wrong.append((message.id, string))
    assert not wrong, wrong


def test_template_is_up_to_date_with_the_sources(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    arguments = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-o", str(fresh), str(ROOT)]
    CommandLineInterface().run(arguments)  # type: ignore[no-untyped-call]
    extracted = _ids(_read(fresh))
    committed = _ids(_read(POT))
    assert extracted == committed, (
        f"translations/messages.pot is stale (see translations/README.md): "
        f"new {sorted(extracted - committed)}, gone {sorted(committed - extracted)}"
    )
    assert _ids(_read(PO)) == committed, "messages.po is not updated from messages.pot"


def test_compiled_catalogue_matches_the_po() -> None:
    compiled = io.BytesIO()
    write_mo(compiled, _read(PO))
    assert MO.read_bytes() == compiled.getvalue(), "messages.mo is stale: run pybabel compile"


def _switch(client: FlaskClient, locale: str) -> str:
    token = csrf_token(client, "/profil/")
    response = client.post("/langue", data={"csrf_token": token, "locale": locale}, follow_redirects=True)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_language_switch_gives_arabic_rtl_pages_and_domain_messages(client: FlaskClient, student: Student) -> None:
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert 'dir="ltr"' in page and "<h1>Mes dossiers</h1>" in page

    assert "تم حفظ اللغة." in _switch(client, "ar")
    page = html.unescape(client.get("/").get_data(as_text=True))
    assert 'lang="ar" dir="rtl"' in page
    assert "<h1>ملفاتي</h1>" in page

    wrong = RIB[:-1] + str((int(RIB[-1]) + 1) % 10)
    body = html.unescape(post_form(client, "/profil/", {**VALID, "rib": wrong}).get_data(as_text=True))
    assert "مفتاح RIB (آخر رقمين) غير مطابق" in body  # identifiers.rib_problem, marked N_() in the domain
    assert "La clé du RIB" not in body

    assert "Langue enregistrée." in _switch(client, "fr")
    assert 'dir="ltr"' in client.get("/").get_data(as_text=True)


def test_unknown_language_is_refused(client: FlaskClient, student: Student) -> None:
    assert "Choisissez le français ou l'arabe." in _switch(client, "en")
    assert 'lang="fr"' in client.get("/").get_data(as_text=True)


def test_anonymous_visitor_gets_the_browser_language(client: FlaskClient) -> None:
    page = client.get("/compte/connexion", headers={"Accept-Language": "ar-MA,ar;q=0.9,fr;q=0.8"})
    assert 'dir="rtl"' in page.get_data(as_text=True)


def test_visitor_choice_is_kept_by_cookie_and_by_the_new_account(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client, "/compte/inscription")
    sent = client.post("/langue", data={"csrf_token": token, "locale": "ar", "next": "/compte/inscription"})
    assert sent.status_code == 302 and sent.headers["Location"] == "/compte/inscription"
    assert 'lang="ar" dir="rtl"' in client.get("/compte/inscription").get_data(as_text=True)

    Student(client, "laila@example.ma").sign_up()
    with deps(app).sessions() as db:
        assert db.scalar(select(User.locale).where(User.email == "laila@example.ma")) == "ar"
    client.delete_cookie("langue")
    assert 'dir="rtl"' in client.get("/profil/").get_data(as_text=True)  # the account's choice, not the cookie


def test_language_switch_never_redirects_off_site(client: FlaskClient) -> None:
    token = csrf_token(client, "/compte/connexion")
    for target in (
        "//evil.example/",
        "/\\evil.example/",
        "/\t/evil.example/",
        "/x\nSet-Cookie: a=b",
        "https://evil.example/",
        "",
    ):
        sent = client.post("/langue", data={"csrf_token": token, "locale": "fr", "next": target})
        assert sent.headers["Location"] == "/"
    refused = client.post("/langue", data={"csrf_token": token, "locale": "en"}, follow_redirects=True)
    assert "Choisissez le français ou l'arabe." in html.unescape(refused.get_data(as_text=True))


def test_the_installed_app_is_named_in_the_visitors_language(client: FlaskClient) -> None:
    arabic = client.get("/manifest.webmanifest", headers={"Accept-Language": "ar-MA"})
    assert arabic.mimetype == "application/manifest+json" and "Accept-Language" in arabic.headers["Vary"]
    assert (arabic.json["lang"], arabic.json["dir"]) == ("ar", "rtl")  # type: ignore[index]
    assert arabic.json["name"] != client.get("/manifest.webmanifest").json["name"]  # type: ignore[index]
