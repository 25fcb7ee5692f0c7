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

from sqlalchemy.orm import Session

from claimkit.adapters import official_forms, storage
from claimkit.adapters.db import sheets
from claimkit.adapters.db.models import OfficialSheet
from claimkit.adapters.db.ownership import owned_claim
from claimkit.domain import limits
from claimkit.domain.messages import Message
from claimkit.domain.sheets import SheetKind
from claimkit.services import Clock

OPERATOR_DIR = "official-sheets"


@dataclass(frozen=True)
class Loaded:
    """What `add-official` reports: the row, and which assuré(e) labels were found on the sheet."""

    sheet_id: int
    labels: tuple[str, ...]
    missing: tuple[str, ...]


def _check(data: bytes) -> tuple[str, ...]:
    """Refuses what is not a readable PDF (SheetRefused); returns the assuré(e) labels found on it."""
    if not data or len(data) > limits.SHEET_BYTES:
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


def read(root: Path, row: OfficialSheet) -> bytes:
    """The stored file of a sheet (b"" when it is gone: the caller treats it as no sheet)."""
    path = root / row.path
    return path.read_bytes() if path.is_file() else b""


def sheet_file(db: Session, root: Path, kind: SheetKind, insurer: str, day: date, claim_id: int) -> bytes | None:
    """The file of the `chosen` sheet; None when none is loaded."""
    row = sheets.chosen(db, kind, insurer, day, claim_id)
    return (read(root, row) or None) if row is not None else None
