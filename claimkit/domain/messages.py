"""User-facing strings produced by the domain: the extraction marker and messages with placeholders.

The domain must not import Flask-Babel, yet its messages have to reach the translation catalogues.
`N_` returns its argument untouched and is declared as a Babel keyword, so extraction finds the
strings here and the web layer translates them at display time.
A message with figures (an amount, a date) is a `Message`: its msgid and values stay apart until display, because
a msgid filled in French before translation would match no catalogue entry, and the reader's language decides
how an amount or a date is written.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeAlias

from claimkit.domain.formats import numeric_date

Value: TypeAlias = "str | int | Decimal | date | Message"


def N_(message: str) -> str:
    return message


@dataclass(frozen=True)
class Message:
    msgid: str
    values: Mapping[str, Value] = field(default_factory=dict)

    def render(
        self,
        translate: Callable[[str], str] = str,
        amount: Callable[[Decimal], str] = str,
        day: Callable[[date], str] = numeric_date,
    ) -> str:
        """Translated first, filled after: a catalogue may move the placeholders around."""

        def text(value: Value) -> str | int:
            if isinstance(value, Message):  # e.g. an act's label inside a sentence: translated too
                return value.render(translate, amount, day)
            if isinstance(value, Decimal):
                return amount(value)
            return day(value) if isinstance(value, date) else value

        filled = {name: text(value) for name, value in self.values.items()}
        return translate(self.msgid) % filled if filled else translate(self.msgid)


class Refusal(Exception):
    """Something the student asked for is refused, kept as data: the msgid and its values stay apart until the web
    layer (or the CLI) renders it once, in the reader's language. Every refusal of the app is one of these
    (ServiceError, TransitionRefused, ScanRefused, PhotoRefused, SheetRefused)."""

    def __init__(self, message: "str | Message", values: Mapping[str, Value] | None = None) -> None:
        self.refusal = message if isinstance(message, Message) else Message(message, dict(values or {}))
        super().__init__(self.refusal.msgid)

    @property
    def message(self) -> str:
        """The French msgid (what the catalogues are keyed on)."""
        return self.refusal.msgid

    @property
    def values(self) -> Mapping[str, Value]:
        return self.refusal.values

    @property
    def as_message(self) -> "Message":
        return self.refusal
