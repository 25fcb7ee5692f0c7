"""A student's own official sheet on the phone: upload it for one claim (the personalised sheet of their CNOPS
account, or a scan), see it filled, nudge a misplaced value by 1 mm, remove it (docs/domain.md, "Official sheets
and the student's part").

- Upload checks the sheet as the packet will write it: a sheet on which a label of a value to write cannot be found
  is refused (SheetRefused names the label) and nothing is saved; the previous sheet of that kind stays.
- One own sheet per kind and claim: a new upload replaces the previous one (and its nudges).
- Nudges are kept per sheet and key, in whole mm, at most NUDGE_LIMIT_MM each way: a value further off than that
  means the label was misread, and the student should load a clearer copy.
"""

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimkit.adapters import official_forms, sheet_preview, storage
from claimkit.adapters.db import sheets
from claimkit.adapters.db.models import OfficialSheet, SheetOffset
from claimkit.adapters.db.ownership import NotFound, owned_sheet
from claimkit.domain.forms import FormId
from claimkit.domain.messages import N_, Message
from claimkit.domain.sheets import KIND_OF_FORM, SheetKind, overlay_fields
from claimkit.services import Clock, ServiceError, official_sheets, packets

NUDGE_LIMIT_MM = 15
MOVES = {"gauche": (-1, 0), "droite": (1, 0), "haut": (0, -1), "bas": (0, 1)}
MSG_TOO_FAR = N_(
    "Décalage limité à 15 mm : si la valeur est plus loin, l'étiquette a été mal lue ; chargez une copie plus nette."
)


@dataclass(frozen=True)
class KindView:
    """One form kind of the claim on the upload page: its form and the student's sheet for it, if any."""

    form: FormId
    kind: SheetKind
    sheet: OfficialSheet | None


@dataclass(frozen=True)
class Preview:
    """The filled sheet and what the preview page lists: each written value, its label, its box and its nudge."""

    sheet: OfficialSheet
    form: FormId
    filled: official_forms.Filled
    values: dict[str, str]
    offsets: dict[str, tuple[int, int]]
    printed: tuple[str, ...]  # labels whose value is already printed on the sheet (a personalised sheet)


def _fields_by_kind(
    db: Session, clock: Clock, user_id: int, claim_id: int
) -> dict[SheetKind, tuple[FormId, dict[str, str]]]:
    data = packets.packet_data(db, clock, user_id, claim_id)
    return {KIND_OF_FORM[form]: (form, overlay_fields(values)) for form, values in data.forms}


def _own_rows(db: Session, user_id: int, claim_id: int) -> list[OfficialSheet]:
    return list(
        db.scalars(
            select(OfficialSheet)
            .where(OfficialSheet.user_id == user_id, OfficialSheet.claim_id == claim_id)
            .order_by(OfficialSheet.id)
        )
    )


def kinds(db: Session, clock: Clock, user_id: int, claim_id: int) -> list[KindView]:
    """The claim's forms, each with the student's latest sheet of that kind (the one the packet carries)."""
    by_kind = _fields_by_kind(db, clock, user_id, claim_id)
    latest = {SheetKind(row.kind): row for row in _own_rows(db, user_id, claim_id)}
    return [KindView(form, kind, latest.get(kind)) for kind, (form, _f) in by_kind.items()]


def upload(
    db: Session, clock: Clock, root: Path, user_id: int, claim_id: int, kind: str, data: bytes, filename: str
) -> int:
    """Keeps the student's sheet of `kind` for the claim if the packet can write it; raises SheetRefused (nothing
    saved) when a label is missing or the file is not a readable PDF."""
    by_kind = _fields_by_kind(db, clock, user_id, claim_id)
    if kind not in {str(k) for k in by_kind}:
        raise NotFound
    sheet_kind = SheetKind(kind)
    if not data.startswith(b"%PDF-"):
        raise official_forms.SheetRefused(Message(official_forms.MSG_NOT_PDF))
    try:
        official_forms.fill(data, by_kind[sheet_kind][1])  # the packet's own writing: refused here, not at the post
    except official_forms.SheetRefused:
        raise
    except Exception:  # a PDF pypdf opens but pdfplumber or pdfium cannot read (truncated, odd objects): refused
        raise official_forms.SheetRefused(Message(official_forms.MSG_NOT_PDF)) from None
    previous = [row for row in _own_rows(db, user_id, claim_id) if row.kind == kind]
    sheet_id = official_sheets.upload_own(db, clock, root, user_id, claim_id, data, sheet_kind, filename)
    for row in previous:
        _delete(db, root, row)
    return sheet_id


def _delete(db: Session, root: Path, row: OfficialSheet) -> None:
    path = row.path
    for offset in db.scalars(select(SheetOffset).where(SheetOffset.sheet_id == row.id)):
        db.delete(offset)
    db.delete(row)
    db.commit()
    storage.remove(root, row.user_id or 0, Path(path).name)  # after the commit: a failed commit keeps the file


def remove(db: Session, root: Path, user_id: int, claim_id: int, sheet_id: int) -> None:
    _delete(db, root, owned_sheet(db, user_id, claim_id, sheet_id))


def preview(db: Session, clock: Clock, root: Path, user_id: int, claim_id: int, sheet_id: int) -> Preview:
    """The sheet written as the packet writes it, nudges applied (raises SheetRefused if the claim's values now
    need a label the sheet lacks)."""
    row = owned_sheet(db, user_id, claim_id, sheet_id)
    by_kind = _fields_by_kind(db, clock, user_id, claim_id)
    if SheetKind(row.kind) not in by_kind:  # the claim's kind changed since: this sheet is not carried
        raise NotFound
    form, fields = by_kind[SheetKind(row.kind)]
    offsets = sheets.offsets_of(db, row.id)
    filled = official_forms.fill(official_sheets.read(root, row), fields, offsets=offsets)
    written = {k: v for k, v in fields.items() if k in official_forms.KEYS}
    printed = tuple(official_forms.label_name(k) for k in written if k not in filled.boxes)
    return Preview(row, form, filled, written, offsets, printed)


def preview_png(preview: Preview, key: str = "") -> bytes:
    """The whole page, or the line of one written value, as PNG."""
    if key and key not in preview.filled.boxes:
        raise NotFound
    return sheet_preview.png(preview.filled, key)


def nudge(db: Session, user_id: int, claim_id: int, sheet_id: int, key: str, move: str) -> tuple[int, int]:
    """Moves one value by 1 mm (`move` in MOVES) or back to where claimkit put it ("remettre")."""
    row = owned_sheet(db, user_id, claim_id, sheet_id)
    if key not in official_forms.KEYS or (move not in MOVES and move != "remettre"):
        raise NotFound
    offset = db.scalar(select(SheetOffset).where(SheetOffset.sheet_id == row.id, SheetOffset.key == key))
    if offset is None:
        offset = SheetOffset(sheet_id=row.id, key=key, dx_mm=0, dy_mm=0)
        db.add(offset)
    if move == "remettre":
        offset.dx_mm = offset.dy_mm = 0
    else:
        dx, dy = offset.dx_mm + MOVES[move][0], offset.dy_mm + MOVES[move][1]
        if max(abs(dx), abs(dy)) > NUDGE_LIMIT_MM:
            db.rollback()
            raise ServiceError(MSG_TOO_FAR)
        offset.dx_mm, offset.dy_mm = dx, dy
    db.commit()
    return offset.dx_mm, offset.dy_mm
