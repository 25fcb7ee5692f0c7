"""Looking codes and names up in the medicines reference (the rows services/medicines.py imports)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from claimkit.adapters.db.models import Medicine


def known_barcodes(db: Session) -> frozenset[str]:
    """Every EAN-13 of the reference: a single read of one of them is confirmed (docs/domain.md#medicine-barcodes)."""
    return frozenset(code for code in db.scalars(select(Medicine.ean13)) if code)


def by_barcode(db: Session, ean13: str) -> Medicine | None:
    return db.scalar(select(Medicine).where(Medicine.ean13 == ean13)) if ean13 else None


def search(db: Session, text: str, limit: int = 10) -> list[Medicine]:
    pattern = f"%{text.strip().upper()}%"
    return list(db.scalars(select(Medicine).where(Medicine.name.like(pattern)).order_by(Medicine.name).limit(limit)))
