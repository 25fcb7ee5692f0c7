"""A per-process cache of the dated reference rows, keyed by the `revisions` "reference" counter (issue 20).

Every claim page used to read the cut-over date, the posting margins, the holidays, the rates, the tariffs and the
insurer (twice) again: seven statements for rows that change only when an operator loads reference data. They are
read once per counter value instead, as frozen domain rows (never ORM rows bound to a session).

Why it is safe with several workers and machines: the key is the counter, not a time. Every change of a reference
row bumps it in the same transaction (adapters/db/revisions.py, at flush; `flask db-upgrade` after the migrations,
whose raw SQL the flush does not see; `flask restore` jumps it), and a request reads it afresh: in the same round
trip as the session+user query every signed-in page runs (services/accounts.user_for_session), or with one small
read when nothing brought it. A value read holds for the transaction that read it only; a transaction that bumped
the counter itself reads the rows directly (its own changes are not committed, so no other request may see them).
"""

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import TypeVar

from sqlalchemy import ScalarSelect, Select, event, select
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from claimkit.adapters.db.models import ConfigDate, Insurer, PostingMargin, PublicHoliday, RefundRate, Revision, Tariff
from claimkit.domain.insurer import InsurerRow
from claimkit.domain.posting import HolidayRow, MarginRow
from claimkit.domain.refunds import RateRow, TariffRow

REFERENCE = "reference"  # the counter's name (adapters/db/revisions.py bumps it)
KEPT = 4  # revisions kept: the current one, and a few a slow request may still hold
_CACHE = "claimkit.reference_cache"  # session.info keys: the factory's cache,
_SEEN = "claimkit.reference_seen"  # the counter as this transaction read it,
_CHANGED = "claimkit.reference_changed"  # and whether this transaction bumped it

Row = TypeVar("Row")


@dataclass(frozen=True)
class ReferenceData:
    """The reference rows of one counter value, per regime where they have one ("cnops", "cnss")."""

    revision: int
    config_days: Mapping[str, date]  # config_dates: law 54-23's cut-over
    margins: tuple[MarginRow, ...]
    holidays: tuple[HolidayRow, ...]
    rates: Mapping[str, tuple[RateRow, ...]]
    tariffs: Mapping[str, tuple[TariffRow, ...]]
    insurers: Mapping[str, tuple[InsurerRow, ...]]


def _by_regime(pairs: list[tuple[str, Row]]) -> Mapping[str, tuple[Row, ...]]:
    grouped: dict[str, list[Row]] = {}
    for regime, row in pairs:
        grouped.setdefault(regime, []).append(row)
    return MappingProxyType({regime: tuple(rows) for regime, rows in grouped.items()})


def build(db: Session, revision: int) -> ReferenceData:
    """Reads every reference table once (six statements) into frozen rows."""
    rates = [
        (r.regime, RateRow(r.basis, r.rate, r.valid_from, r.valid_to, r.source)) for r in db.scalars(select(RefundRate))
    ]
    tariffs = [
        (t.regime, TariffRow(t.act_type, t.amount, t.valid_from, t.valid_to, t.source))
        for t in db.scalars(select(Tariff))
    ]
    insurers = [
        (i.regime, InsurerRow(i.name, i.address, i.valid_from, i.valid_to, i.source))
        for i in db.scalars(select(Insurer))
    ]
    return ReferenceData(
        revision=revision,
        config_days=MappingProxyType({c.key: c.day for c in db.scalars(select(ConfigDate))}),
        margins=tuple(MarginRow(m.days, m.valid_from, m.valid_to, m.source) for m in db.scalars(select(PostingMargin))),
        holidays=tuple(HolidayRow(h.day, h.name, h.islamic, h.source) for h in db.scalars(select(PublicHoliday))),
        rates=_by_regime(rates),
        tariffs=_by_regime(tariffs),
        insurers=_by_regime(insurers),
    )


class ReferenceCache:
    """The last few `ReferenceData` by revision; one per session factory, i.e. per app (two apps on two databases,
    as in the tests, must never share one: their counters are unrelated). Locked: a threaded server shares it."""

    def __init__(self, kept: int = KEPT) -> None:
        self._kept = kept
        self._data: OrderedDict[int, ReferenceData] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0  # how many times the rows were read (tests, bench)

    def get(self, revision: int) -> ReferenceData | None:
        with self._lock:
            found = self._data.get(revision)
            if found is not None:
                self._data.move_to_end(revision)
            return found

    def put(self, data: ReferenceData) -> ReferenceData:
        with self._lock:
            self.builds += 1
            self._data[data.revision] = data
            self._data.move_to_end(data.revision)
            while len(self._data) > self._kept:
                self._data.popitem(last=False)
        return data


def _counter() -> Select[int]:
    return select(Revision.value).where(Revision.name == REFERENCE)


def counter() -> ScalarSelect[int]:
    """The counter as a scalar subquery, to add to a statement the request runs anyway (one round trip)."""
    return _counter().scalar_subquery()


def seen(db: Session, revision: int | None) -> None:
    """Records the counter a statement of the current transaction read (None: no counter row, a bare database)."""
    if not db.info.get(_CHANGED):
        db.info[_SEEN] = revision or 0


def changed(db: Session) -> None:
    """This transaction bumped the counter: its own reference reads bypass the cache until it ends."""
    db.info[_CHANGED] = True
    db.info.pop(_SEEN, None)


def revision(db: Session) -> int:
    """The counter this transaction's reference reads use (`current`): the one the session query brought, else read
    once and kept for the transaction. A key made of it names exactly the rows the page was drawn from (a counter
    read again could be newer than the rows `current` serves). -1 once the transaction bumped it itself."""
    if db.info.get(_CHANGED):
        return -1
    found: int | None = db.info.get(_SEEN)
    if found is None:
        found = db.scalar(_counter()) or 0
        db.info[_SEEN] = found
    return found


def current(db: Session) -> ReferenceData:
    """The reference rows as of the counter this transaction sees: from the cache, else read and kept."""
    if db.autoflush:
        db.flush()  # what a query's autoflush did before the cache: this session's pending rows count (cheap if clean)
    cache: ReferenceCache | None = db.info.get(_CACHE)
    if cache is None or db.info.get(_CHANGED):
        return build(db, -1)  # a session from another factory, or uncommitted reference changes of its own
    revision = db.info.get(_SEEN)
    if revision is None:
        revision = db.scalar(_counter()) or 0
        db.info[_SEEN] = revision
    return cache.get(revision) or cache.put(build(db, revision))


def _forget(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the outermost transaction: a later one may see another counter
        session.info.pop(_SEEN, None)
        session.info.pop(_CHANGED, None)


def install(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Gives every session of the factory one shared cache, and forgets the counter read at each transaction's end."""
    info = dict(factory.kw.get("info") or {})
    info[_CACHE] = ReferenceCache()
    factory.configure(info=info)
    event.listen(factory, "after_transaction_end", _forget)
    return factory


def cache_of(factory: sessionmaker[Session]) -> ReferenceCache:
    """The factory's cache (tests and the bench count its builds)."""
    cache: ReferenceCache = factory.kw["info"][_CACHE]
    return cache
