"""Stored official sheets read back: which one an envelope carries, and a student's nudges of its values."""

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from claimkit.adapters.db.models import OfficialSheet, SheetOffset
from claimkit.domain.sheets import SheetKind, SheetRow, sheet_for


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


def offsets_of(db: Session, sheet_id: int) -> dict[str, tuple[int, int]]:
    """The student's nudges of a sheet's values: key → (dx, dy) in mm, dy down the page; zero ones left out."""
    rows = db.scalars(select(SheetOffset).where(SheetOffset.sheet_id == sheet_id))
    return {row.key: (row.dx_mm, row.dy_mm) for row in rows if row.dx_mm or row.dy_mm}
