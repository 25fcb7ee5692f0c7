"""The insurer's official sheets: loaded by the operator (`flask forms add-official`), uploaded by a student for
one claim (their personalised sheet or a scan), and the one an envelope carries.

Files live under UPLOAD_DIR (so backups and account deletion already cover them): the operator's in
`official-sheets/<sha256>.pdf`, a student's in their own `user-<id>/` folder. See docs/domain.md, "Official sheets
and the student's part".
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from claimkit.adapters import official_forms, storage
from claimkit.adapters.db.models import OfficialSheet, SheetOffset
from claimkit.domain.messages import Message
from claimkit.domain.sheets import SheetKind, SheetRow, sheet_for
from claimkit.services import Clock
from claimkit.services.ownership import owned_claim

OPERATOR_DIR = "official-sheets"
MAX_SHEET_BYTES = 15 * 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    """What `add-official` reports: the row, and which assuré(e) labels were found on the sheet."""

    sheet_id: int
    labels: tuple[str, ...]
    missing: tuple[str, ...]


def _check(data: bytes) -> tuple[str, ...]:
    """Refuses what is not a readable PDF (SheetRefused); returns the assuré(e) labels found on it."""
    if not data or len(data) > MAX_SHEET_BYTES:
        raise official_forms.SheetRefused(Message(official_forms.MSG_NOT_PDF))
    return tuple(official_forms.slots(data))


def add_official(
    db: Session,
    clock: Clock,
    root: Path,
    data: bytes,
    *,
    kind: SheetKind,
    insurer: str,
    valid_from: date,
    valid_to: date | None = None,
    filename: str = "",
    source: str = "",
) -> Loaded:
    """Stores an insurer's blank sheet as a dated row (the sheet in force from `valid_from` for that insurer)."""
    found = _check(data)
    digest = hashlib.sha256(data).hexdigest()
    folder = root / OPERATOR_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{digest}.pdf").write_bytes(data)
    row = OfficialSheet(
        insurer=insurer.strip().upper(),
        kind=str(kind),
        valid_from=valid_from,
        valid_to=valid_to,
        path=f"{OPERATOR_DIR}/{digest}.pdf",
        sha256=digest,
        filename=filename[:200],
        source=source,
        created_at=clock(),
    )
    db.add(row)
    db.commit()
    keys = official_forms.KEYS
    return Loaded(row.id, tuple(k for k in keys if k in found), tuple(k for k in keys if k not in found))


def upload_own(
    db: Session, clock: Clock, root: Path, user_id: int, claim_id: int, data: bytes, kind: SheetKind, filename: str = ""
) -> int:
    """A student's own sheet for one claim (personalised sheet or scan): it wins over the operator's sheet."""
    claim = owned_claim(db, user_id, claim_id)
    _check(data)
    path = storage.save(root, user_id, data, ".pdf")
    row = OfficialSheet(
        insurer="",
        kind=str(kind),
        valid_from=clock().date(),
        path=str(path.relative_to(root)),
        sha256=hashlib.sha256(data).hexdigest(),
        filename=filename[:200],
        user_id=user_id,
        claim_id=claim.id,
        created_at=clock(),
    )
    db.add(row)
    db.commit()
    return row.id


def chosen(db: Session, kind: SheetKind, insurer: str, day: date, claim_id: int) -> OfficialSheet | None:
    """The sheet an envelope carries for `kind`: the student's own for this claim, else the insurer's in force on
    `day` (the claim's date of care); None when none is loaded."""
    rows = db.scalars(
        select(OfficialSheet).where(
            OfficialSheet.kind == str(kind),
            or_(OfficialSheet.claim_id == claim_id, OfficialSheet.claim_id.is_(None)),
        )
    ).all()
    by_id = {r.id: r for r in rows}
    pick = sheet_for(
        (
            SheetRow(r.id, r.insurer or insurer, SheetKind(r.kind), r.valid_from, r.valid_to, r.claim_id is not None)
            for r in rows
        ),
        kind,
        insurer,
        day,
    )
    return None if pick is None else by_id[pick.ref]


def read(root: Path, row: OfficialSheet) -> bytes:
    """The stored file of a sheet (b"" when it is gone: the caller treats it as no sheet)."""
    path = root / row.path
    return path.read_bytes() if path.is_file() else b""


def stored(root: Path, row: OfficialSheet) -> bool:
    """Whether the sheet's file is there (what `read` would return non-empty, without reading it)."""
    path = root / row.path
    return path.is_file() and path.stat().st_size > 0


def sheet_file(db: Session, root: Path, kind: SheetKind, insurer: str, day: date, claim_id: int) -> bytes | None:
    """The file of the `chosen` sheet; None when none is loaded."""
    row = chosen(db, kind, insurer, day, claim_id)
    return (read(root, row) or None) if row is not None else None


def offsets_of(db: Session, sheet_id: int) -> dict[str, tuple[int, int]]:
    """The student's nudges of a sheet's values: key → (dx, dy) in mm, dy down the page; zero ones left out."""
    rows = db.scalars(select(SheetOffset).where(SheetOffset.sheet_id == sheet_id))
    return {row.key: (row.dx_mm, row.dy_mm) for row in rows if row.dx_mm or row.dy_mm}
