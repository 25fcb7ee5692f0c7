"""Secret links never reach an access log: the tokens of reset, sign-up, confirmation, unsubscribe and calendar URLs are
replaced by "***" (issue 18). `MaskingLogger` is gunicorn's logger with every access-log atom masked; the
repository's gunicorn.conf.py selects it, so `gunicorn wsgi:app` from the repository root uses it."""

import re
from typing import Any

from gunicorn.glogging import Logger

# The finish-sign-up link carries the address it was mailed to (signed, not encrypted): masked as well.
_TOKEN_PATHS = re.compile(
    r"(/(?:compte/reinitialiser|compte/inscription|rappels/confirmer|desabonnement)/)(?!envoye\b)[^/?#\s\"]+"
)
_CALENDAR = re.compile(r"(/calendrier/)[^/?#\s\"]+?(\.ics)")


def mask_tokens(text: str) -> str:
    return _CALENDAR.sub(r"\1***\2", _TOKEN_PATHS.sub(r"\1***", text))


class MaskingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: mask_tokens(value) if isinstance(value, str) else value for key, value in atoms.items()}
