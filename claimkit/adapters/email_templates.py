"""Renders emails from templates/emails/ with plain Jinja2, so the scheduler needs no request context.

Each email is written in the student's language (`User.locale`): the templates mark their text with
`_()` / `ngettext()` (Jinja2's i18n extension, new style, so placeholders are `%(name)s` and plural forms come from
the catalogue, six of them in Arabic) and read the same catalogues as the web pages, through `l10n`.
"""

from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import formatdate
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from claimkit.adapters import l10n

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "emails"


class _CachedHeaderRegistry(HeaderRegistry):
    """The standard registry builds a new header class with type() for every header set (about 30 per mail);
    the reminder pass sends mails in batches (bench/reminders.py), so the class is built once per header name."""

    @cache  # noqa: B019 - one registry for the process's lifetime
    def __getitem__(self, name: str) -> type[BaseHeader]:
        header: type[BaseHeader] = super().__getitem__(name)
        return header


POLICY = default_policy.clone(header_factory=_CachedHeaderRegistry())


@cache
def _environment(language: str) -> Environment:
    """One environment per language: Jinja2 installs the gettext callables on the environment, not per render."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Added by the i18n extension, hence unknown to the type checker.
    env.install_gettext_translations(l10n.translations(language), newstyle=True)  # type: ignore[attr-defined]
    direction = l10n.text_direction(language)
    # Mail clients ignore external CSS: the HTML parts use inline styles, so they get the alignment as text.
    env.globals.update(lang=language, dir=direction, align="right" if direction == "rtl" else "left")
    return env


def render_email(
    name: str,
    context: dict[str, Any],
    *,
    locale: str,
    to: str,
    sender: str,
    message_id: str,
    headers: dict[str, str] | None = None,
) -> EmailMessage:
    """`name`.subject.txt, `name`.txt and `name`.html make one multipart/alternative message in `locale`.

    `locale` is required so that no caller can silently send French to a student who reads Arabic.
    """
    env = _environment(l10n.language(locale))
    message = EmailMessage(policy=POLICY)
    message["Subject"] = " ".join(env.get_template(f"{name}.subject.txt").render(context).split())
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(env.get_template(f"{name}.txt").render(context))
    message.add_alternative(env.get_template(f"{name}.html").render(context), subtype="html")
    return message
