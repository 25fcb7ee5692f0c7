"""Official sheets: which insurer's sheet a claim's envelope carries, and what the student writes on it.

The insurer's own sheets are dated data rows, per insurer and kind (docs/domain.md, "Official sheets and the
student's part"): the CNSS sheets after the law 54-23 change are one more row, never a code change. The sheet for a
form is the student's own upload for that claim if any (a personalised sheet, a scan), else the operator's row in
force on the claim's date of care. Only the assuré(e)'s six values are written (official_forms.overlay's keys).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from claimkit.domain.dated import in_force
from claimkit.domain.forms import (
    ENFANT,
    LIEN_ENFANT,
    OVERLAY_FIELDS,
    FormId,
)
from claimkit.domain.messages import N_
from claimkit.domain.schemes import CNOPS, CNSS, SCHEME_REGIME, Scheme


class SheetKind(StrEnum):
    """The `--kind` of `flask forms add-official`: one per form of the envelope."""

    MALADIE = "maladie"
    DENTAIRE = "dentaire"
    ALD = "ald"
    EXONERATION = "exoneration"
    ACCIDENT = "accident"
    ENGAGEMENT = "engagement"


KIND_OF_FORM = {
    FormId.MALADIE: SheetKind.MALADIE,
    FormId.DENTAIRE: SheetKind.DENTAIRE,
    FormId.ALD: SheetKind.ALD,
    FormId.EXONERATION: SheetKind.EXONERATION,
    FormId.ACCIDENT: SheetKind.ACCIDENT,
    FormId.ENGAGEMENT: SheetKind.ENGAGEMENT,
}
# Kinds whose public copies show the assuré(e)'s block (forms-research.md §1–3); for the others no layout is known,
# so the sheet is carried as it is and the student writes on it by hand (nothing is guessed).
LABELLED_KINDS = frozenset({SheetKind.MALADIE, SheetKind.DENTAIRE, SheetKind.ALD})

# overlay key → the field map's value (claimkit.domain.forms.field_values): one table, in forms.py
OVERLAY_KEYS = OVERLAY_FIELDS


@dataclass(frozen=True)
class SheetRow:
    """One official sheet: a stored file (`ref`), for an insurer and kind, valid over a period."""

    ref: int
    insurer: str
    kind: SheetKind
    valid_from: date
    valid_to: date | None = None
    student_upload: bool = False


def sheet_for(rows: Iterable[SheetRow], kind: SheetKind, insurer: str, day: date) -> SheetRow | None:
    """The student's own sheet of this kind if they uploaded one, else the operator's sheet in force on `day`."""
    candidates = [r for r in rows if r.kind is kind and r.insurer.casefold() == insurer.casefold()]
    own = [r for r in candidates if r.student_upload]
    if own:
        return max(own, key=lambda r: r.ref)  # the latest upload
    return in_force((r for r in candidates if not r.student_upload), day)


def overlay_fields(values: Mapping[str, str]) -> dict[str, str]:
    """The overlay's keys from the field map's values, one line each (an address is written on its line)."""
    picked = {key: values.get(name, "") for key, name in OVERLAY_KEYS.items()}
    fields = {key: " ".join(value.split()) for key, value in picked.items() if value.strip()}
    if values.get(LIEN_ENFANT.name):  # law 54-23: the parent is the assuré, the student their child
        fields["lien_parente"] = ENFANT
    return fields


# claimkit's own drawings are never posted: at most one "guide de remplissage" per kind, for the three sheets whose
# public copies were seen (forms-research.md §1–3); the three invented layouts are no longer printed at all.
GUIDED = frozenset({FormId.MALADIE, FormId.DENTAIRE, FormId.ALD})


def guided(form: FormId, scheme: Scheme) -> bool:
    """A guide is printed for the CNOPS's three sheets only: claimkit drew them from the CNOPS's public copies, and
    a CNSS sheet (law 54-23) has its own layout, so a CNOPS drawing would mislead a parent filling it in."""
    return form in GUIDED and SCHEME_REGIME[scheme] == CNOPS


# Where a student gets the blank official sheet, per regime (docs/domain.md, "Official sheets and the student's
# part"): told on the page printed when no sheet is loaded. ⚠ The CNSS lines are assumptions until the decrees.
SHEET_SOURCES = {
    CNOPS: (
        N_("votre espace assuré sur le portail de la CNOPS, rubrique « feuilles personnalisées » (déjà à votre nom) ;"),
        N_("le site cnops.org.ma, page de téléchargement des imprimés (à imprimer en A4) ;"),
        N_("une librairie ou une papeterie (feuille vierge)."),
    ),
    CNSS: (
        N_("une agence de la CNSS, ou l'espace de téléchargement du site de la CNSS (à imprimer en A4) ;"),
        N_("l'employeur ou l'administration de votre parent ;"),
        N_("une librairie ou une papeterie (feuille vierge de la CNSS)."),
    ),
}


def sheet_sources(scheme: Scheme) -> tuple[str, ...]:
    """Where the sheet of the scheme's insurer is found: never the CNOPS's portal for a CNSS claim."""
    return SHEET_SOURCES[SCHEME_REGIME[scheme]]


def insurer_code(name: str) -> str:
    """ "CNOPS — Caisse nationale …" → "CNOPS": the key the sheets are loaded under (`--insurer CNOPS`)."""
    words = name.split("—")[0].split()
    return words[0].upper() if words else ""
