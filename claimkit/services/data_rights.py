"""Law 09-08: a student can take everything claimkit holds about them, and erase it."""

import csv
import io
import json
import logging
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from claimkit.adapters import storage
from claimkit.adapters.db import models as db_models
from claimkit.adapters.db.engine import forget_deleted
from claimkit.adapters.mailer import purge_outbox
from claimkit.domain.claims import ACT_LABELS, KIND_LABELS, STATE_LABELS, ActType, ClaimState
from claimkit.domain.formats import decimal_comma, numeric_date
from claimkit.domain.messages import N_
from claimkit.services import Clock, ServiceError, accounts, packets, registrations
from claimkit.services.claims import dashboard
from claimkit.services.figures import claim_figures

log = logging.getLogger(__name__)

CSV_HEADER = (
    "ligne",
    "dossier",
    "titre",
    "type",
    "état",
    "premier acte",
    "date limite",
    "envoyé le",
    "n° recommandé",
    "dépensé (DH)",
    "estimé (DH)",
    "remboursé (DH)",
    "date paiement",
    "mode",
    "référence",
)


def _day(value: date | None) -> str:
    return numeric_date(value) if value else ""


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _cell(value: Any) -> Any:
    """A typed text starting like a formula ("=HYPERLINK(…)", "+…", "@…") is opened by a spreadsheet as one:
    prefixed with an apostrophe it stays text (OWASP "CSV injection")."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, delimiter=";")

    def writerow(self, row: list[Any] | tuple[Any, ...]) -> None:
        self._writer.writerow([_cell(value) for value in row])


def export_csv(db: Session, clock: Clock, user_id: int) -> bytes:
    """UTF-8 with BOM and ";" so spreadsheet apps set to French open accents and decimals right."""
    out = io.StringIO()
    writer = _SafeWriter(out)
    writer.writerow(CSV_HEADER)
    for view in dashboard(db, clock, user_id):
        row, fig = view.row, claim_figures(view)
        state = STATE_LABELS[ClaimState(row.state)]
        writer.writerow(
            [
                "dossier",
                row.id,
                row.label,
                KIND_LABELS[view.facts.kind],
                state,
                _day(fig.first_act),
                _day(row.deadline),
                _day(row.sent_on),
                row.recommande_number,
                decimal_comma(fig.spent),
                decimal_comma(fig.estimated),
                decimal_comma(fig.paid),
                "",
                "",
                "",
            ]
        )
        for payment in row.payments:
            writer.writerow(
                [
                    "paiement",
                    row.id,
                    row.label,
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    decimal_comma(payment.amount),
                    _day(payment.paid_on),
                    payment.method,
                    payment.reference,
                ]
            )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _columns(obj: Any, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in skip}


def _account_records(db: Session, user: db_models.User) -> dict[str, list[dict[str, Any]]]:
    """The rest of what is held about the student (issue 18): planned reminders and account mails of the outbox,
    signed-in sessions and reset requests; token hashes are left out (they are credentials, not data about the
    student)."""
    m, user_id = db_models, user.id
    reminders = db.scalars(
        select(m.Reminder)
        .outerjoin(m.Claim, m.Claim.id == m.Reminder.claim_id)
        .where((m.Claim.user_id == user_id) | (m.Reminder.to_address == user.email))
        .order_by(m.Reminder.id)
    )
    sessions = db.scalars(select(m.UserSession).where(m.UserSession.user_id == user_id))
    resets = db.scalars(select(m.PasswordReset).where(m.PasswordReset.user_id == user_id))
    return {
        "rappels.json": [_columns(r) for r in reminders],
        "sessions.json": [_columns(s, skip=("token_hash",)) for s in sessions],
        "reinitialisations.json": [_columns(r, skip=("token_hash",)) for r in resets],
    }


def _registration(archive: zipfile.ZipFile, db: Session, user_id: int, upload_root: Path) -> str:
    """The immatriculation status and the attestation file under its own name (issue 15); returns the file's
    stored name so that it is not exported a second time among the photos."""
    row = registrations.get(db, user_id)
    archive.writestr("immatriculation.json", json.dumps(_columns(row) if row else {}, ensure_ascii=False, indent=2))
    if row is None or not row.attestation_name:
        return ""
    path = storage.path_of(upload_root, user_id, row.attestation_name)
    if path.is_file():
        archive.write(path, registrations.download_name(row))
    return row.attestation_name


def export_zip(db: Session, clock: Clock, user_id: int, upload_root: Path) -> bytes:
    user = db.get(db_models.User, user_id)
    if user is None:
        raise ServiceError(N_("Compte introuvable."))
    profile = db.get(db_models.Profile, user_id)
    claims = []
    for view in dashboard(db, clock, user_id):
        row = view.row
        claims.append(
            {
                **_columns(row),
                "actes": [{**_columns(a), "libellé": ACT_LABELS[ActType(a.type)]} for a in row.acts],
                "médicaments": [_columns(m) for m in row.medicines],
                "pièces_cochées": [t.item_key for t in row.ticks],
                "documents_par_pièce": {t.item_key: t.documents for t in row.ticks},
                "historique": [_columns(e) for e in row.events],
                "paiements": [_columns(p) for p in row.payments],
                "photos": [_columns(p) for p in row.photos],
            }
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        account = _columns(user, skip=("password_hash", "calendar_token"))
        archive.writestr("compte.json", json.dumps(account, ensure_ascii=False, indent=2))
        archive.writestr("profil.json", json.dumps(_columns(profile) if profile else {}, ensure_ascii=False, indent=2))
        archive.writestr("dossiers.json", json.dumps(claims, ensure_ascii=False, indent=2))
        archive.writestr("dossiers.csv", export_csv(db, clock, user_id))
        for name, rows in _account_records(db, user).items():
            archive.writestr(name, json.dumps(rows, ensure_ascii=False, indent=2))
        for claim in claims:
            archive.writestr(f"dossiers/dossier-{claim['id']}.pdf", packets.packet(db, clock, user_id, claim["id"]))
        attestation = _registration(archive, db, user_id, upload_root)
        for path in storage.files_of(upload_root, user_id):
            if path.name != attestation:
                archive.write(path, f"photos/{path.name}")
        archive.writestr(
            "LISEZMOI.txt",
            f"Toutes les données de votre compte claimkit, exportées le {clock():%d/%m/%Y}. Les dates sont en UTC.\n",
        )
    return buffer.getvalue()


def delete_account(
    db: Session, clock: Clock, user: db_models.User, password: str, upload_root: Path, outbox: Path | None = None
) -> None:
    """Every row (cascades from users), every file of the student and the mails still in the outbox folder;
    then the database is checkpointed so the deleted rows leave the write-ahead log. The password confirms
    intent."""
    accounts.check_current_password(
        db, clock, user, password, N_("Mot de passe incorrect : le compte n'a pas été supprimé.")
    )
    user_id, address = user.id, user.email
    db.execute(delete(db_models.Reminder).where(db_models.Reminder.to_address == address))  # account mails
    db.delete(user)
    db.commit()
    forget_deleted(db)
    storage.delete_all(upload_root, user_id)
    if outbox is not None:
        purge_outbox(outbox, address)
    log.info("user %s deleted their account", user_id)
