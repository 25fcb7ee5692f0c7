"""A real server (werkzeug, in a thread) and Debian's chromium driven by Playwright at phone size.

Screenshots go to a temp dir, or to docs/screenshots/ when CLAIMKIT_SCREENSHOTS=1 (`make screenshots`).
"""

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    app.config["SERVER_NAME"] = None
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    target = ROOT / "docs" / "screenshots" if os.environ.get("CLAIMKIT_SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    return target
