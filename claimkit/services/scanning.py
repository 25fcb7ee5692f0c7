"""From a photo (or typed digits) to a medicine the student confirms before it joins the claim.

A valid check digit is not proof (DOMAIN.md: decoders return wrong codes with valid check digits in a few
percent of photos), so nothing is added here: the page shows the name and the digits for the student to check.
A read that is not confirmed (one read of a code outside the reference) is shown as digits to compare with the
box, never as the medicine found (docs/domain.md#medicine-barcodes).
Photos are never stored: the bytes are decoded in the worker process and dropped with the request.
"""

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from claimkit.adapters.scan_worker import ScanWorker
from claimkit.domain.barcodes import Scan, Symbology
from claimkit.domain.identifiers import ean13_problem
from claimkit.domain.refunds import medicine_refund
from claimkit.services import ServiceError, medicines, reference
from claimkit.services.ownership import owned_claim


@dataclass(frozen=True)
class Found:
    scan: Scan
    name: str | None  # None: not in the reference, the student types the name and price
    presentation: str
    ppv: Decimal | None
    pbr: Decimal | None
    refund: Decimal | None

    @property
    def digits(self) -> str:
        """The code grouped as printed under the bars (1 + 6 + 6), for checking digit by digit."""
        code = self.scan.gtin
        return f"{code[0]} {code[1:7]} {code[7:]}" if len(code) == 13 else code


def _medicine_rate(db: Session) -> Decimal:
    return next((r.rate for r in reference.rates(db) if r.basis == "medicaments"), Decimal("0"))


def look_up(db: Session, scans: list[Scan]) -> list[Found]:
    rate = _medicine_rate(db)
    found = []
    for scan in scans:
        medicine = medicines.by_barcode(db, scan.ean13 or "")
        if medicine is None:
            found.append(Found(scan, None, "", None, None, None))
        else:
            refund = medicine_refund(rate, medicine.ppv, medicine.pbr, 1)
            found.append(Found(scan, medicine.name, medicine.presentation, medicine.ppv, medicine.pbr, refund))
    return found


def scan_photo(db: Session, worker: ScanWorker, user_id: int, claim_id: int, data: bytes) -> list[Found]:
    owned_claim(db, user_id, claim_id)
    return look_up(db, worker.scan(data, known=medicines.known_barcodes(db), owner=user_id))


def typed_code(db: Session, user_id: int, claim_id: int, code: str) -> list[Found]:
    owned_claim(db, user_id, claim_id)
    digits = code.replace(" ", "")
    if problem := ean13_problem(digits):
        raise ServiceError(problem)
    return look_up(db, [Scan(digits, Symbology.EAN13, confirmed=True)])  # the student read them off the box
