"""Content revisions, bumped at flush time: what the packet's ETag and the cached pages are keyed on
(services/packet_cache.py, services/page_keys.py, issue 20).

Why at flush and not in each use case: a packet shows the claim and every row of it, the student's account,
profile and registration, and the dated reference data; a use case that forgets one bump would serve a stale
packet with a 304. A `before_flush` listener on the session factory sees every ORM change instead:
- a claim, or a row that belongs to one (act, medicine line, tick, photo, payment, event, the student's own
  sheet and its nudges) → `claims.revision + 1` for that claim;
- the account, its profile, its registration or its law 54-23 notices (the dashboard's banner, dismissed or not)
  → `users.revision + 1`;
- reference rows (insurers, rates, tariffs, margins, holidays, scheme dates, medicines, prices, an insurer's
  sheet) → the "reference" row of `revisions` + 1.
Each bump is one `UPDATE … SET revision = revision + 1` in the flush's transaction, so two concurrent changes
never end on the same number; a counter is bumped once per transaction, at the first flush that changes it
(later flushes of the same transaction commit with it, and the row lock the UPDATE took keeps any other writer
waiting until then): a use case that flushes three times pays one UPDATE, not three. A savepoint's end forgets
what was bumped (its rollback may have undone the UPDATE), so the next flush bumps again.
Core statements (`update(...)`) bypass it: none of them changes packet content (sessions, throttles, outbox,
the optimistic-lock `version`) except `schemes.set_cutover`'s, which goes with a ConfigDate change and so bumps
"reference" anyway. A row changed that does not alter the packet (a reminder) is
not listed; one listed that does not alter it only costs one rebuild.
"""

import functools
import secrets
from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    ScalarSelect,
    String,
    Table,
    event,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy import cast as cast_sql
from sqlalchemy.orm import InstrumentedAttribute, Session, SessionTransaction, UOWTransaction, sessionmaker

from claimkit.adapters.db import models as m
from claimkit.adapters.db import reference_cache
from claimkit.adapters.db.ownership import NotFound

REFERENCE = reference_cache.REFERENCE
_CLAIM_ROWS = (m.Act, m.MedicineLine, m.ChecklistTick, m.ChecklistPhoto, m.Payment, m.ClaimEvent)
_USER_ROWS = (m.Profile, m.Registration, m.SchemeNotice)
_REFERENCE_ROWS = (
    m.Insurer,
    m.RefundRate,
    m.Tariff,
    m.PostingMargin,
    m.PublicHoliday,
    m.ConfigDate,
    m.Medicine,
    m.MedicinePrice,
)
_PENDING = "claimkit.revisions"  # session.info key: what the flush about to run changes
_BUMPED = "claimkit.revisions.bumped"  # session.info key: what this transaction has bumped already
_SEEN = "claimkit.revisions.seen"  # session.info key: the page key's revisions the session query read


def _changed(session: Session) -> Iterable[Any]:
    yield from session.new
    yield from (row for row in session.dirty if session.is_modified(row))
    yield from session.deleted


