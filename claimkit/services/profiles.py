"""The student's profile: what the assuré's part of every feuille needs."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from claimkit.adapters.db.models import Profile, User
from claimkit.domain import identifiers as ids
from claimkit.domain.eligibility import eligibility_warnings
from claimkit.domain.messages import N_
from claimkit.services import Clock, ServiceError

PAYOUT_METHODS = ("virement", "mandat")
LOCALES = ("fr", "ar")


@dataclass(frozen=True)
class ProfileInput:
    nom: str
    prenom: str
    cnie: str
    massar: str
    date_naissance: date | None
    etablissement: str
    adresse: str
    telephone: str
    payout_method: str
    rib: str
    other_coverage: bool
    nom_ar: str = ""
    prenom_ar: str = ""


def get_profile(db: Session, user_id: int) -> Profile | None:
    return db.get(Profile, user_id)


def _checked(data: ProfileInput) -> dict[str, object]:
    """Re-checks what the form already checked: the service is also called from the CLI and tests."""
    problem = ids.cnie_problem(data.cnie)
    if problem is None and data.telephone.strip():
        problem = ids.phone_problem(data.telephone)
    if data.payout_method not in PAYOUT_METHODS:
        problem = N_("Choisissez le mode de remboursement : virement sur RIB ou mandat postal.")
    rib = ""
    # A RIB typed with "mandat postal" chosen is kept, unused, until the student clears the field: switching
    # the payout back and forth must not erase a RIB that took care to type (issue 17).
    if data.payout_method == "virement" or data.rib.strip():
        problem = problem or ids.rib_problem(data.rib)
        rib = "" if problem else ids.normalize_rib(data.rib)
    if problem:
        raise ServiceError(problem)
    return {
        "nom": data.nom.strip(),
        "prenom": data.prenom.strip(),
        "nom_ar": data.nom_ar.strip(),
        "prenom_ar": data.prenom_ar.strip(),
        "cnie": ids.normalize_cnie(data.cnie),
        "massar": ids.normalize_massar(data.massar),
        "date_naissance": data.date_naissance,
        "etablissement": data.etablissement.strip(),
        "adresse": data.adresse.strip(),
        "telephone": ids.normalize_phone(data.telephone),
        "payout_method": data.payout_method,
        "rib": rib,
        "other_coverage": data.other_coverage,
    }


def profile_warnings(profile: Profile, today: date) -> list[str]:
    """Non-blocking remarks: unusual identifier shapes and eligibility hints."""
    shape_warnings = [
        ids.cnie_warning(profile.cnie),
        ids.massar_warning(profile.massar) if profile.massar else None,
    ]
    warnings = [w for w in shape_warnings if w]
    warnings.extend(eligibility_warnings(profile.date_naissance, today, profile.other_coverage))
    return warnings


def save_profile(db: Session, clock: Clock, user_id: int, data: ProfileInput) -> Profile:
    values = _checked(data)
    profile = db.get(Profile, user_id)
    if profile is None:
        profile = Profile(user_id=user_id)
        db.add(profile)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.updated_at = clock()
    db.commit()
    return profile


UNKNOWN_LOCALE = N_("Choisissez le français ou l'arabe.")


def set_locale(db: Session, user: User, locale: str) -> None:
    """The interface language remembered on the account."""
    if locale not in LOCALES:
        raise ServiceError(UNKNOWN_LOCALE)
    user.locale = locale
    db.commit()
