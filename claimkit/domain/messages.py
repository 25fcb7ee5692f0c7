"""Marker for user-facing strings produced by the domain.

The domain must not import Flask-Babel, yet its messages have to reach the translation catalogues.
`N_` returns its argument untouched and is declared as a Babel keyword, so extraction finds the
strings here and the web layer translates them at display time.
"""


def N_(message: str) -> str:
    return message
