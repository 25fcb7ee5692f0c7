"""Logging set-up shared by the web workers and the scheduler process, from the `LOG_LEVEL` and `LOG_FORMAT` settings.

Without it Python's default WARNING level dropped the audit lines the services write at INFO ("user 7 signed in",
"claim 12: sent"). Only the `claimkit` logger is configured, so the handlers of gunicorn, werkzeug and pytest stay
as they are; the lines still propagate to the root logger for whoever collects them there. The lines carry ids,
never personal data (see SECURITY.md and the PII-in-logs test).
"""

import json
import logging
import logging.config
from datetime import UTC, datetime

FORMATS = ("plain", "json")


class JsonFormatter(logging.Formatter):
    """One JSON object per line (time, level, logger, message), for log collectors in production."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str = "INFO", fmt: str = "plain") -> None:
    """Points the `claimkit` logger at standard error, at `level`, as plain text or JSON lines.

    Safe to call again (each app created in a process calls it): dictConfig replaces the handler it installed.
    """
    if fmt not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}")
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {
                "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
                "json": {"()": JsonFormatter},
            },
            "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": fmt}},
            "loggers": {"claimkit": {"level": level.upper(), "handlers": ["stderr"], "propagate": True}},
        }
    )
