"""The vendored browser build is the one package-lock.json pins (claimkit/static/vendor/README.md)."""

from pathlib import Path

import pytest

from claimkit.adapters.package_data import package_path

PINNED = Path(__file__).resolve().parents[2] / "node_modules" / "@zxing" / "browser" / "umd" / "zxing-browser.min.js"


def test_the_vendored_zxing_build_is_the_pinned_npm_file() -> None:
    vendored = package_path("static", "vendor", "zxing-browser.min.js")
    assert vendored.is_file() and vendored.stat().st_size > 100_000
    assert (vendored.parent / "LICENSE-zxing-browser.txt").read_text().startswith("MIT License")
    assert "Apache License" in (vendored.parent / "LICENSE-zxing-library.txt").read_text()
    if not PINNED.is_file():
        pytest.skip("npm ci not run: nothing to compare the vendored copy with")
    assert vendored.read_bytes() == PINNED.read_bytes(), "package-lock.json moved: run `make setup` to re-vendor"
