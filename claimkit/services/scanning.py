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

from claimkit.adapters.db import medicines, reference
from claimkit.adapters.db import models as db_models
from claimkit.adapters.db.mappers import to_domain
from claimkit.adapters.db.ownership import owned_claim
from claimkit.adapters.scan_worker import ScanWorker
from claimkit.domain.barcodes import Scan, Symbology
from claimkit.domain.claims import MedicineLine
from claimkit.domain.deadlines import local_today
from claimkit.domain.identifiers import ean13_problem
from claimkit.domain.refunds import EstimateLine, medicine_estimate
from claimkit.services import Clock, ServiceError


@dataclass(frozen=True)
class Found:
    scan: Scan
    name: str | None  # None: not in the reference, the student types the name and price
    presentation: str
    ppv: Decimal | None
    pbr: Decimal | None
    estimate: EstimateLine | None  # one box, by the claim's own estimator; None: not in the reference
    detail: str = ""  # strength and DCI from the reference (MedicineLine.detail)

    @property
    def digits(self) -> str:
        """The code grouped as printed under the bars (1 + 6 + 6), for checking digit by digit."""
        code = self.scan.gtin
        return f"{code[0]} {code[1:7]} {code[7:]}" if len(code) == 13 else code


def look_up(db: Session, clock: Clock, claim: db_models.Claim, scans: list[Scan]) -> list[Found]:
    """Each box as it would be estimated in THIS claim: same estimator, same ALD accord, same date of care as the
    claim page and the packet (docs/domain.md#refund-estimate)."""
    facts, rates = to_domain(claim), reference.rates(db)
    bought_on = facts.medicines_on or local_today(clock())
    found = []
    for scan in scans:
        medicine = medicines.by_barcode(db, scan.ean13 or "")
        if medicine is None:
            found.append(Found(scan, None, "", None, None, None))
        else:
            box = MedicineLine(
                medicine.name,
                1,
                medicine.ean13,
                medicine.ppv,
                medicine.pbr,
                medicine.rate_percent,
                medicine.dci,
                medicine.dosage,
            )
            estimate = medicine_estimate(facts, box, rates, bought_on)
            found.append(
                Found(scan, medicine.name, medicine.presentation, medicine.ppv, medicine.pbr, estimate, box.detail)
            )
    return found


def scan_photo(db: Session, clock: Clock, worker: ScanWorker, user_id: int, claim_id: int, data: bytes) -> list[Found]:
    claim = owned_claim(db, user_id, claim_id)
    return look_up(db, clock, claim, worker.scan(data, known=medicines.known_barcodes(db), owner=user_id))


def typed_code(db: Session, clock: Clock, user_id: int, claim_id: int, code: str) -> list[Found]:
    claim = owned_claim(db, user_id, claim_id)
    digits = code.replace(" ", "")
    if problem := ean13_problem(digits):
        raise ServiceError(problem)
    # the student read them off the box
    return look_up(db, clock, claim, [Scan(digits, Symbology.EAN13, confirmed=True)])
