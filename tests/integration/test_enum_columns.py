"""The domain enums mapped on their VARCHAR columns (issue 21, adapters/db/models.stored_as_value), on the real
database (SQLite here, PostgreSQL under scripts/with-postgres): a value outside the enum is refused at flush by the
ORM and by a Core UPDATE alike, rows come back as enum members, and what is stored is the plain value."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text, update
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from claimkit.adapters.db import migrate
from claimkit.adapters.db.engine import make_engine
from claimkit.adapters.db.models import Claim, Payment, Profile, Reminder, User
from claimkit.domain.claims import ClaimKind, ClaimState, PayoutMethod
from claimkit.domain.languages import Language
from claimkit.domain.reminders import ReminderStatus
from tests.integration.test_ids_not_reused import _insert

NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def _user(db: Session, **columns: object) -> User:
    user = User(email="enum@example.ma", password_hash="x", created_at=NOW, health_data_consent_at=NOW, **columns)
    db.add(user)
    db.flush()
    return user


def _claim(db: Session, user: User, **columns: object) -> Claim:
    claim = Claim(user_id=user.id, created_at=NOW, updated_at=NOW, **{"kind": ClaimKind.MALADIE, **columns})
    db.add(claim)
    db.flush()
    return claim


@pytest.mark.parametrize(
    ("make", "column"),
    [
        (lambda db, user: _claim(db, user, kind="maladies"), "kind"),
        (lambda db, user: _claim(db, user, state="payee"), "state"),
        (lambda db, user: _claim(db, user, state="PRETE"), "state"),  # the member's name is not its value
        (
            lambda db, user: db.add(
                Payment(
                    claim_id=_claim(db, user).id, paid_on=NOW.date(), amount=Decimal(1), method="cheque", created_at=NOW
                )
            ),
            "method",
        ),
        (lambda db, user: db.add(Reminder(days_before=0, due_at=NOW, status="lost")), "status"),
    ],
)
def test_a_value_outside_the_enum_is_refused_at_flush(engine: Engine, make: object, column: str) -> None:
    with Session(engine) as db:
        user = _user(db)
        with pytest.raises(StatementError, match="is not among the defined enum values") as refused:
            make(db, user)  # type: ignore[operator]
            db.flush()
        assert column in str(refused.value.statement)
        db.rollback()
        assert db.scalar(text("SELECT count(*) FROM claims")) == 0


def test_a_wrong_language_and_payout_method_are_refused_too(engine: Engine) -> None:
    with Session(engine) as db:
        with pytest.raises(StatementError):
            _user(db, locale="en")
        db.rollback()
        user = _user(db, locale=Language.AR)
        db.add(Profile(user_id=user.id, nom="A", prenom="B", cnie="AB123456", payout_method="cash", updated_at=NOW))
        with pytest.raises(StatementError):
            db.flush()


def test_a_core_update_goes_through_the_same_type(engine: Engine) -> None:
    """The reminder sender records outcomes with Core UPDATEs (services/reminders._finish): refused the same way."""
    with Session(engine) as db:
        db.add(Reminder(days_before=0, due_at=NOW))
        db.commit()
        with pytest.raises(StatementError):
            db.execute(update(Reminder.__table__).values(status="delivered"))
        db.rollback()
        db.execute(update(Reminder.__table__).values(status=ReminderStatus.SENT))
        db.commit()
        assert db.scalar(text("SELECT status FROM reminders")) == "sent"


def test_rows_come_back_as_members_and_are_stored_as_plain_values(engine: Engine) -> None:
    with Session(engine) as db:
        user = _user(db, locale=Language.AR)
        claim = _claim(db, user, kind=ClaimKind.DENTAIRE, state=ClaimState.PRETE)
        db.add(Payment(claim_id=claim.id, paid_on=NOW.date(), amount=Decimal(1), method="mandat", created_at=NOW))
        db.add(Reminder(claim_id=claim.id, days_before=2, due_at=NOW))  # the default status
        db.commit()
        stored = db.execute(
            text(
                "SELECT c.kind, c.state, u.locale, p.method, r.status FROM claims c JOIN users u ON u.id = c.user_id "
                "JOIN payments p ON p.claim_id = c.id JOIN reminders r ON r.claim_id = c.id"
            )
        ).one()
        assert tuple(stored) == ("dentaire", "prete", "ar", "mandat", "pending")
        claim_id, user_id = claim.id, user.id
        db.expunge_all()
        claim = db.get(Claim, claim_id)
        assert claim is not None
        assert claim.kind is ClaimKind.DENTAIRE and claim.state is ClaimState.PRETE
        assert claim.payments[0].method is PayoutMethod.MANDAT
        assert db.get(User, user_id).locale is Language.AR  # type: ignore[union-attr]
        assert db.query(Reminder).one().status is ReminderStatus.PENDING


def test_the_columns_stay_plain_varchars_without_check(engine: Engine) -> None:
    """No row moves and no constraint is added (the decision is in models.stored_as_value's docstring)."""
    inspector = inspect(engine)
    lengths = {
        (table, column["name"]): getattr(column["type"], "length", None)
        for table in ("claims", "users", "profiles", "payments", "reminders")
        for column in inspector.get_columns(table)
    }
    assert lengths[("claims", "kind")] == lengths[("claims", "state")] == 20
    assert lengths[("users", "locale")] == 5 and lengths[("reminders", "status")] == 12
    assert lengths[("profiles", "payout_method")] == lengths[("payments", "method")] == 10
    for table in ("claims", "users", "profiles", "payments", "reminders"):
        assert inspector.get_check_constraints(table) == []


def test_the_outbox_language_is_a_language_or_none(engine: Engine) -> None:
    """reminders.locale (migration 0024): an account mail's "fr"/"ar" comes back as a Language, a claim's reminder
    has none (NULL: it is written in its student's User.locale), anything else is refused at flush."""
    with Session(engine) as db:
        user = _user(db)
        db.add(Reminder(kind="signup", to_address="x@example.ma", locale=Language.AR, days_before=0, due_at=NOW))
        db.add(Reminder(claim_id=_claim(db, user).id, days_before=2, due_at=NOW))
        db.commit()
        assert db.execute(text("SELECT locale FROM reminders ORDER BY id")).scalars().all() == ["ar", None]
        db.expunge_all()
        assert [r.locale for r in db.query(Reminder).order_by(Reminder.id)] == [Language.AR, None]
        with pytest.raises(StatementError, match="is not among the defined enum values"):
            db.add(Reminder(kind="reset", to_address="y@example.ma", locale="en", days_before=0, due_at=NOW))
            db.flush()
        db.rollback()
        with pytest.raises(StatementError):
            db.execute(update(Reminder.__table__).values(locale=""))


def test_migration_0024_turns_the_empty_language_into_none_and_keeps_the_others(tmp_path: Path) -> None:
    """Rows written before 0024: a claim's reminder stored "" (now NULL), an account mail its "ar" (kept); and back."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    migrate.upgrade(url, "0020")
    old = make_engine(url)
    with old.begin() as conn:
        _insert(conn, "users", id=1, email="a@example.ma", locale="fr", created_at=NOW, health_data_consent_at=NOW)
        _insert(conn, "claims", id=1, user_id=1, kind="maladie", state="brouillon", created_at=NOW, updated_at=NOW)
        _insert(conn, "reminders", claim_id=1, days_before=2, due_at=NOW, status="pending")
        _insert(conn, "reminders", kind="signup", to_address="b@example.ma", locale="ar", days_before=0, due_at=NOW,
                status="pending")  # fmt: skip
    old.dispose()
    migrate.upgrade(url)
    new = make_engine(url)
    with new.connect() as conn:
        assert conn.execute(text("SELECT locale FROM reminders ORDER BY id")).scalars().all() == [None, "ar"]
    new.dispose()
    migrate.downgrade(url, "0020")
    back = make_engine(url)
    with back.connect() as conn:
        assert conn.execute(text("SELECT locale FROM reminders ORDER BY id")).scalars().all() == ["", "ar"]
    back.dispose()
