"""Issue 20: the dashboard and the claim page served from their drawn HTML (web/page_cache.py). A stale page showing
the wrong money or the wrong checklist is the defect to catch: after every kind of change a student can make, and
the operator's reference changes, and the next day, each page served equals what the app draws with the cache off
(same database, same clock; CSRF tokens and idempotency keys masked, as in test_claim_page_html)."""

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from claimkit.adapters.db.models import Insurer
from claimkit.adapters.page_store import DEFAULT_BYTES
from claimkit.web import create_app
from claimkit.web.deps import deps
from claimkit.web.page_cache import CSRF_SLOT, KEY_SLOT
from tests.conftest import FakeClock, Student, csrf_token, post_form
from tests.integration.test_claim_page_html import masked
from tests.integration.test_claims_flow import add_act, add_medicine, new_claim, tick
from tests.integration.test_edits_and_partial import edit
from tests.integration.test_law_54_23 import DATA, PARENT, cli
from tests.integration.test_own_sheet_pages import upload
from tests.integration.test_photos import attach, photo_with_location
from tests.integration.test_profile import VALID
from tests.integration.test_registration import save_status
from tests.integration.test_scale_out import second_machine
from tests.integration.test_tracking_and_data import act, sent_claim
from tests.official_sheets import sheet_pdf


def forget_one_time(client: FlaskClient) -> None:
    """The flash of the change's redirect (and the "Annuler" of a deletion) dropped, as a browser following the
    redirect would have shown them: the next GET may then come from the cache."""
    with client.session_transaction() as session:
        session.pop("_flashes", None)
        session.pop("undo_claim", None)


