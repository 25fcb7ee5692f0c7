"""The package runs installed, away from the checkout: templates, static files (the vendored zxing build too),
translations, form templates and the medicines list travel inside the wheel, and nothing reads a path outside the
package."""

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PAGE = """
from claimkit.web import create_app
import claimkit
app = create_app()
client = app.test_client()
french = client.get("/compte/inscription")
arabic = client.get("/compte/inscription", headers={"Accept-Language": "ar-MA"})
print(claimkit.__file__)
print(french.status_code, "Recevoir le lien d'inscription" in french.get_data(as_text=True))
print(arabic.status_code, 'dir="rtl"' in arabic.get_data(as_text=True))
print(client.get("/static/app.css").status_code)
scanner = client.get("/static/vendor/zxing-browser.min.js")
print(scanner.status_code, scanner.mimetype, len(scanner.data) > 100_000, b"ZXingBrowser" in scanner.data)
"""


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_wheel_installed_outside_the_checkout_serves_the_sign_up_page(tmp_path: Path) -> None:
    source = tmp_path / "source"
    files = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT).split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)], tmp_path)
    (wheel,) = (tmp_path / "dist").glob("claimkit-*.whl")

    # A fresh environment that sees the project's pinned dependencies but not its editable checkout.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site = Path(_run([str(python), "-c", purelib], tmp_path).strip())
    (site / "project_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([*pip, "--python", str(python), "install", "--no-deps", str(wheel)], tmp_path)
    shutil.rmtree(source)

    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    env = {"PATH": "/usr/bin:/bin", "CLAIMKIT_INSTANCE": str(run_dir / "instance")}
    upgraded = _run([str(python), "-m", "flask", "--app", "claimkit.web:create_app", "db-upgrade"], run_dir, env)
    assert "Référentiel des médicaments chargé" in upgraded
    location, french, arabic, css, scanner = _run([str(python), "-c", PAGE], run_dir, env).splitlines()
    assert location.startswith(str(site)), location
    assert french == "200 True"
    assert arabic == "200 True"
    assert css == "200"
    assert scanner == "200 text/javascript True True", scanner  # the live-scan fallback, from the wheel
