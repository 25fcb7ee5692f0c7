"""The product's languages: French (the source language of every msgid) and Arabic (right to left).

One home for the language codes: the account's and the outbox row's `locale` columns are mapped on `Language`
(adapters/db/models.py), the language switch and the sign-up read it, and every format (domain/formats.py) and
catalogue (adapters/l10n.py) is chosen from it. Pure Python, so the domain's messages, the PDF layouts and the
CLI share it without Flask.
"""

from enum import StrEnum


class Language(StrEnum):
    FR = "fr"
    AR = "ar"

    @property
    def rtl(self) -> bool:
        """Written right to left: the page's `dir`, the PDF's layout."""
        return self is Language.AR

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"


SOURCE = Language.FR  # the msgids' language: the fallback for anything unknown
NATIVE_NAMES = {Language.FR: "Français", Language.AR: "العربية"}  # each shown in its own language, never translated


def language(locale: object) -> Language:
    """ "ar", "ar_MA", "ar-MA" or a Babel Locale("ar", "MA") → Language.AR; anything unknown or missing → French."""
    code = str(locale or SOURCE).replace("-", "_").split("_")[0]
    return Language(code) if code in Language._value2member_map_ else SOURCE
