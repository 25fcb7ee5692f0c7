"""Renders emails from templates/emails/ with plain Jinja2, so the scheduler needs no request context."""

from email.message import EmailMessage
from email.utils import formatdate
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "emails"


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True)


def render_email(
    name: str, context: dict[str, Any], *, to: str, sender: str, message_id: str, headers: dict[str, str] | None = None
) -> EmailMessage:
    """`name`.subject.txt, `name`.txt and `name`.html make one multipart/alternative message."""
    env = _environment()
    message = EmailMessage()
    message["Subject"] = env.get_template(f"{name}.subject.txt").render(context).strip()
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(env.get_template(f"{name}.txt").render(context))
    message.add_alternative(env.get_template(f"{name}.html").render(context), subtype="html")
    return message