def _collect(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    claims: set[int | None] = set()  # None: a row not inserted yet (a new claim starts at revision 1)
    users: set[int | None] = set()
    sheets: set[int | None] = set()
    reference = False
    for row in _changed(session):
        if isinstance(row, m.Claim | m.User):
            (claims if isinstance(row, m.Claim) else users).add(row.id)
        elif isinstance(row, _CLAIM_ROWS):
            claims.add(row.claim_id)
        elif isinstance(row, _USER_ROWS):
            users.add(row.user_id)
        elif isinstance(row, m.SheetOffset):
            sheets.add(row.sheet_id)
        elif isinstance(row, m.OfficialSheet) and row.user_id is not None:
            claims.add(row.claim_id)  # the student's own sheet of one claim
        elif isinstance(row, (*_REFERENCE_ROWS, m.OfficialSheet)):
            reference = True
    done = session.info.setdefault(_BUMPED, [set(), set(), False])
    pending = session.info.setdefault(_PENDING, [set(), set(), set(), False])
    pending[0] |= _fold(session, m.Claim, claims - {None} - done[0], done[0])
    pending[1] |= _fold(session, m.User, users - {None} - done[1], done[1])
    pending[2] |= sheets - {None}
    pending[3] = pending[3] or reference


def _fold(
    session: Session, model: type[m.Claim | m.User], ids: set[int | None], done: set[int | None]
) -> set[int | None]:
    """Rows held by this session get `revision = revision + 1` as one more column of the UPDATE the flush writes
    anyway (a use case changes the claim's own columns too: its deadline, its figures); returns the ids left
    for `_bump`'s UPDATE (rows not loaded, e.g. a photo's claim). The flush expires the attribute after."""
    left = set()
    for id_ in ids:
        row = session.identity_map.get(session.identity_key(model, id_))
        if row is None or row in session.deleted:
            left.add(id_)
        else:
            row.revision = model.revision + 1
            done.add(id_)
    return left


def _bump(session: Session, _flush: UOWTransaction) -> None:
    claims, users, sheets, reference = session.info.pop(_PENDING, [set(), set(), set(), False])
    done = session.info.setdefault(_BUMPED, [set(), set(), False])
    users -= done[1]
    reference = reference and not done[2]
    if not (claims - done[0] or users or sheets or reference):
        return
    session.info.pop(_SEEN, None)  # no longer what the database holds
    conn = session.connection()
    if sheets:
        sheet = cast(Table, m.OfficialSheet.__table__)
        claims |= {c for c in conn.scalars(select(sheet.c.claim_id).where(sheet.c.id.in_(sheets))) if c is not None}
    claims -= done[0]
    done[0] |= claims
    done[1] |= users
    done[2] = done[2] or reference
    claim, user = (cast(Table, model.__table__) for model in (m.Claim, m.User))
    if claims:
        conn.execute(update(claim).where(claim.c.id.in_(claims)).values(revision=claim.c.revision + 1))
    if users:
        conn.execute(update(user).where(user.c.id.in_(users)).values(revision=user.c.revision + 1))
    if reference:
        bump_reference(conn)
        reference_cache.changed(session)  # its reads bypass the cache until this transaction ends
    # What this session holds in memory is now behind the database: read it again when asked.
    for row in list(session.identity_map.values()):
        if (isinstance(row, m.Claim) and row.id in claims) or (isinstance(row, m.User) and row.id in users):
            session.expire(row, ["revision"])


def _forget(session: Session, transaction: SessionTransaction) -> None:
    """The transaction (or a savepoint) ended: what it bumped is no longer this session's to skip."""
    if transaction.parent is None or transaction.nested:
        session.info.pop(_BUMPED, None)


def bump_reference(conn: Connection) -> None:
    """The "reference" counter + 1, in the caller's transaction: at a flush that changes reference rows, and after
    the migrations (migrations/env.py), whose raw SQL inserts and updates no flush sees: the workers' cached
    reference rows (adapters/db/reference_cache.py) are read again on their next request."""
    counter = cast(Table, m.Revision.__table__)
    bumped = conn.execute(update(counter).where(counter.c.name == REFERENCE).values(value=counter.c.value + 1))
    if not bumped.rowcount:  # a database made without migration 0021's row
        conn.execute(counter.insert().values(name=REFERENCE, value=2))


def new_epoch(db: Session) -> None:
    """After a restore the counters go back to the backup's values, and new changes would reach numbers that
    named other content before: browsers holding those ETags would get a stale 304. A random jump of the
    reference counter (part of every packet's key) makes every later key new (`flask restore`)."""
    if not inspect(db.get_bind()).has_table("revisions"):
        return  # a backup from before migration 0021: `flask db-upgrade` creates the counter afterwards
    counter = cast(Table, m.Revision.__table__)
    jump = secrets.randbelow(2**30) + 1  # added in 64 bits, kept below 2**31 (an INTEGER column)
    moved = (cast_sql(counter.c.value, BigInteger) + jump) % 2**31
    bumped = db.execute(update(counter).where(counter.c.name == REFERENCE).values(value=moved))
    if not bumped.rowcount:  # type: ignore[attr-defined]
        db.execute(counter.insert().values(name=REFERENCE, value=jump))
    db.commit()


def packet_revisions(db: Session, user_id: int, claim_id: int) -> tuple[int, int, int, str]:
    """(claim's revision, student's revision, reference revision, student's language) in one indexed read; raises
    NotFound for another student's claim or one in the corbeille, like every claim page."""
    claim, user, counter = m.Claim, m.User, m.Revision
    reference = select(counter.value).where(counter.name == REFERENCE).scalar_subquery()
    found = db.execute(
        select(claim.revision, user.revision, reference, user.locale)
        .join(user, user.id == claim.user_id)
        .where(claim.id == claim_id, claim.user_id == user_id, claim.deleted_at.is_(None))
    ).first()
    if found is None:
        raise NotFound
    return found[0], found[1], found[2] or 0, found[3]


def claims_fingerprint(user_id: ColumnElement[int] | InstrumentedAttribute[int]) -> ScalarSelect[str]:
    """What a cached dashboard or claim page knows of the student's claims (services/page_keys.py), as one value:
    "count:highest id:sum of revision + version" over every claim of theirs, in the corbeille too. Every claim, not
    only the one shown: the claim page draws the practitioners of the other claims, the dashboard all their cards.

    Why three numbers are enough: ids are never reused (AUTOINCREMENT, sequences), so a new claim raises the highest
    id for good and a purge alone lowers the count: the same count and highest id mean the same claims. On the same
    claims the sum only grows, as `revision` (bumped at every flush that changes a claim or its rows) and `version`
    (the optimistic lock every form carries, bumped by the guard's Core UPDATE) only grow: the same sum means no
    change. A scalar subquery, so that it rides on the session query every signed-in page runs anyway."""
    claim = m.Claim
    as_text = functools.partial(cast_sql, type_=String)
    value = as_text(func.count()) + ":" + as_text(func.coalesce(func.max(claim.id), 0))
    value = value + ":" + as_text(func.coalesce(func.sum(claim.revision + claim.version), 0))
    return select(value).where(claim.user_id == user_id).scalar_subquery()


def seen(db: Session, user_id: int, user_revision: int, claims: str) -> None:
    """Records what the session query read for the page key, for the first `page_revisions` of the request."""
    db.info[_SEEN] = (user_id, user_revision, claims)


def page_revisions(db: Session, user_id: int) -> tuple[int, str]:
    """(the student's revision, `claims_fingerprint`): what a cached page is keyed on. The first call of a request
    takes what its session query brought (`seen`); any later one reads again (web/page_cache.py checks the key
    once more after drawing a page, to never keep newer HTML under an older key). (0, "") for an account that no
    longer exists."""
    kept = db.info.pop(_SEEN, None)
    if kept is not None and kept[0] == user_id:
        return kept[1], kept[2]
    user = m.User
    found = db.execute(select(user.revision, claims_fingerprint(user.id)).where(user.id == user_id)).first()
    return (0, "") if found is None else (found[0], found[1])


def track(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Installs the bumps on every session the factory makes (sessions bound to a given connection too)."""
    event.listen(factory, "before_flush", _collect)
    event.listen(factory, "after_flush_postexec", _bump)
    event.listen(factory, "after_transaction_end", _forget)
    return factory
