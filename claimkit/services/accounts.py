"""Sign-up, sign-in and server-side sessions.

The browser cookie only carries a random token; its SHA-256 is stored in `user_sessions`. Logging out or
changing the password revokes rows, so a copied cookie stops working at once (a signed cookie alone
would replay until it expires).
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session, joinedload

from claimkit.adapters import password_strength, passwords
from claimkit.adapters.db import reference_cache, revisions
from claimkit.adapters.db.models import PasswordReset, Profile, User, UserSession
from claimkit.adapters.password_strength import Weakness
from claimkit.domain import limits
from claimkit.domain.languages import SOURCE, language
from claimkit.domain.messages import N_, Message
from claimkit.domain.throttling import ADDRESS_FREE_ATTEMPTS, FREE_ATTEMPTS, PASSWORD_CHECKS_PER_ACCOUNT
from claimkit.services import Clock, ServiceError, throttles

log = logging.getLogger(__name__)


def token_hash(token: str) -> str:
    """Session and reset tokens are stored as this hash only."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_email(email: str) -> str:
    return email.strip().lower()


TOO_SHORT = N_("Le mot de passe doit compter au moins %(count)s caractères.")
WEAKNESS_MESSAGES = {
    Weakness.CONTEXT: N_(
        "Ce mot de passe reprend votre adresse électronique, votre nom ou le nom du site : choisissez-en un autre."
    ),
    Weakness.COMMON: N_(
        "Ce mot de passe fait partie des plus courants : choisissez-en un autre, par exemple trois ou quatre "
        "mots sans lien entre eux."
    ),
    Weakness.PATTERN: N_(
        "Ce mot de passe est une répétition, une suite ou une date (aaaa, 1234, azerty…) : choisissez-en un autre."
    ),
    Weakness.GUESSABLE: N_(
        "Ce mot de passe est trop facile à deviner : allongez-le, par exemple avec trois ou quatre mots sans lien "
        "entre eux."
    ),
}


def password_problem(password: str, *context: str) -> Message | None:
    """At least limits.MIN_PASSWORD_LENGTH characters, and not guessable (issue 18: "aaaaaaaaaa", "1234567890"
    and the email itself used to pass). `context` is what a guesser knows of the student: email, names, CNIE."""
    if len(password) < limits.MIN_PASSWORD_LENGTH:
        return Message(TOO_SHORT, {"count": limits.MIN_PASSWORD_LENGTH})
    found = password_strength.weakness(password, password_strength.context_words(*context))
    return Message(WEAKNESS_MESSAGES[found]) if found else None


def _known_about(db: Session, user: User) -> list[str]:
    profile = db.get(Profile, user.id)
    names = [profile.nom, profile.prenom, profile.cnie] if profile else []
    return [user.email, *names]


def sign_up(db: Session, clock: Clock, email: str, password: str, consent: bool, locale: str = SOURCE) -> User:
    """Sign-up's last step, from the link mailed by services/account_mails.py: the address is proven by the
    mailbox, so it is confirmed at once. `locale` is the language the student signed up in: emails and pages
    keep using it. The rate limits are on the first step (the mail)."""
    email = normalize_email(email)
    if not consent:
        raise ServiceError(N_("Votre accord pour le traitement de vos données de santé est nécessaire."))
    problem = password_problem(password, email)
    if problem:
        raise ServiceError(problem)
    if has_account(db, email):
        raise ServiceError(N_("Un compte existe déjà avec cette adresse : connectez-vous."))
    now = clock()
    user = User(
        email=email,
        password_hash=passwords.hash_password(password),
        locale=language(locale),
        created_at=now,
        health_data_consent_at=now,
        email_confirmed_at=now,
    )
    db.add(user)
    db.commit()
    log.info("user %s signed up", user.id)
    return user


def has_account(db: Session, email: str) -> bool:
    return db.scalar(select(User.id).where(User.email == normalize_email(email))) is not None


def _sign_in_limits(email: str, address: str) -> dict[str, int]:
    """Per account, per (address, account) pair, and per address with a much higher ceiling (throttling.py)."""
    account = normalize_email(email)
    return {
        throttles.key("account", account): FREE_ATTEMPTS,
        throttles.key("pair", address, account): FREE_ATTEMPTS,
        throttles.key("address", address): ADDRESS_FREE_ATTEMPTS,
    }


def sign_in(db: Session, clock: Clock, email: str, password: str, address: str) -> User:
    """Checks the throttle before the password, so a locked account costs no argon2 work. Success clears the
    account's counters, not the address's: one good account must not reset the budget for guessing others."""
    limits = _sign_in_limits(email, address)
    throttles.refuse_if_locked(db, clock, list(limits))
    user = authenticate(db, email, password)
    if user is None:
        throttles.count(db, clock, limits)
        raise ServiceError(N_("Adresse ou mot de passe incorrect."))
    throttles.clear(db, list(limits)[:2])
    return user


def authenticate(db: Session, email: str, password: str) -> User | None:
    user = db.scalar(select(User).where(User.email == normalize_email(email)))
    if user is None:
        passwords.hash_password(password)  # same cost as a real check: no account enumeration by timing
        return None
    if not passwords.verify_password(user.password_hash, password):
        return None
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
        db.commit()
    return user


@dataclass(frozen=True)
class SessionPolicy:
    """How long a signed-in browser lasts server-side (config: CLAIMKIT_SESSION_IDLE_HOURS and
    CLAIMKIT_SESSION_MAX_DAYS): unused for `idle`, or older than `lifetime`, the row no longer signs anyone in."""

    idle: timedelta = timedelta(days=7)
    lifetime: timedelta = timedelta(days=30)


