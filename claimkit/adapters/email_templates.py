"""Renders emails from templates/emails/ with plain Jinja2, so the scheduler needs no request context.

Each email is written in the student's language (`User.locale`): the templates mark their text with
`_()` / `ngettext()` (Jinja2's i18n extension, new style, so placeholders are `%(name)s` and plural forms come from
the catalogue, six of them in Arabic) and read the same catalogues as the web pages, through `l10n`.
"""

import base64
from email.headerregistry import BaseHeader, HeaderRegistry, UnstructuredHeader
from email.message import EmailMessage
from email.policy import EmailPolicy, Policy
from email.utils import formatdate
from functools import cache, lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from claimkit.adapters import l10n
from claimkit.adapters.package_data import package_path

TEMPLATES = package_path("templates", "emails")


class _CachedHeaderRegistry(HeaderRegistry):
    """The standard registry builds a new header class with type() for every header set (about 30 per mail);
    the reminder pass sends mails in batches (bench/reminders.py), so the class is built once per header name."""

    @cache  # noqa: B019 - one registry for the process's lifetime
    def __getitem__(self, name: str) -> type[BaseHeader]:
        header: type[BaseHeader] = super().__getitem__(name)
        return header


class _SubjectHeader(UnstructuredHeader, BaseHeader):
    """A subject folded into RFC 2047 encoded words that each keep their trailing space. The standard folder
    (CPython's _refold_parse_tree) folds an Arabic subject at a space and drops it: the whitespace between two
    encoded words is not part of the text, so "الإلكتروني لتلقي" came back as "الإلكترونيلتلقي" (issue 17)."""

    # Base64 of 39 bytes is 52 characters: with "=?utf-8?b?…?=" and "Subject: " each line stays under 78.
    CHUNK_BYTES = 39

    def fold(self, *, policy: Policy) -> str:
        text = str(self)
        if text.isascii():
            return super().fold(policy=policy)
        chunks = [""]
        for char in text:  # whole characters in each word (RFC 2047), the spaces inside them
            if len((chunks[-1] + char).encode()) > self.CHUNK_BYTES:
                chunks.append("")
            chunks[-1] += char
        words = [f"=?utf-8?b?{base64.b64encode(c.encode()).decode()}?=" for c in chunks if c]
        linesep = str(policy.linesep)
        return f"{self.name}: " + (linesep + " ").join(words) + linesep


class _RepeatedHeadersPolicy(EmailPolicy):
    """The default policy, remembering parsed and folded headers: a pass of 50 reminders spent four fifths of its
    CPU in the `email` package, half of it parsing headers when set and refolding them when serialised
    (bench/reminders.py --profile, issue 20), and most headers repeat from mail to mail (From, MIME-Version, the
    parts' Content-Type and Content-Transfer-Encoding, List-Unsubscribe-Post). Header objects are immutable, so
    one may stand in every message; a fold depends only on the header's class, name and text and on the policy's
    line settings, all in the key."""

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        if isinstance(value, str) and not hasattr(value, "name") and "\n" not in value and "\r" not in value:
            return name, _parsed(self, name, value)
        return super().header_store_parse(name, value)

    def fold_binary(self, name: str, value: Any) -> bytes:
        if isinstance(value, BaseHeader):
            key = (self.linesep, self.max_line_length, self.utf8, self.cte_type, type(value), value.name)
            return _folded(self, key, name, value)
        return super().fold_binary(name, value)


@lru_cache(maxsize=1024)
def _parsed_header(factory: Any, name: str, value: str) -> Any:
    return factory(name, value)


def _parsed(policy: EmailPolicy, name: str, value: str) -> Any:
    return _parsed_header(policy.header_factory, name, value)


_FOLDS: dict[tuple[object, ...], bytes] = {}


def _folded(policy: EmailPolicy, key: tuple[object, ...], name: str, value: BaseHeader) -> bytes:
    full = (*key, name, str(value))
    if (found := _FOLDS.get(full)) is None:
        found = EmailPolicy.fold_binary(policy, name, value)
        if len(_FOLDS) > 4096:  # bounded: unique headers (To, Message-ID, Date) come and go
            _FOLDS.clear()
        _FOLDS[full] = found
    return found


_REGISTRY = _CachedHeaderRegistry()
_REGISTRY.map_to_type("subject", _SubjectHeader)
POLICY = _RepeatedHeadersPolicy(header_factory=_REGISTRY)


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
