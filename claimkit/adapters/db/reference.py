"""Dated reference data (insurer, rates, tariffs): seeded from the domain defaults, read by day."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimkit.adapters.db.models import Insurer, PostingMargin, PublicHoliday, RefundRate, Tariff
from claimkit.domain.dated import in_force
from claimkit.domain.insurer import DEFAULT_INSURERS, InsurerRow
from claimkit.domain.posting import DEFAULT_HOLIDAYS, DEFAULT_MARGINS, HolidayRow, MarginRow
from claimkit.domain.refunds import DEFAULT_RATES, DEFAULT_TARIFFS, RateRow, TariffRow
from claimkit.domain.schemes import CNOPS


def seed_defaults(db: Session) -> None:
    """Fills each empty table once, and adds the default rates of a basis that has no row yet (a new basis such
    as the ALD private-sector rate reaches existing databases); rows an operator edited are never overwritten."""
    if not db.scalar(select(func.count()).select_from(Insurer)):
        db.add_all(
            Insurer(name=r.name, address=r.address, valid_from=r.valid_from, valid_to=r.valid_to, source=r.source)
            for r in DEFAULT_INSURERS
        )
    known = set(db.scalars(select(RefundRate.basis).distinct()))
    db.add_all(
        RefundRate(basis=r.basis, rate=r.rate, valid_from=r.valid_from, valid_to=r.valid_to, source=r.source)
        for r in DEFAULT_RATES
        if r.basis not in known
    )
    if not db.scalar(select(func.count()).select_from(Tariff)):
        db.add_all(
            Tariff(
                act_type=str(r.act_type), amount=r.amount, valid_from=r.valid_from, valid_to=r.valid_to, source=r.source
            )
            for r in DEFAULT_TARIFFS
        )
    if not db.scalar(select(func.count()).select_from(PostingMargin)):
        db.add_all(
            PostingMargin(days=m.days, valid_from=m.valid_from, valid_to=m.valid_to, source=m.source)
            for m in DEFAULT_MARGINS
        )
    if not db.scalar(select(func.count()).select_from(PublicHoliday)):
        db.add_all(PublicHoliday(day=h.day, name=h.name, islamic=h.islamic, source=h.source) for h in DEFAULT_HOLIDAYS)
    db.commit()


def margins(db: Session) -> list[MarginRow]:
    return [MarginRow(m.days, m.valid_from, m.valid_to, m.source) for m in db.scalars(select(PostingMargin))]


def holidays(db: Session) -> list[HolidayRow]:
    return [HolidayRow(h.day, h.name, h.islamic, h.source) for h in db.scalars(select(PublicHoliday))]


def rates(db: Session, regime: str = CNOPS) -> list[RateRow]:
    """The rate rows of one regime (domain.schemes: "cnops" for AMO-E, "cnss" after law 54-23's cut-over)."""
    query = select(RefundRate).where(RefundRate.regime == regime)
    return [RateRow(r.basis, r.rate, r.valid_from, r.valid_to, r.source) for r in db.scalars(query)]


def tariffs(db: Session, regime: str = CNOPS) -> list[TariffRow]:
    query = select(Tariff).where(Tariff.regime == regime)
    return [TariffRow(t.act_type, t.amount, t.valid_from, t.valid_to, t.source) for t in db.scalars(query)]


def insurer_on(db: Session, day: date, regime: str = CNOPS) -> InsurerRow | None:
    query = select(Insurer).where(Insurer.regime == regime)
    rows = [InsurerRow(i.name, i.address, i.valid_from, i.valid_to, i.source) for i in db.scalars(query)]
    return in_force(rows, day)
