"""The student's profile: what the assuré's part of every feuille needs."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from claimkit.adapters.db.models import Profile, User
from claimkit.domain import identifiers as ids
from claimkit.domain.eligibility import eligibility_warnings
from claimkit.domain.messages import N_
from claimkit.domain.schemes import PARENT_INSURERS
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
    parent_nom_prenom: str = ""
    parent_immatriculation: str = ""
    parent_cin: str = ""
    parent_insurer: str = ""
    parent_adresse: str = ""


def get_profile(db: Session, user_id: int) -> Profile | None:
    return db.get(Profile, user_id)


def parent_problem(data: ProfileInput) -> str | None:
    """The optional insured-parent block (law 54-23): empty, or a name, an immatriculation and a CIN with the
    same checks as the student's own identifiers."""
    given = (data.parent_nom_prenom, data.parent_immatriculation, data.parent_cin, data.parent_adresse)
    if not any(value.strip() for value in given) and not data.parent_insurer:
        return None
    if not data.parent_nom_prenom.strip():
        return N_("Indiquez le nom et le prénom de votre parent assuré, ou videz le bloc « Parent assuré ».")
    if data.parent_insurer and data.parent_insurer not in PARENT_INSURERS:
        return N_("Choisissez la caisse de votre parent dans la liste.")
    if not data.parent_cin.strip():
        return N_("Saisissez le n° de CIN de votre parent.")
    return ids.immatriculation_problem(data.parent_immatriculation) or ids.cnie_problem(data.parent_cin)


def _checked(data: ProfileInput) -> dict[str, object]:
    """Re-checks what the form already checked: the service is also called from the CLI and tests."""
    problem = ids.cnie_problem(data.cnie) or parent_problem(data)
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
        "parent_nom_prenom": " ".join(data.parent_nom_prenom.split()),
        "parent_immatriculation": ids.normalize_immatriculation(data.parent_immatriculation),
        "parent_cin": ids.normalize_cnie(data.parent_cin),
        "parent_insurer": data.parent_insurer,
        "parent_adresse": data.parent_adresse.strip(),
    }


def profile_warnings(profile: Profile, today: date, traditional_final_cycle: bool = False) -> list[str]:
    """Non-blocking remarks: unusual identifier shapes and eligibility hints (no age limit at the final cycle of
    traditional education, ticked in the « Immatriculation » block)."""
    shape_warnings = [
        ids.cnie_warning(profile.cnie),
        ids.massar_warning(profile.massar) if profile.massar else None,
        ids.immatriculation_warning(profile.parent_immatriculation) if profile.parent_immatriculation else None,
        ids.cnie_warning(profile.parent_cin) if profile.parent_cin else None,
    ]
    warnings = [w for w in shape_warnings if w]
    warnings.extend(
        eligibility_warnings(profile.date_naissance, today, profile.other_coverage, traditional_final_cycle)
    )
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