SEEN_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often: no write per page view


def _add_session(db: Session, user: User, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    db.add(UserSession(user_id=user.id, token_hash=token_hash(token), created_at=now, last_seen_at=now))
    return token


def purge_sessions(db: Session, now: datetime, policy: SessionPolicy) -> int:
    """Deletes revoked and expired rows (a login used to add a row that was kept forever)."""
    result = db.execute(
        delete(UserSession).where(
            (UserSession.revoked_at.is_not(None))
            | (UserSession.last_seen_at < now - policy.idle)
            | (UserSession.created_at < now - policy.lifetime)
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)


def open_session(db: Session, clock: Clock, user: User, policy: SessionPolicy | None = None) -> str:
    now = clock()
    purge_sessions(db, now, policy or SessionPolicy())
    token = _add_session(db, user, now)
    db.commit()
    log.info("user %s signed in", user.id)
    return token


# The statement every signed-in request runs first, built once. The profile comes along, as nearly every page reads
# it (then db.get(Profile, …) finds it in the session); so do the reference counter, the key of the cached
# reference rows (adapters/db/reference_cache.py), and the claims' fingerprint, the rest of a cached page's key
# (services/page_keys.py): a page served from the store runs no other statement. Three columns of the session row
# rather than the entity: nothing writes it through the ORM.
_SESSION_QUERY = (
    select(
        UserSession.id,
        UserSession.created_at,
        UserSession.last_seen_at,
        User,
        reference_cache.counter(),
        revisions.claims_fingerprint(User.id),
    )
    .join(User, UserSession.user_id == User.id)
    .options(joinedload(User.profile))
    .where(UserSession.token_hash == bindparam("token_hash"), UserSession.revoked_at.is_(None))
)


def user_for_session(
    db: Session, clock: Clock, token: str, user_id: str, policy: SessionPolicy | None = None
) -> User | None:
    """The user behind a live session token, or None when it was revoked, expired (idle or too old) or belongs
    to someone else."""
    policy = policy or SessionPolicy()
    now = clock()
    found = db.execute(_SESSION_QUERY, {"token_hash": token_hash(token)}).first()
    if found is None:
        return None
    session_id, created_at, last_seen_at, user, reference_revision, claims = found
    reference_cache.seen(db, reference_revision)
    if str(user.id) != user_id:
        return None
    if last_seen_at < now - policy.idle or created_at < now - policy.lifetime:
        _write_session(db, session_id, revoked_at=now)
        return None
    revisions.seen(db, user.id, user.revision, claims)
    if now - last_seen_at > SEEN_EVERY:
        _write_session(db, session_id, last_seen_at=now)
    return user


def _write_session(db: Session, session_id: int, **values: datetime) -> None:
    db.execute(update(UserSession).where(UserSession.id == session_id).values(**values))
    db.commit()


def close_session(db: Session, clock: Clock, token: str) -> None:
    db.execute(
        update(UserSession)
        .where(UserSession.token_hash == token_hash(token), UserSession.revoked_at.is_(None))
        .values(revoked_at=clock())
    )
    db.commit()


def _revoke_all(db: Session, user_id: int, now: datetime) -> None:
    db.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def close_all_sessions(db: Session, clock: Clock, user: User) -> None:
    """ "Se déconnecter partout": every phone and computer signed in to the account is signed out."""
    _revoke_all(db, user.id, clock())
    db.commit()
    log.info("user %s signed out everywhere", user.id)


def check_current_password(db: Session, clock: Clock, user: User, password: str, message: str) -> None:
    """A signed-in check of the password (change, deletion), limited per account: a stolen session must not
    become a way to guess the password. Raises ServiceError(message) when wrong."""
    limit = {throttles.key("password-check", str(user.id)): PASSWORD_CHECKS_PER_ACCOUNT - 1}  # locked at the 5th
    throttles.refuse_if_locked(db, clock, list(limit))
    if not passwords.verify_password(user.password_hash, password):
        throttles.count(db, clock, limit)
        raise ServiceError(message)
    throttles.clear(db, list(limit))


def change_password(db: Session, clock: Clock, user: User, current: str, new: str) -> str:
    """Revokes every session of the user (other phones included) and opens a fresh one for this browser."""
    check_current_password(db, clock, user, current, N_("Le mot de passe actuel est incorrect."))
    problem = password_problem(new, *_known_about(db, user))
    if problem:
        raise ServiceError(problem)
    now = clock()
    user.password_hash = passwords.hash_password(new)
    _revoke_all(db, user.id, now)
    _retire_resets(db, user.id, now)
    token = _add_session(db, user, now)
    db.commit()
    return token


def _retire_resets(db: Session, user_id: int, now: datetime) -> None:
    """A new password makes every outstanding reset link of the account used: an older mail left in an inbox
    must not set the password again (issue 18)."""
    db.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )


def finish_reset(db: Session, clock: Clock, token: str, new_password: str) -> User:
    now = clock()
    reset = db.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at < now:
        raise ServiceError(
            N_("Ce lien de réinitialisation est invalide, déjà utilisé ou expiré : demandez-en un autre.")
        )
    user = db.get(User, reset.user_id)
    if user is None:  # the account was deleted after the link was sent
        raise ServiceError(
            N_("Ce lien de réinitialisation est invalide, déjà utilisé ou expiré : demandez-en un autre.")
        )
    if problem := password_problem(new_password, *_known_about(db, user)):
        raise ServiceError(problem)
    user.password_hash = passwords.hash_password(new_password)
    _revoke_all(db, user.id, now)
    _retire_resets(db, user.id, now)
    db.commit()
    log.info("user %s reset their password", user.id)
    return user
