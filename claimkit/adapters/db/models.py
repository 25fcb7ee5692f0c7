"""Tables. Plain SQLAlchemy 2 declarative models, shared by the web app, the CLI and the scheduler."""

import secrets
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from claimkit.domain import limits
from claimkit.domain.claims import ClaimKind, ClaimState, PayoutMethod
from claimkit.domain.languages import Language
from claimkit.domain.reminders import ReminderStatus

# Stable constraint names so that Alembic migrations are identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on both engines: SQLite would otherwise hand back naive datetimes."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def stored_as_value(enum: type[StrEnum], length: int) -> Enum:
    """A domain enum kept in a plain VARCHAR(length) holding its values ("virement", not "VIREMENT"): the column
    the migrations created stays as it is, so no row moves. A value outside the enum is refused at flush, by the
    ORM and by Core statements on the table alike (validate_strings), and rows come back as enum members.

    No CHECK constraint in the database (decided in issue 21): every write goes through these mapped types, and
    a CHECK would be a second, frozen copy of the value list, so adding a value (a new payout method) would
    need a migration that rebuilds the claims/users tables on SQLite (batch mode) for no gain in what is refused.
    tests/integration/test_enum_columns.py pins the refusal on the real database."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
        length=length,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime}  # noqa: RUF012 - SQLAlchemy reads this class attribute


class User(Base):
    __tablename__ = "users"
    # AUTOINCREMENT on SQLite: a deleted account's id is never given to a later sign-up (issue 18; PostgreSQL
    # sequences never reuse one anyway). Migration 0018.
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy reads this class attribute

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(limits.EMAIL_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[Language] = mapped_column(stored_as_value(Language, 5), default=Language.FR)
    created_at: Mapped[datetime] = mapped_column()
    health_data_consent_at: Mapped[datetime] = mapped_column()
    email_confirmed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    reminders_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Secret of the private iCal feed URL; None when revoked or never created.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    # Links in mails (unsubscribe, confirmation) carry it: they die with the account, and SQLite may give a
    # deleted account's id to the next sign-up, so an id alone must never be enough (issue 18).
    mail_secret: Mapped[str | None] = mapped_column(String(32), nullable=True, default=lambda: secrets.token_hex(16))
    # Where the student's printer puts a values-only print on a bookshop sheet, measured once on the calibration
    # page: millimetres to move every value right (x) and down (y) (docs/domain.md, "Official sheets…").
    print_offset_x_mm: Mapped[Decimal] = mapped_column(Numeric(3, 1), default=Decimal(0), server_default="0")
    print_offset_y_mm: Mapped[Decimal] = mapped_column(Numeric(3, 1), default=Decimal(0), server_default="0")
    # Bumped at every flush that changes the account, its profile or its registration (adapters/db/revisions.py):
    # every packet of the student shows the profile, so its ETag includes this (issue 20).
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    profile: Mapped["Profile | None"] = relationship(back_populates="user", cascade="all, delete-orphan")

    # Flask-Login protocol, kept here so the web layer can log in a User directly.
    is_active = True
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class UserSession(Base):
    """A signed-in browser. The cookie only carries a random token; revoking the row ends the session."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column()
    last_seen_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Profile(Base):
    """The assuré's part of every feuille de soins."""

    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    nom: Mapped[str] = mapped_column(String(limits.NAME_LENGTH))
    prenom: Mapped[str] = mapped_column(String(limits.NAME_LENGTH))
    nom_ar: Mapped[str] = mapped_column(String(limits.NAME_LENGTH), default="")
    prenom_ar: Mapped[str] = mapped_column(String(limits.NAME_LENGTH), default="")
    cnie: Mapped[str] = mapped_column(String(limits.CODE_LENGTH))
    massar: Mapped[str] = mapped_column(String(limits.CODE_LENGTH), default="")
    date_naissance: Mapped[date | None] = mapped_column(Date, nullable=True)
    etablissement: Mapped[str] = mapped_column(String(limits.ESTABLISHMENT_LENGTH), default="")
    adresse: Mapped[str] = mapped_column(Text, default="")
    telephone: Mapped[str] = mapped_column(String(limits.CODE_LENGTH), default="")
    payout_method: Mapped[PayoutMethod] = mapped_column(stored_as_value(PayoutMethod, 10), default=PayoutMethod.MANDAT)
    rib: Mapped[str] = mapped_column(String(24), default="")
    other_coverage: Mapped[bool] = mapped_column(Boolean, default=False)
    # The optional insured parent (law 54-23: after the cut-over the student is mostly the parent's ayant droit).
    parent_nom_prenom: Mapped[str] = mapped_column(String(limits.PARENT_NAME_LENGTH), default="", server_default="")
    parent_immatriculation: Mapped[str] = mapped_column(String(limits.CODE_LENGTH), default="", server_default="")
    parent_cin: Mapped[str] = mapped_column(String(limits.CODE_LENGTH), default="", server_default="")
    parent_insurer: Mapped[str] = mapped_column(String(20), default="", server_default="")
    parent_adresse: Mapped[str] = mapped_column(Text, default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column()
    # Optimistic locking, as on claims: the profile form carries the version it was drawn from (services/guards.py).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    user: Mapped[User] = relationship(back_populates="profile")


class Claim(Base):
    """A dossier de remboursement: one feuille (and its attachments) for one event."""

    __tablename__ = "claims"
    # Claim ids appear in links and calendar UIDs: never reused on SQLite either (migration 0018).
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy reads this class attribute

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ClaimKind] = mapped_column(stored_as_value(ClaimKind, 20))
    state: Mapped[ClaimState] = mapped_column(stored_as_value(ClaimState, 20), default=ClaimState.BROUILLON)
    label: Mapped[str] = mapped_column(String(limits.LABEL_LENGTH), default="")
    treatment_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    treatment_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    ald_code: Mapped[str] = mapped_column(String(limits.CODE_LENGTH), default="")
    ald_accord: Mapped[str] = mapped_column(String(limits.REFERENCE_LENGTH), default="")
    ald_exoneration: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ald_private_sector: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    third_party_liable: Mapped[bool] = mapped_column(Boolean, default=False)
    accident_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    accident_circumstances: Mapped[str] = mapped_column(Text, default="")
    personal_note: Mapped[str] = mapped_column(Text, default="", server_default="")  # the student's only
    # Denormalised from the acts so that the dashboard and the reminder pass can sort and index on it.
    deadline: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    sent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    recommande_number: Mapped[str] = mapped_column(String(limits.REFERENCE_LENGTH), default="")
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    # The scheme (law 54-23) frozen when the claim is sent, so a later cut-over date never rewrites its history;
    # empty while the claim is open (then derived from the date of care).
    scheme: Mapped[str] = mapped_column(String(20), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    # Derived figures the dashboard shows, refreshed by every use case that changes the claim
    # (services/summaries.py), so the dashboard reads 20 rows instead of every act, medicine, tick and payment.
    # NULL: not computed yet (a row written before migration 0013, or by bulk SQL).
    first_act_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    pieces_required: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pieces_ticked: Mapped[int | None] = mapped_column(Integer, nullable=True)
    estimate_total: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    paid_total: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    # A copy made to send a rejected claim again: its source's id (no foreign key: the source may be purged).
    copied_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Optimistic locking: every state-changing form carries the version it was drawn from, and the guard bumps it
    # with one conditional UPDATE (web/guard.py), so a stale tab or a simultaneous second form changes nothing.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # Content revision: bumped at every flush that changes the claim or a row of it (adapters/db/revisions.py),
    # so the packet's ETag is one cheap read, not the whole claim (services/packet_cache.py, issue 20).
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # A deleted claim stays restorable for 30 days (the "corbeille"), then is purged.
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True, index=True)

    acts: Mapped[list["Act"]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="(Act.performed_on, Act.id)"
    )
    medicines: Mapped[list["MedicineLine"]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="MedicineLine.id"
    )
    ticks: Mapped[list["ChecklistTick"]] = relationship(cascade="all, delete-orphan")
    events: Mapped[list["ClaimEvent"]] = relationship(
        cascade="all, delete-orphan", order_by="(ClaimEvent.occurred_on, ClaimEvent.at, ClaimEvent.id)"
    )
    payments: Mapped[list["Payment"]] = relationship(
        cascade="all, delete-orphan", order_by="(Payment.paid_on, Payment.id)"
    )
    photos: Mapped[list["ChecklistPhoto"]] = relationship(
        cascade="all, delete-orphan", order_by="(ChecklistPhoto.created_at, ChecklistPhoto.id)"
    )


