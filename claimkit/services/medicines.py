"""The medicines reference: load the bundled snapshot on first run, import newer lists, look codes up."""

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimkit.adapters.db.models import Medicine, MedicinePrice
from claimkit.adapters.package_data import package_path
from claimkit.domain.medicines import MedicineRef, RowProblem, missing_columns, parse_rows
from claimkit.domain.messages import N_
from claimkit.services import ServiceError

SNAPSHOT = package_path("data", "medicines_ma.csv")
SNAPSHOT_DATE = date(2025, 11, 1)
SNAPSHOT_SOURCE = "Taawidaty (bentalba2/taawidaty-app), instantané de novembre 2025, licence MIT"


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[RowProblem] = field(default_factory=list)


def read_csv(path: Path) -> Iterable[tuple[int, Mapping[str, str | None]]]:
    """Rows with the line number a spreadsheet shows (quoted cells may span several lines)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if problems := missing_columns(reader.fieldnames or []):
            raise ServiceError(N_("Colonnes manquantes : %(cols)s."), {"cols": ", ".join(problems)})
        start = reader.line_num + 1
        for row in reader:
            yield start, row
            start = reader.line_num + 1


def _apply(row: Medicine, ref: MedicineRef) -> None:
    for name in ("ean13", "name", "dci", "dosage", "forme", "presentation", "ppv", "pbr", "rate_percent", "type"):
        setattr(row, name, getattr(ref, name))
    row.classe = ref.classe


def import_reference(
    db: Session, rows: Iterable[tuple[int, Mapping[str, str | None]]], as_of: date, source: str
) -> ImportReport:
    """Idempotent upsert: importing the same list twice changes nothing; a changed price is dated."""
    refs, problems = parse_rows(rows)
    report = ImportReport(refused=problems)
    existing = {m.ref_key: m for m in db.scalars(select(Medicine))}
    for ref in refs:
        row = existing.get(ref.key)
        if row is None:
            row = Medicine(ref_key=ref.key, prices_as_of=as_of, source=source)
            _apply(row, ref)
            db.add(row)
            db.flush()
            db.add(MedicinePrice(medicine_id=row.id, valid_from=as_of, ppv=ref.ppv, pbr=ref.pbr, source=source))
            report.added += 1
        elif (row.ppv, row.pbr, row.name, row.presentation) == (ref.ppv, ref.pbr, ref.name, ref.presentation):
            report.unchanged += 1
        else:
            if (row.ppv, row.pbr) != (ref.ppv, ref.pbr):
                db.add(MedicinePrice(medicine_id=row.id, valid_from=as_of, ppv=ref.ppv, pbr=ref.pbr, source=source))
            _apply(row, ref)
            row.prices_as_of, row.source = as_of, source
            report.updated += 1
    db.commit()
    return report


def seed_snapshot(db: Session) -> ImportReport | None:
    """Loads the bundled snapshot when the reference is empty, so a new user scans a real box on day one."""
    if db.scalar(select(func.count()).select_from(Medicine)):
        return None
    return import_reference(db, read_csv(SNAPSHOT), SNAPSHOT_DATE, SNAPSHOT_SOURCE)
