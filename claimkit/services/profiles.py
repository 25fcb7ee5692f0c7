"""The student's profile: what the assuré's part of every feuille needs."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from claimkit.adapters.db.models import Profile, User
from claimkit.domain import identifiers as ids
from claimkit.domain.claims import PayoutMethod
from claimkit.domain.eligibility import eligibility_warnings
from claimkit.domain.languages import Language
from claimkit.domain.messages import N_
from claimkit.domain.schemes import PARENT_INSURERS
from claimkit.services import Clock, ServiceError

PROFILE_CHANGED = N_(
    "Votre profil a changé (dans un autre onglet ou sur un autre appareil) : voici la dernière version. "
    "Rien n'a été enregistré : vérifiez et recommencez si besoin."
)


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


def parent_problems(data: ProfileInput) -> dict[str, str]:
    """The optional insured-parent block (law 54-23): empty, or a name, an immatriculation and a CIN with the
    same checks as the student's own identifiers. Every problem, keyed by the field it is about, so the form
    shows them all at once (issue 17)."""
    given = (data.parent_nom_prenom, data.parent_immatriculation, data.parent_cin, data.parent_adresse)
    if not any(value.strip() for value in given) and not data.parent_insurer:
        return {}
    found: dict[str, str | None] = {
        "parent_nom_prenom": None
        if data.parent_nom_prenom.strip()
        else N_("Indiquez le nom et le prénom de votre parent assuré, ou videz le bloc « Parent assuré »."),
        "parent_insurer": N_("Choisissez la caisse de votre parent dans la liste.")
        if data.parent_insurer and data.parent_insurer not in PARENT_INSURERS
        else None,
        "parent_immatriculation": ids.immatriculation_problem(data.parent_immatriculation),
        "parent_cin": ids.cnie_problem(data.parent_cin)
        if data.parent_cin.strip()
        else N_("Saisissez le n° de CIN de votre parent."),
    }
    return {name: problem for name, problem in found.items() if problem}


def parent_problem(data: ProfileInput) -> str | None:
    """The first of parent_problems, for the service's own re-check."""
    return next(iter(parent_problems(data).values()), None)


def _checked(data: ProfileInput) -> dict[str, object]:
    """Re-checks what the form already checked: the service is also called from the CLI and tests."""
    problem = ids.cnie_problem(data.cnie) or parent_problem(data)
    if problem is None and data.telephone.strip():
        problem = ids.phone_problem(data.telephone)
    payout: PayoutMethod | None = None
    try:
        payout = PayoutMethod(data.payout_method)
    except ValueError:
        problem = N_("Choisissez le mode de remboursement : virement sur RIB ou mandat postal.")
    rib = ""
    # A RIB typed with "mandat postal" chosen is kept, unused, until the student clears the field: switching
    # the payout back and forth must not erase a RIB that took care to type (issue 17).
    if payout is PayoutMethod.VIREMENT or data.rib.strip():
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
        "payout_method": payout,
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
    first = profile is None
    if profile is None:
        profile = Profile(user_id=user_id)
        db.add(profile)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.updated_at = clock()
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        if first and db.get(Profile, user_id) is not None:  # two first saves sent together: the other was saved
            raise ServiceError(PROFILE_CHANGED) from None
        raise
    return profile


UNKNOWN_LOCALE = N_("Choisissez le français ou l'arabe.")


def set_locale(db: Session, user: User, locale: str) -> None:
    """The interface language remembered on the account."""
    try:
        user.locale = Language(locale)
    except ValueError:
        raise ServiceError(UNKNOWN_LOCALE) from None
    db.commit()