class Act(Base):
    __tablename__ = "acts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    performed_on: Mapped[date] = mapped_column(Date)
    type: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    practitioner: Mapped[str] = mapped_column(String(limits.LABEL_LENGTH), default="")
    inpe: Mapped[str] = mapped_column(String(limits.CODE_LENGTH), default="")
    ice: Mapped[str] = mapped_column(String(limits.CODE_LENGTH), default="", server_default="")  # the dentist's ICE
    dentist_if: Mapped[str] = mapped_column(String(limits.CODE_LENGTH), default="", server_default="")
    entente: Mapped[str] = mapped_column(String(limits.REFERENCE_LENGTH), default="", server_default="")

    claim: Mapped[Claim] = relationship(back_populates="acts")


class MedicineLine(Base):
    __tablename__ = "medicine_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(limits.MEDICINE_NAME_LENGTH))
    ean13: Mapped[str] = mapped_column(String(13), default="")
    ppv: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    pbr: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    # Copied from the reference when the box is added (docs/domain.md#refund-estimate): 0 = non remboursable.
    rate_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Also copied from the reference: the active ingredient (DCI) and the strength, shown beside the name so the
    # student can tell two boxes of the same name apart (issue 17); empty for a box typed by hand.
    dci: Mapped[str] = mapped_column(String(200), default="", server_default="")
    dosage: Mapped[str] = mapped_column(String(100), default="", server_default="")

    claim: Mapped[Claim] = relationship(back_populates="medicines")


