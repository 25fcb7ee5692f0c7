"""Configuration: environment variables with safe defaults, a generated (never constant) secret key."""

from pathlib import Path

import pytest

from claimkit.config import settings_from_env
from claimkit.web import create_app


def test_secret_key_generated_once_into_instance(tmp_path: Path) -> None:
    first = settings_from_env(tmp_path, {})["SECRET_KEY"]
    second = settings_from_env(tmp_path, {})["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert settings_from_env(tmp_path / "other", {}) if (tmp_path / "other").mkdir() is None else True
    assert settings_from_env(tmp_path / "other", {})["SECRET_KEY"] != first


def test_environment_overrides_defaults(tmp_path: Path) -> None:
    settings = settings_from_env(
        tmp_path,
        {
            "SECRET_KEY": "from-env",
            "DATABASE_URL": "postgresql+psycopg://x@/y",
            "CLAIMKIT_SECURE_COOKIES": "1",
        },
    )
    assert settings["SECRET_KEY"] == "from-env"
    assert settings["DATABASE_URL"] == "postgresql+psycopg://x@/y"
    assert settings["SESSION_COOKIE_SECURE"] is True
    defaults = settings_from_env(tmp_path, {})
    assert defaults["DATABASE_URL"] == f"sqlite:///{tmp_path / 'claimkit.sqlite3'}"
    assert defaults["MAIL_BACKEND"] == "outbox"
    assert defaults["SESSION_COOKIE_SECURE"] is False


def test_create_app_uses_given_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"INSTANCE_PATH": tmp_path / "inst"})
    assert app.instance_path == str(tmp_path / "inst")
    assert app.config["DATABASE_URL"].startswith("sqlite:///")
    assert (tmp_path / "inst" / "secret_key").exists()
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
