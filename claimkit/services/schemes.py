"""Law 54-23 use cases: the cut-over date row, and the scheme, insurer and reference rows of a claim.

The cut-over is a dated configuration row (`config_dates`), absent until the operator sets it with
`flask scheme cutover AAAA-MM-JJ`; while it is absent every claim is AMO-E (CNOPS) exactly as before
(docs/domain.md#law-54-23-and-the-schemes).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlalchemy.orm import Session

from claimkit.adapters.db import models as db_models
from claimkit.adapters.db import reference
from claimkit.domain import claims as domain
from claimkit.domain.insurer import InsurerRow
from claimkit.domain.refunds import RateRow, TariffRow
from claimkit.domain.schemes import CUTOVER_KEY, SCHEME_REGIME, Scheme, scheme_on
from claimkit.services import Clock


def cutover(db: Session) -> date | None:
    """Law 54-23's cut-over day, or None while the texts have not fixed it (from the reference cache: the dashboard
    and every claim page read it)."""
    return reference.config_day(db, CUTOVER_KEY)


def set_cutover(db: Session, clock: Clock, day: date | None, source: str = "") -> None:
    """Sets (or, with None, removes) the cut-over day. Claims already sent keep the scheme frozen on them."""
    row = db.get(db_models.ConfigDate, CUTOVER_KEY)
    if day is None:
        if row is not None:
            db.delete(row)
    elif row is None:
        db.add(db_models.ConfigDate(key=CUTOVER_KEY, day=day, source=source, set_at=clock()))
    else:
        row.day, row.source, row.set_at = day, source or row.source, clock()
    forget_open_summaries(db)
    db.commit()


def forget_open_summaries(db: Session) -> None:
    """The dashboard's stored figures of the claims not sent yet are recomputed (their scheme, hence their rates,
    may have changed); sent claims keep theirs, as they keep their scheme."""
    db.execute(
        update(db_models.Claim).where(db_models.Claim.scheme == "").values(estimate_total=None, pieces_required=None)
    )


def care_day(facts: domain.Claim, today: date) -> date:
    """The date that picks the scheme: the first act (or the start of a continuous treatment), else today."""
    days = [d for d in (facts.first_act_date, facts.treatment.start if facts.treatment else None) if d]
    return min(days, default=today)


def claim_scheme(
    row: db_models.Claim, facts: domain.Claim, student: domain.Student, switch: date | None, today: date
) -> Scheme:
    """A sent claim keeps the scheme it was sent under; an open one follows its date of care."""
    if row.scheme:
        return Scheme(row.scheme)
    return scheme_on(care_day(facts, today), switch, student.parent)


@dataclass(frozen=True)
class SchemeRows:
    """The scheme of one claim and the dated rows of its regime."""

    scheme: Scheme
    rates: list[RateRow]
    tariffs: list[TariffRow]

    @property
    def regime(self) -> str:
        return SCHEME_REGIME[self.scheme]


def rows_for(db: Session, scheme: Scheme) -> SchemeRows:
    regime = SCHEME_REGIME[scheme]
    return SchemeRows(scheme, reference.rates(db, regime), reference.tariffs(db, regime))


def insurer_for(db: Session, scheme: Scheme, day: date) -> InsurerRow | None:
    """The insurer in force on `day` in the scheme's regime (the CNSS's address after the cut-over)."""
    return reference.insurer_on(db, day, SCHEME_REGIME[scheme])