class ChecklistTick(Base):
    """An attachment the student has in hand (the checklist itself is derived, never stored)."""

    __tablename__ = "checklist_ticks"

    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    ticked_at: Mapped[datetime] = mapped_column()
    # How many documents of this line go in the envelope (3 factures): their sum is the sheet's "Nombre de pièces
    # jointes" (docs/domain.md, "Official sheets and the student's part").
    documents: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class ChecklistPhoto(Base):
    """A photo of an original (ordonnance, facture, reçu du recommandé) taken before it goes in the envelope,
    attached to its checklist line; the file lives under the instance (adapters/storage.py)."""

    __tablename__ = "checklist_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(40))
    stored_name: Mapped[str] = mapped_column(String(80))
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column()


class IdempotencyKey(Base):
    """A state-changing form already handled: the key is drawn into the form, taken in the same transaction as
    the change, so a double tap or a retried POST is recorded once (web/guard.py)."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(index=True)


class ClaimEvent(Base):
    """The claim's timeline: every state change and notable edit, in order."""

    __tablename__ = "claim_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    occurred_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column()
    detail: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)


class Insurer(Base):
    """Dated insurer name and postal address (law 54-23 moves AMO-E from the CNOPS to the CNSS)."""

    __tablename__ = "insurers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")
    regime: Mapped[str] = mapped_column(String(20), default="cnops", server_default="cnops")  # domain.schemes


class RefundRate(Base):
    """Dated reimbursement rates (⚠ public sources, not an official text: see DOMAIN.md)."""

    __tablename__ = "refund_rates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    basis: Mapped[str] = mapped_column(String(40))
    rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")
    regime: Mapped[str] = mapped_column(String(20), default="cnops", server_default="cnops")  # domain.schemes


class PostingMargin(Base):
    """Dated transit margin of a recommandé: "poster avant" = legal date − days.

    docs/domain.md#deadline-and-posting.
    """

    __tablename__ = "posting_margins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    days: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")


class PublicHoliday(Base):
    """A Moroccan public holiday; the Islamic ones are estimated dates an operator corrects."""

    __tablename__ = "public_holidays"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(120))
    islamic: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(Text, default="")


class Tariff(Base):
    """Dated tarif national de référence per act type."""

    __tablename__ = "tariffs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    act_type: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")
    regime: Mapped[str] = mapped_column(String(20), default="cnops", server_default="cnops")  # domain.schemes


class ConfigDate(Base):
    """A dated configuration switch, e.g. law 54-23's cut-over day: no row means not fixed yet."""

    __tablename__ = "config_dates"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    set_at: Mapped[datetime] = mapped_column()


class SchemeNotice(Base):
    """Law 54-23 notice told to a student, once per phase (before / after the cut-over), by email and on the
    dashboard until dismissed."""

    __tablename__ = "scheme_notices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    phase: Mapped[str] = mapped_column(String(10), primary_key=True)
    emailed_at: Mapped[datetime | None] = mapped_column(nullable=True)
    dismissed_at: Mapped[datetime | None] = mapped_column(nullable=True)


class Medicine(Base):
    """The medicines reference (name, PPV, PBR by barcode), with the date its prices were listed."""

    __tablename__ = "medicines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref_key: Mapped[str] = mapped_column(String(400), unique=True)
    ean13: Mapped[str] = mapped_column(String(13), default="", index=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    dci: Mapped[str] = mapped_column(String(200), default="")
    dosage: Mapped[str] = mapped_column(String(100), default="")
    forme: Mapped[str] = mapped_column(String(100), default="")
    presentation: Mapped[str] = mapped_column(String(100), default="")
    ppv: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    pbr: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    rate_percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    type: Mapped[str] = mapped_column(String(30), default="")
    classe: Mapped[str] = mapped_column(String(100), default="")
    prices_as_of: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(200), default="")


