"""Settings from environment variables, with safe defaults for a newcomer's machine.

Nothing secret is a constant: the secret key comes from `SECRET_KEY` or is generated once into the
instance folder. Dated business data (insurer address, rates, form versions) lives in the database,
not here.
"""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from claimkit.adapters.page_store import DEFAULT_BYTES
from claimkit.domain import limits
from claimkit.domain.languages import SOURCE

TRUE = {"1", "true", "yes", "on"}


def _secret_key(instance: Path) -> str:
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def settings_from_env(instance: Path, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    env = os.environ if env is None else env
    secure = env.get("CLAIMKIT_SECURE_COOKIES", "").lower() in TRUE
    mail_backend = env.get("MAIL_BACKEND", "outbox")
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or _secret_key(instance),
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{instance / 'claimkit.sqlite3'}",
        "BASE_URL": env.get("CLAIMKIT_BASE_URL", "http://127.0.0.1:5000"),
        "MAIL_BACKEND": mail_backend,
        "MAIL_OUTBOX_DIR": env.get("MAIL_OUTBOX_DIR") or str(instance / "outbox"),
        "MAIL_FROM": env.get("MAIL_FROM", "claimkit <noreply@claimkit.localhost>"),
        "SMTP_HOST": env.get("SMTP_HOST", "localhost"),
        "SMTP_PORT": int(env.get("SMTP_PORT", "587")),
        "SMTP_SECURITY": env.get("SMTP_SECURITY", "starttls"),
        "SMTP_USER": env.get("SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "UPLOAD_DIR": env.get("CLAIMKIT_UPLOAD_DIR") or str(instance / "uploads"),
        # Number of reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto/-Host are trusted (0: none,
        # the socket's peer is the client). Set it behind the HTTPS proxy, or every visitor has the proxy's address
        # and shares its sign-in throttle; never set it higher than the real chain, or clients can forge addresses.
        "TRUSTED_PROXIES": int(env.get("CLAIMKIT_TRUSTED_PROXIES", "0")),
        # Server-side sessions (services/accounts.py SessionPolicy): ended after this long unused, and this long
        # after sign-in whatever happens.
        "SESSION_IDLE_HOURS": float(env.get("CLAIMKIT_SESSION_IDLE_HOURS", str(7 * 24))),
        "SESSION_MAX_DAYS": float(env.get("CLAIMKIT_SESSION_MAX_DAYS", "30")),
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "MAX_CONTENT_LENGTH": limits.UPLOAD_BYTES,  # the largest upload; each kind checks its own
        "BABEL_DEFAULT_LOCALE": SOURCE,
        "BABEL_DEFAULT_TIMEZONE": "Africa/Casablanca",
        # Bytes of drawn dashboards and claim pages kept per worker (web/page_cache.py, docs/deployment.md); 0: off.
        "PAGE_CACHE_BYTES": int(env.get("CLAIMKIT_PAGE_CACHE_BYTES", str(DEFAULT_BYTES))),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        "LOG_FORMAT": env.get("LOG_FORMAT", "plain"),
    }
