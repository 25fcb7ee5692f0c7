"""Issue 17, the guards on the forms that are not about a claim: the profile (optimistic lock on its version and
an idempotency key), the account and the reminder settings (an idempotency key). Real threaded server, real
client threads sending at the same instant, like test_concurrent_forms; SQLite here and PostgreSQL with
`scripts/with-postgres`."""

import html

from flask import Flask
from sqlalchemy import select

from claimkit.adapters.db.models import Profile, User
from claimkit.web.deps import deps
from tests.conftest import PASSWORD, mail_link
from tests.integration.test_concurrent_forms import ROUNDS, hidden_fields, live, signed_in, together
from tests.integration.test_kill_web import Browser
from tests.integration.test_profile import VALID

__all__ = ["live"]  # the fixture


def profile_of(app: Flask, email: str) -> Profile:
    with deps(app).sessions() as db:
        profile = db.scalar(select(Profile).join(User).where(User.email == email))
        assert profile is not None
        return profile


def user_of(app: Flask, email: str) -> User:
    with deps(app).sessions() as db:
        user = db.scalar(select(User).where(User.email == email))
        assert user is not None
        return user


def test_two_tabs_saving_the_profile_keep_one_and_tell_the_other(live: tuple[Flask, str]) -> None:
    """Two devices of one student (two cookie jars: two tabs of one browser share a session cookie, and the
    answer written last would decide which tab's notice survives) save at the same instant."""
    app, base = live
    email = "profil-tabs@example.ma"
    phone = signed_in(app, base, email)
    laptop = Browser(base)
    laptop.log_in(email)
    for n in range(ROUNDS):
        version = profile_of(app, email).version
        tab_a = hidden_fields(phone.request("/profil/")[2], "/profil/")
        tab_b = hidden_fields(laptop.request("/profil/")[2], "/profil/")
        assert tab_a["version"] == tab_b["version"] == str(version)
        a = {**VALID, **tab_a, "etablissement": f"ENSIAS {n}"}
        b = {**VALID, **tab_b, "etablissement": f"FMP {n}"}
        assert together((phone, "/profil/", a), (laptop, "/profil/", b)) == [302, 302]
        saved = profile_of(app, email)
        assert saved.version == version + 1  # exactly one went through
        assert saved.etablissement in (f"ENSIAS {n}", f"FMP {n}")
        pages = [html.unescape(device.request("/profil/")[2]) for device in (phone, laptop)]
        told = ["Votre profil a changé" in page for page in pages]
        assert told.count(True) == 1, told  # the refused one is told, on the latest version; the other is not


def test_a_stale_profile_tab_overwrites_nothing(live: tuple[Flask, str]) -> None:
    app, base = live
    browser = signed_in(app, base, "profil-stale@example.ma")
    stale = hidden_fields(browser.request("/profil/")[2], "/profil/")
    fresh = hidden_fields(browser.request("/profil/")[2], "/profil/")
    assert browser.request("/profil/", {**VALID, **fresh, "telephone": "0611111111"})[0] == 302
    status, location, _ = browser.request("/profil/", {**VALID, **stale, "telephone": "0622222222"})
    assert status == 302 and location.endswith("/profil/")
    assert profile_of(app, "profil-stale@example.ma").telephone == "0611111111"


def test_the_first_profile_save_sent_twice_at_once_is_saved_once_without_error(live: tuple[Flask, str]) -> None:
    """Two tabs opened before any profile exists (version 0), sent together: one INSERT wins, the other is
    told, no 500."""
    app, base = live
    for n in range(ROUNDS):
        email = f"premier{n}@example.ma"
        browser = Browser(base)
        browser.sign_up(email, lambda to: mail_link(app, to, "/compte/inscription/"))
        tab_a = hidden_fields(browser.request("/profil/")[2], "/profil/")
        tab_b = hidden_fields(browser.request("/profil/")[2], "/profil/")
        assert tab_a["version"] == "0"
        statuses = together(
            (browser, "/profil/", {**VALID, **tab_a, "etablissement": "A"}),
            (browser, "/profil/", {**VALID, **tab_b, "etablissement": "B"}),
        )
        assert sorted(statuses) in ([200, 302], [302, 302]), statuses  # 200: the form again, with the message
        assert profile_of(app, email).etablissement in ("A", "B")


def test_a_double_tapped_profile_save_is_recorded_once(live: tuple[Flask, str]) -> None:
    app, base = live
    browser = signed_in(app, base, "profil-double@example.ma")
    for _ in range(ROUNDS):
        version = profile_of(app, "profil-double@example.ma").version
        form = {**VALID, **hidden_fields(browser.request("/profil/")[2], "/profil/")}
        assert together((browser, "/profil/", form), (browser, "/profil/", form)) == [302, 302]
        assert profile_of(app, "profil-double@example.ma").version == version + 1


def test_a_double_tapped_reminders_switch_switches_once(live: tuple[Flask, str]) -> None:
    """Without the key, a double tap on "Désactiver les rappels" flipped them off and back on."""
    app, base = live
    browser = signed_in(app, base, "rappels@example.ma")
    for n in range(ROUNDS):
        before = user_of(app, "rappels@example.ma").reminders_opt_out
        form = hidden_fields(browser.request("/rappels/")[2], "/rappels/activation")
        assert form["enabled"] == ("1" if before else "0")
        assert together((browser, "/rappels/activation", form), (browser, "/rappels/activation", form)) == [302, 302]
        assert user_of(app, "rappels@example.ma").reminders_opt_out is (not before), n


def test_a_stale_reminders_tab_does_not_undo_the_newer_choice(live: tuple[Flask, str]) -> None:
    app, base = live
    browser = signed_in(app, base, "rappels-stale@example.ma")
    stale = hidden_fields(browser.request("/rappels/")[2], "/rappels/activation")  # says "désactiver"
    fresh = hidden_fields(browser.request("/rappels/")[2], "/rappels/activation")
    assert browser.request("/rappels/activation", fresh)[0] == 302
    assert browser.request("/rappels/activation", stale)[0] == 302
    assert user_of(app, "rappels-stale@example.ma").reminders_opt_out is True


def test_a_double_tapped_calendar_link_makes_one_link(live: tuple[Flask, str]) -> None:
    app, base = live
    browser = signed_in(app, base, "agenda@example.ma")
    form = hidden_fields(browser.request("/rappels/")[2], "/rappels/calendrier")
    assert together((browser, "/rappels/calendrier", form), (browser, "/rappels/calendrier", form)) == [302, 302]
    token = user_of(app, "agenda@example.ma").calendar_token
    assert token and token in browser.request("/rappels/")[2]  # the link shown is the one that works


def test_password_and_account_forms_carry_a_key(live: tuple[Flask, str]) -> None:
    app, base = live
    browser = signed_in(app, base, "compte@example.ma")
    assert "idem" in hidden_fields(browser.request("/compte/mot-de-passe")[2], "/compte/mot-de-passe")
    assert "idem" in hidden_fields(browser.request("/donnees")[2], "/donnees/suppression")
    form = hidden_fields(browser.request("/compte/mot-de-passe")[2], "/compte/mot-de-passe")
    new = {**form, "current": PASSWORD, "new": "un autre mot de passe sûr", "confirm": "un autre mot de passe sûr"}
    statuses = together((browser, "/compte/mot-de-passe", new), (browser, "/compte/mot-de-passe", new))
    assert statuses == [302, 302]  # one changed it; the replay is told, not refused as a wrong password