class MedicinePrice(Base):
    """Price history: one row per price list that changed a medicine's PPV or PBR."""

    __tablename__ = "medicine_prices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    medicine_id: Mapped[int] = mapped_column(ForeignKey("medicines.id", ondelete="CASCADE"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    ppv: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    pbr: Mapped[Decimal | None] = mapped_column(Numeric(10, 2), nullable=True)
    source: Mapped[str] = mapped_column(String(200), default="")


class Reminder(Base):
    """The mail outbox: deadline reminders, planned in the same transaction as the claim change, and account
    mails (sign-up, password reset: `kind`, `to_address`, `locale`), written by the page instead of sending
    inline. Claimed by senders with a lease, so a sender that dies mid-send is replaced after the lease expires
    (services/reminders.py, services/account_mails.py)."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "reminder" (a claim's deadline or follow-up) or an account mail kind (services/account_mails.py).
    kind: Mapped[str] = mapped_column(String(20), default="reminder", server_default="reminder")
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True, nullable=True)
    # Account mails only: the address typed in the form (there may be no account behind it) and the page's language;
    # None on a claim's reminder, written in its student's User.locale when sent (migration 0024).
    to_address: Mapped[str] = mapped_column(String(254), default="", server_default="")
    locale: Mapped[Language | None] = mapped_column(stored_as_value(Language, 5), nullable=True, default=None)
    days_before: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column()
    status: Mapped[ReminderStatus] = mapped_column(stored_as_value(ReminderStatus, 12), default=ReminderStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None] = mapped_column(nullable=True)
    claimed_by: Mapped[str] = mapped_column(String(40), default="")
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")


class Payment(Base):
    """Money the CNOPS paid for a claim: a virement to the RIB or a mandat postal; several may arrive."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    method: Mapped[PayoutMethod] = mapped_column(stored_as_value(PayoutMethod, 10))
    reference: Mapped[str] = mapped_column(String(limits.PAYMENT_REFERENCE_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column()


class LoginThrottle(Base):
    """Failed sign-ins per account and per client address (hashed keys), shared by every web worker."""

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    window_start: Mapped[datetime] = mapped_column()
    locked_until: Mapped[datetime | None] = mapped_column(nullable=True)


class PasswordReset(Base):
    """A single-use, expiring reset link; only the token's hash is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)


class OfficialSheet(Base):
    """An insurer's own blank sheet (loaded by the operator: `flask forms add-official`), dated per insurer and kind,
    or a student's own sheet for one claim (a personalised sheet or a scan). The file lives under the instance,
    `path` relative to its official_sheets folder (docs/domain.md, "Official sheets and the student's part")."""

    __tablename__ = "official_sheets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    insurer: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    path: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True, index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column()


class SheetOffset(Base):
    """A student's correction of where one value goes on their own official sheet: (dx, dy) in mm, dy down the
    page; the packet applies it (docs/domain.md, "Official sheets and the student's part")."""

    __tablename__ = "sheet_offsets"
    __table_args__ = (UniqueConstraint("sheet_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sheet_id: Mapped[int] = mapped_column(ForeignKey("official_sheets.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(30))
    dx_mm: Mapped[int] = mapped_column(Integer, default=0)
    dy_mm: Mapped[int] = mapped_column(Integer, default=0)


class Registration(Base):
    """The student's immatriculation status and what they can tell about their rights (issue 15), all optional,
    and the attestation d'immatriculation they keep as a file in their own upload folder
    (docs/domain.md#advice-contacts-and-the-students-status)."""

    __tablename__ = "registrations"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="", server_default="")
    traditional_final_cycle: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    cnops_letter_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    studies_interrupted_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    attestation_name: Mapped[str] = mapped_column(String(64), default="", server_default="")
    attestation_type: Mapped[str] = mapped_column(String(40), default="", server_default="")
    attestation_size: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    attestation_at: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime] = mapped_column()


class Revision(Base):
    """A named counter bumped at every flush that changes the rows it stands for: "reference" for the dated data
    every packet depends on (insurers, rates, tariffs, margins, holidays, scheme dates, medicines and prices, the
    insurers' official sheets). adapters/db/revisions.py; read by the packet's ETag (issue 20)."""

    __tablename__ = "revisions"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=1)
