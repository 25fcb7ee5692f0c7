"""Installable and light: manifest and service worker, the dashboard readable offline, ≤ 100 KB, no third party."""

from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from claimkit.domain.claims import Act, ActType
from claimkit.services import claims
from claimkit.web.deps import deps
from tests.conftest import FakeClock
from tests.e2e.conftest import REPORT, sign_up_by_mail

pytestmark = pytest.mark.e2e


def test_dashboard_offline_and_page_weight(app: Flask, clock: FakeClock, live_server: str, phone: Page,
                                           shots: Path) -> None:  # fmt: skip
    sign_up_by_mail(phone, live_server, app, "hors-ligne@example.ma")
    with deps(app).sessions() as db:
        claim = claims.create_claim(db, clock, 1, "maladie", "Kiné genou")
        claims.add_act(db, clock, 1, claim.id, Act(clock.now.date(), ActType.AUTRE, Decimal(200)))
    sizes: dict[str, int] = {}
    hosts: set[str] = set()

    def record(response) -> None:  # type: ignore[no-untyped-def]
        hosts.add(urlparse(response.url).netloc)
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # redirects have no body
            sizes[response.url] = 0

    phone.on("response", record)
    phone.goto(live_server + "/")
    expect(phone.get_by_text("Kiné genou")).to_be_visible()
    phone.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
    total = sum(sizes.values())
    REPORT.append(f"dashboard weight: {total / 1024:.1f} KB in {len(sizes)} responses, hosts {sorted(hosts)}")
    assert total <= 100 * 1024
    assert hosts == {urlparse(live_server).netloc}
    manifest = phone.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    assert manifest["display"] == "standalone" and len(manifest["icons"]) == 2
    assert (manifest["name"], manifest["lang"], manifest["dir"]) == ("claimkit — remboursements AMO-E", "fr", "ltr")

    phone.reload()  # now controlled by the service worker, which keeps the dashboard's last copy
    expect(phone.get_by_text("Kiné genou")).to_be_visible()
    phone.context.set_offline(True)
    phone.goto(live_server + "/")
    expect(phone.get_by_text("Kiné genou")).to_be_visible()
    phone.goto(live_server + "/dossiers/nouveau")
    expect(phone.get_by_role("heading", name="Pas de connexion")).to_be_visible()
    phone.screenshot(path=str(shots / "offline-fr.png"))
    phone.context.set_offline(False)


def test_logout_wipes_the_offline_copy(app: Flask, clock: FakeClock, live_server: str, phone: Page) -> None:
    """On a shared phone, the dashboard kept for offline reading must not outlive the session."""
    sign_up_by_mail(phone, live_server, app, "partage@example.ma")
    with deps(app).sessions() as db:
        claims.create_claim(db, clock, 1, "maladie", "Dossier privé")
    phone.goto(live_server + "/")
    phone.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.ready.then(() => true)")
    phone.reload()  # controlled by the service worker: this copy is cached
    expect(phone.get_by_text("Dossier privé")).to_be_visible()
    assert phone.evaluate("caches.keys().then(k => k.length)") == 1

    with phone.expect_navigation():
        phone.get_by_role("button", name="Déconnexion").tap()
    # the login page registers the service worker again, with only the shell (CSS, icon, offline page) cached
    phone.wait_for_function("navigator.serviceWorker.ready.then(() => caches.match('/')).then(hit => !hit)",
                            timeout=5000)  # fmt: skip
    phone.context.set_offline(True)
    phone.goto(live_server + "/")
    expect(phone.get_by_role("heading", name="Pas de connexion")).to_be_visible()
    expect(phone.get_by_text("Dossier privé")).to_have_count(0)
    phone.context.set_offline(False)