def get(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def warm(app: Flask, client: FlaskClient, url: str) -> str:
    """The page drawn once and kept, then served from the store (proved by the store's hit count)."""
    store = deps(app).pages
    forget_one_time(client)
    first = get(client, url)
    hits = store.hits
    again = get(client, url)
    assert store.hits == hits + 1, f"{url}: the second GET was not served from the cache"
    assert masked(again) == masked(first)
    return masked(again)


def uncached(app: Flask, client: FlaskClient, url: str) -> str:
    """The page as the app draws it with the cache off (PAGE_CACHE_BYTES=0)."""
    store = deps(app).pages
    kept, store.max_bytes = store.max_bytes, 0
    try:
        return get(client, url)
    finally:
        store.max_bytes = kept


def fresh(app: Flask, client: FlaskClient, url: str) -> str:
    """The page served with the cache on equals the one drawn with it off; returned masked."""
    forget_one_time(client)
    served = masked(get(client, url))
    assert served == masked(uncached(app, client, url)), f"{url}: a stale page was served"
    return served


def link(page: str, pattern: str) -> str:
    found = re.search(pattern, page)
    assert found, pattern
    return html.unescape(found.group(1))


@pytest.mark.usefixtures("restore_reference")
def test_every_change_shows_at_once(app: Flask, client: FlaskClient, student: Student, clock: FakeClock) -> None:
    """Each step warms every page, makes one change, and checks every page against the uncached drawing; a step
    that changes none of the pages would prove nothing, so each must change at least one."""
    pages: list[str] = ["/"]
    ids: dict[str, int] = {}

    def claim_page(name: str) -> str:
        return get(client, f"/dossiers/{ids[name]}")

    def post_on(name: str, path: str, **data: str) -> None:
        act(client, ids[name], path, **data)

    def add_claims() -> None:
        ids["a"] = new_claim(client, label="Angine")
        ids["b"] = new_claim(client, label="Grippe")
        ids["sent"] = sent_claim(client, label="Envoyée")
        pages.extend(f"/dossiers/{ids[name]}" for name in ("a", "b", "sent"))

    def edit_act() -> None:
        path = link(claim_page("a"), r'href="(/dossiers/\d+/actes/\d+/modifier)"')
        edit(client, path, performed_on="2026-11-19", type="consultation_generaliste", amount="210",
             practitioner="Dr Chraibi")  # fmt: skip

    def remove_act() -> None:
        path = link(claim_page("a"), r'href="(/dossiers/\d+/actes/\d+)/supprimer"')
        client.post(f"{path}/supprimer", data={"csrf_token": csrf_token(client, f"/dossiers/{ids['a']}")})

    def remove_medicine() -> None:
        path = link(claim_page("a"), r'action="(/dossiers/\d+/medicaments/\d+/supprimer)"')
        client.post(path, data={"csrf_token": csrf_token(client, f"/dossiers/{ids['a']}")})

    def json_tick() -> None:
        token = csrf_token(client, f"/dossiers/{ids['a']}")
        answer = client.post(
            f"/dossiers/{ids['a']}/pieces",
            data={"csrf_token": token},  # every line unticked
            headers={"Accept": "application/json"},
        )
        assert answer.status_code == 200

    def remove_photo() -> None:
        path = link(claim_page("a"), r'action="(/dossiers/\d+/photos/\d+/supprimer)"')
        client.post(path, data={"csrf_token": csrf_token(client, f"/dossiers/{ids['a']}")})

    def edit_payment() -> None:
        path = link(claim_page("sent"), r'href="(/dossiers/\d+/paiements/\d+/modifier)"')
        edit(client, path, paid_on="2026-11-21", paid_amount="30", method="virement", reference="VIR 2")

    def remove_own_sheet() -> None:
        own = f"/dossiers/{ids['a']}/feuille-officielle"
        path = link(get(client, own), r'action="(/dossiers/\d+/feuille-officielle/\d+/retirer)"')
        client.post(path, data={"csrf_token": csrf_token(client, own)})

    def delete_and_undo() -> None:
        client.post(f"/dossiers/{ids['b']}/supprimer", data={"csrf_token": csrf_token(client, f"/dossiers/{ids['b']}")})
        home = get(client, "/")
        assert 'id="annuler"' in home  # the "Annuler" form, in Arabic by now
        assert f'href="/dossiers/{ids["b"]}"' not in fresh(app, client, "/")  # its card has gone
        client.post(f"/dossiers/{ids['b']}/restaurer", data={"csrf_token": csrf_token(client, "/")})

    def copy_rejected() -> None:
        ids["copy"] = int(
            client.post(f"/dossiers/{ids['sent']}/copie", data={"csrf_token": csrf_token(client, "/")})
            .headers["Location"]
            .rsplit("/", 1)[-1]
        )

    steps: list[tuple[str, Callable[[], object]]] = [
        ("registration", lambda: save_status(client, status="non_recue")),
        ("profile", lambda: post_form(client, "/profil/", VALID)),
        ("create claims", add_claims),
        ("edit claim", lambda: post_on("a", "details", label="Angine de novembre")),
        ("add act", lambda: add_act(client, ids["a"], performed_on="2026-11-18", practitioner="Dr Alami")),
        ("edit act", edit_act),
        ("add act on the other claim", lambda: add_act(client, ids["b"], practitioner="Dr Idrissi")),
        ("remove act", remove_act),
        ("add act again", lambda: add_act(client, ids["a"], performed_on="2026-11-18", practitioner="Dr Tazi")),
        ("medicine", lambda: add_medicine(client, ids["a"], ean13="6118000120698", ppv="34,90", pbr="20.00")),
        ("remove medicine", remove_medicine),
        ("tick", lambda: tick(client, ids["a"], ["feuille_maladie", "ordonnance"])),
        ("tick by script", json_tick),
        ("photo", lambda: attach(client, ids["a"], "facture_medecin", photo_with_location())),
        ("remove photo", remove_photo),
        ("own sheet", lambda: upload(client, ids["a"], sheet_pdf())),
        ("remove own sheet", remove_own_sheet),
        ("received", lambda: post_on("sent", "recu", received_on="2026-11-12")),
        ("payment", lambda: post_on("sent", "paiement", paid_on="2026-11-20", paid_amount="25", method="virement")),
        ("edit payment", edit_payment),
        ("settle", lambda: post_on("sent", "solde")),
        ("language", lambda: client.post("/langue", data={"csrf_token": csrf_token(client, "/"), "locale": "ar"})),
        ("delete and undo", delete_and_undo),
        ("next day", lambda: clock.advance(days=1)),
        ("profile gap", lambda: post_form(client, "/profil/", {**VALID, **PARENT, "adresse": ""})),
        ("scheme cutover", lambda: cli(app, "scheme", "cutover", "2026-11-19")),
        ("reference load", lambda: cli(app, "reference", "load", str(DATA))),  # the CNSS's rates, after it
        (
            "dismiss law 54-23 banner",
            lambda: client.post("/loi-54-23/lu", data={"csrf_token": csrf_token(client, "/")}),
        ),
        ("a month later", lambda: clock.advance(days=31)),
    ]
    for name, change in steps:
        before = {url: warm(app, client, url) for url in pages}
        change()
        after = {url: fresh(app, client, url) for url in pages if url in before}
        changed = [url for url in after if after[url] != before[url]]
        assert changed or name == "delete and undo", f"{name}: no page changed"  # restored: the same pages
    # A rejected claim and its copy: the tracking events that end a claim's life.
    post_form(client, "/profil/", {**VALID, **PARENT})  # the address back: a claim can be sent again
    ids["sent"] = sent_claim(client, label="À rejeter")
    for name, change in [
        ("reject", lambda: post_on("sent", "rejet", rejected_on="2026-12-20", reason="Cachet illisible")),
        ("resubmit", lambda: post_on("sent", "resoumission", resubmitted_on="2026-12-21")),
        ("reject again", lambda: post_on("sent", "rejet", rejected_on="2026-12-22", reason="Encore")),
        ("copy", copy_rejected),
    ]:
        urls = ["/", f"/dossiers/{ids['sent']}"]
        before = {url: warm(app, client, url) for url in urls}
        change()
        assert {url: fresh(app, client, url) for url in urls} != before, f"{name}: no page changed"


def test_a_flash_is_shown_once_and_the_undo_link_too(app: Flask, client: FlaskClient, student: Student) -> None:
    claim = new_claim(client, label="Angine")
    url = f"/dossiers/{claim}"
    warm(app, client, url)
    shown = add_act(client, claim)  # follows the redirect: the flash is on the page drawn after the change
    assert "Acte ajouté." in shown
    assert "Acte ajouté." not in get(client, url)
    assert "Acte ajouté." not in get(client, url)  # the page kept is the one without the flash
    # A refusal changes nothing the page is keyed on: its flash must still be shown, once, on the kept page's URL.
    warm(app, client, url)
    refused = client.post(f"{url}/copie", data={"csrf_token": csrf_token(client, url)}, follow_redirects=True)
    assert refused.request.path == url and 'class="flash flash-warning"' in refused.get_data(as_text=True)
    assert 'class="flash' not in get(client, url)
    warm(app, client, "/")
    answer = client.post(f"{url}/supprimer", data={"csrf_token": csrf_token(client, url)}, follow_redirects=True)
    first = answer.get_data(as_text=True)
    assert "Dossier mis à la corbeille." in first and "Le dossier est dans la corbeille." in first
    again = get(client, "/")
    assert "Dossier mis à la corbeille." not in again and "Le dossier est dans la corbeille." not in again
    assert masked(get(client, "/")) == masked(again)


def test_a_change_made_on_one_machine_shows_on_the_other(
    app: Flask, client: FlaskClient, student: Student, clock: FakeClock, tmp_path: Path
) -> None:
    other = second_machine(app, clock, tmp_path)
    try:
        machine_b = other.test_client()
        Student(machine_b, student.email).log_in()
        claim = new_claim(client, label="Angine")
        url = f"/dossiers/{claim}"
        for page in ("/", url):
            warm(other, machine_b, page)
        act(client, claim, "details", label="Changée sur A")  # through machine A
        for page in ("/", url):
            served = masked(get(machine_b, page))
            assert "Changée sur A" in served and served == masked(uncached(other, machine_b, page))
    finally:
        deps(other).engine.dispose()


def _tokens(page: str) -> tuple[set[str], list[str]]:
    csrf = set(re.findall(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page))
    keys = re.findall(r'name="idem" value="([^"]+)"', page)
    return csrf, keys


def test_a_post_from_a_cached_page_passes_and_no_session_gets_anothers_token(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    claim = new_claim(client, label="Angine")
    url = f"/dossiers/{claim}"
    warm(app, client, url)
    page = get(client, url)  # from the cache
    assert CSRF_SLOT not in page and KEY_SLOT not in page
    (token,), keys = _tokens(page)
    assert len(keys) > 3 and len(set(keys)) == len(keys)  # one fresh key per form
    assert not set(keys) & set(_tokens(get(client, url))[1])  # and new ones on every response
    form = {"csrf_token": token, "idem": keys[0], "performed_on": "2026-11-20", "type": "pharmacie", "amount": "80"}
    assert client.post(f"{url}/actes", data=form).status_code == 302
    # The same student on a second phone: same key, so the page comes from the cache, with that session's token.
    phone = app.test_client()
    Student(phone, student.email).log_in()
    warm(app, client, url)
    hits = deps(app).pages.hits
    (phone_token,), _ = _tokens(get(phone, url))
    assert deps(app).pages.hits == hits + 1
    (own_token,), _ = _tokens(get(client, url))
    assert phone_token != own_token
    tick_form = {"piece": ["ordonnance"]}
    assert phone.post(f"{url}/pieces", data={"csrf_token": own_token, **tick_form}).status_code == 400
    assert phone.post(f"{url}/pieces", data={"csrf_token": phone_token, **tick_form}).status_code == 302


def test_what_is_never_kept(app: Flask, client: FlaskClient, student: Student) -> None:
    store = deps(app).pages
    claim = new_claim(client, label="Angine")
    url = f"/dossiers/{claim}"
    get(client, url)
    kept = len(store)
    token = csrf_token(client, url)  # a third draw of the same content: served from the store
    bad = {"csrf_token": token, "performed_on": "2099-01-01", "type": "consultation_generaliste", "amount": "x"}
    refused = client.post(f"{url}/actes", data=bad)
    assert refused.status_code == 422 and len(store) == kept  # a form drawn again with its errors
    assert client.head(url).status_code == 200 and len(store) == kept


def test_the_switch(app: Flask, tmp_path: Path) -> None:
    assert deps(app).pages.max_bytes == DEFAULT_BYTES > 0  # on by default: the whole suite runs with it
    off = create_app({**app.config, "INSTANCE_PATH": tmp_path / "off", "PAGE_CACHE_BYTES": 0})
    try:
        assert not deps(off).pages.enabled
    finally:
        deps(off).engine.dispose()


def test_a_form_that_changes_nothing_still_moves_the_version_the_page_draws(
    app: Flask, client: FlaskClient, student: Student
) -> None:
    """The guard bumps the claim's version with a Core UPDATE, and the revision moves only with content: a page
    kept with the old version would refuse the next form as stale ("Ce dossier a changé")."""
    claim = new_claim(client, label="Angine")
    url = f"/dossiers/{claim}"
    warm(app, client, url)
    version = int(link(get(client, url), r'name="version" value="(\d+)"'))
    token = csrf_token(client, url)
    same = client.post(
        f"{url}/pieces", data={"csrf_token": token, "version": str(version)}, headers={"Accept": "application/json"}
    )
    assert same.status_code == 200 and same.json is not None and same.json["version"] == version + 1
    page = fresh(app, client, url)
    assert f'name="version" value="{version + 1}"' in page


@pytest.mark.usefixtures("restore_reference")
def test_a_reference_change_alone_shows_on_a_sent_claim(app: Flask, client: FlaskClient, student: Student) -> None:
    """A sent claim keeps its figures (no summary is recomputed for it): only the reference counter tells its page
    that the insurer's address changed."""
    post_form(client, "/profil/", VALID)
    url = f"/dossiers/{sent_claim(client)}"
    before = warm(app, client, url)
    with deps(app).sessions() as db:
        for insurer in db.scalars(select(Insurer)):
            insurer.address = "Nouvelle adresse, BP 1000, Rabat"
        db.commit()
    after = fresh(app, client, url)
    assert "Nouvelle adresse, BP 1000, Rabat" in after and after != before
