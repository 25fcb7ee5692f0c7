"""AMO-E eligibility hints. They are warnings only: the CNOPS decides, and exceptions exist
(terminal cycle of traditional education, maintained rights)."""

from datetime import date

from claimkit.domain.messages import N_

AGE_LIMIT = 30


def age_on(birth_date: date, today: date) -> int:
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1)


def eligibility_warnings(birth_date: date | None, today: date, other_coverage: bool) -> list[str]:
    warnings = []
    if birth_date is not None and age_on(birth_date, today) > AGE_LIMIT:
        warnings.append(
            N_(
                "Vous avez plus de 30 ans : l'AMO-E ne couvre en principe que les étudiants de 30 ans au plus "
                "(sauf cycle terminal de l'enseignement traditionnel). Vérifiez vos droits auprès de la CNOPS."
            )
        )
    if other_coverage:
        warnings.append(
            N_(
                "Vous déclarez une autre couverture de base (parent CNOPS, CNSS, mutuelle) : l'AMO-E ne s'applique "
                "pas aux ayants droit d'un autre régime. Envoyez vos feuilles à ce régime-là."
            )
        )
    return warnings
