"""How guessable a password is, by zxcvbn (Dropbox's estimator, pinned; it ships its own lists of common
passwords, names and words, so nothing is fetched). Returns the kind of weakness only: the service words it."""

import re
import unicodedata
from enum import Enum

from zxcvbn import zxcvbn

MIN_SCORE = 3  # zxcvbn's "safely unguessable": ~10^8 guesses, far beyond the throttled sign-in
MAX_CHECKED = 72  # zxcvbn's own bound (its cost grows with length); a longer password is judged on its start


class Weakness(Enum):
    CONTEXT = "context"  # the email, the name, the CNIE, the site's own name
    COMMON = "common"  # a list of leaked or common passwords
    PATTERN = "pattern"  # repeats, sequences, keyboard rows, dates
    GUESSABLE = "guessable"  # nothing single, but still too few guesses


def context_words(*values: str) -> list[str]:
    """The words a guesser would try first for this student: each value and its pieces."""
    words = {"claimkit", "cnops", "amo", "amoe", "cnss"}
    for value in values:
        for form in {value.strip().lower(), _unaccented(value.strip().lower())}:
            if form:
                words.add(form)
                words.update(part for part in re.split(r"[@.\-_+\s]+", form) if len(part) >= 3)
    return sorted(words)


def _unaccented(text: str) -> str:
    """ "Élodie" is also tried as "elodie": people type names without accents in passwords."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def weakness(password: str, context: list[str]) -> Weakness | None:
    checked = password[:MAX_CHECKED]
    result = zxcvbn(checked, user_inputs=context, max_length=MAX_CHECKED)
    kinds = [(m["pattern"], m.get("dictionary_name")) for m in result["sequence"]]
    from_context = sum(len(m["token"]) for m in result["sequence"] if m.get("dictionary_name") == "user_inputs")
    # Mostly made of what a guesser knows ("elodie-benjelloun") is refused even when zxcvbn scores it well.
    if from_context * 2 >= len(checked):
        return Weakness.CONTEXT
    if result["score"] >= MIN_SCORE:
        return None
    if ("dictionary", "user_inputs") in kinds:
        return Weakness.CONTEXT
    if ("dictionary", "passwords") in kinds:
        return Weakness.COMMON
    if any(pattern in ("repeat", "sequence", "spatial", "date") for pattern, _ in kinds):
        return Weakness.PATTERN
    return Weakness.GUESSABLE
