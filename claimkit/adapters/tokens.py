"""Signed, optionally expiring tokens for links in emails (confirmation, unsubscribe, finishing a sign-up)."""

from typing import Any

from itsdangerous import BadSignature, URLSafeTimedSerializer

CONFIRM_EMAIL = "confirm-email"
UNSUBSCRIBE = "unsubscribe"
SIGN_UP = "sign-up"
SIGN_UP_MAX_AGE = 3 * 24 * 3600  # the link that finishes a sign-up (services/account_mails.py)
CONFIRM_MAX_AGE = 3 * 24 * 3600
UNSUBSCRIBE_MAX_AGE = 400 * 24 * 3600  # longer than any claim's life: an old reminder's link still works


def make(secret: str, purpose: str, payload: Any) -> str:
    return URLSafeTimedSerializer(secret, salt=purpose).dumps(payload)


def read(secret: str, purpose: str, token: str, max_age: int | None = None) -> Any | None:
    """The payload, or None for a forged, altered or expired token."""
    try:
        return URLSafeTimedSerializer(secret, salt=purpose).loads(token, max_age=max_age)
    except BadSignature:
        return None
