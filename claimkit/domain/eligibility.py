"""AMO-E eligibility hints. They are warnings only: the CNOPS decides, and exceptions exist.

Two kinds: the profile's remarks judged on today (`eligibility_warnings`), and a claim's, judged on its date of
care (`care_warnings`): age ≤ 30 except the final cycle of traditional education (seeds 001, 003), rights closed
30 days after a registered letter of the CNOPS then kept 6 more months, and closed after more than 6 months'
interruption of studies (seed 003). Rules and sources: docs/domain.md#advice-contacts-and-the-students-status.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from claimkit.domain.deadlines import add_months
from claimkit.domain.messages import N_, Message

AGE_LIMIT = 30
# Seed 003 ("Stop Service"): the student has 30 days from the letter's sending to justify their situation; then
# the rights close "sous réserve des 6 mois de maintien du droit aux prestations".
LETTER_DAYS = 30
MAINTAINED_MONTHS = 6
# Seed 003: rights close after "une période ininterrompue de plus de 6 mois" without studies.
INTERRUPTION_MONTHS = 6


def age_on(birth_date: date, today: date) -> int:
    had_birthday = (today.month, today.day) >= (birth_date.month, birth_date.day)
    return today.year - birth_date.year - (0 if had_birthday else 1)


def over_age_from(birth_date: date) -> date:
    """The first day the student is over AGE_LIMIT (their 31st birthday; 1 March for someone born a 29 February
    when that year has none), as `age_on` counts."""
    year = birth_date.year + AGE_LIMIT + 1
    try:
        return birth_date.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def eligibility_warnings(
    birth_date: date | None, today: date, other_coverage: bool, traditional_final_cycle: bool = False
) -> list[str]:
    warnings = []
    if birth_date is not None and age_on(birth_date, today) > AGE_LIMIT and not traditional_final_cycle:
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


@dataclass(frozen=True)
class Standing:
    """What the student can tell about their rights, all optional (the profile's « Immatriculation » block)."""

    birth_date: date | None = None
    traditional_final_cycle: bool = False  # cycle terminal de l'enseignement traditionnel: no age limit
    cnops_letter_on: date | None = None  # date of the CNOPS's registered letter announcing a change of status
    studies_interrupted_on: date | None = None  # first day without studies (for a reason other than the excused)


OVER_AGE = N_(
    "Le jour des soins (%(day)s), vous aviez plus de 30 ans (depuis le %(since)s) : l'AMO-E ne couvre en principe "
    "que les étudiants de 30 ans au plus, sauf au cycle terminal de l'enseignement traditionnel. La CNOPS décide : "
    "vérifiez vos droits avant d'envoyer."
)
LETTER_PENDING = N_(
    "Le jour des soins (%(day)s) tombe dans les 30 jours qui suivent la lettre recommandée de la CNOPS du "
    "%(letter)s : justifiez avant le %(closes)s que vous n'avez pas cessé vos études ou que vous n'avez pas d'autre "
    "couverture de base, sinon vos droits sont fermés."
)
MAINTAINED = N_(
    "Le jour des soins (%(day)s), vos droits étaient fermés depuis le %(closed)s (30 jours après la lettre "
    "recommandée de la CNOPS), mais dans les 6 mois de maintien des droits, jusqu'au %(until)s : envoyez le "
    "dossier, la CNOPS décide."
)
CLOSED_AFTER_LETTER = N_(
    "Le jour des soins (%(day)s) est après la fin des 6 mois de maintien des droits (%(until)s) qui suivent la "
    "lettre recommandée de la CNOPS : en principe la CNOPS ne rembourse plus ces soins. Contactez-la avant "
    "d'envoyer."
)
INTERRUPTED = N_(
    "Le jour des soins (%(day)s), vos études étaient interrompues depuis plus de 6 mois (depuis le %(since)s) : "
    "les droits à l'AMO-E se ferment, sauf si l'interruption est due à une maladie, une grossesse, un accident de "
    "la circulation, une décision administrative ou une poursuite judiciaire. La CNOPS décide."
)


def _letter_warning(letter: date, care_day: date) -> Message | None:
    """Seed 003: closed 30 days after the letter's sending, "sous réserve des 6 mois de maintien"."""
    closes = letter + timedelta(days=LETTER_DAYS)
    until = add_months(closes, MAINTAINED_MONTHS) - timedelta(days=1)
    if care_day < letter:
        return None
    if care_day < closes:
        last = closes - timedelta(days=1)
        return Message(LETTER_PENDING, {"day": care_day, "letter": letter, "closes": last})
    if care_day <= until:
        return Message(MAINTAINED, {"day": care_day, "closed": closes, "until": until})
    return Message(CLOSED_AFTER_LETTER, {"day": care_day, "until": until})


def care_warnings(standing: Standing, care_day: date) -> list[Message]:
    """A claim's warnings, judged on its date of care (its first act), never on today: a claim for care received
    at 30 stays payable when it is prepared after the 31st birthday."""
    warnings: list[Message] = []
    birth = standing.birth_date
    if birth is not None and not standing.traditional_final_cycle and age_on(birth, care_day) > AGE_LIMIT:
        warnings.append(Message(OVER_AGE, {"day": care_day, "since": over_age_from(birth)}))
    if standing.cnops_letter_on is not None and (letter := _letter_warning(standing.cnops_letter_on, care_day)):
        warnings.append(letter)
    since = standing.studies_interrupted_on
    if since is not None and care_day > add_months(since, INTERRUPTION_MONTHS):
        warnings.append(Message(INTERRUPTED, {"day": care_day, "since": since}))
    return warnings
