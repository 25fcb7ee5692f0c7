"""Dated reference data (insurer, rates, tariffs): seeded from the domain defaults, read by day."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from claimkit.adapters.db import reference_cache
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
    """The reference readers below answer from the per-process cache (adapters/db/reference_cache.py)."""
    return list(reference_cache.current(db).margins)


def holidays(db: Session) -> list[HolidayRow]:
    return list(reference_cache.current(db).holidays)


def rates(db: Session, regime: str = CNOPS) -> list[RateRow]:
    """The rate rows of one regime (domain.schemes: "cnops" for AMO-E, "cnss" after law 54-23's cut-over)."""
    return list(reference_cache.current(db).rates.get(regime, ()))


def tariffs(db: Session, regime: str = CNOPS) -> list[TariffRow]:
    return list(reference_cache.current(db).tariffs.get(regime, ()))


def insurer_on(db: Session, day: date, regime: str = CNOPS) -> InsurerRow | None:
    return in_force(reference_cache.current(db).insurers.get(regime, ()), day)


def config_day(db: Session, key: str) -> date | None:
    """A dated configuration value (`config_dates`: law 54-23's cut-over), or None while it is not set."""
    return reference_cache.current(db).config_days.get(key)
