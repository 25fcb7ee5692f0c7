"""What to tell a student whose claim is late or rejected, and where the claim is followed: the CNOPS's own
channels, from the seeds (docs/domain.md#advice-contacts-and-the-students-status).

The contacts are the insurer's: dated rows like its address, so the CNSS takeover (law 54-23) is one more row.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from claimkit.domain.dated import in_force
from claimkit.domain.messages import N_

SOURCE_CONTACTS = "Seeds 002 (Université Ibn Zohr) and 004 (CNOPS letter 42/29/2025): docs/sources/"


@dataclass(frozen=True)
class ContactsRow:
    phone: str
    email: str
    complaints: str  # the complaints portal
    portal: str  # where a claim's state is followed after login
    valid_from: date
    valid_to: date | None = None
    source: str = ""


DEFAULT_CONTACTS = (
    ContactsRow(
        "053 800 20 20",
        "centre.appel@cnops.org.ma",
        "cnops.chikaya.ma",
        "cnops.org.ma/mon_compte",
        date(2016, 1, 1),
        None,
        SOURCE_CONTACTS,
    ),
)

# Other ways to file, from seed 001 (FAQ AMO-E): in person, or the school's guichet numérique when urgent.
OTHER_WAYS = (
    N_("Déposez le dossier en personne à l'ONOUSC (Office national des œuvres universitaires), Rue Tensift, Rabat."),
    N_("Ou déposez-le à la CNOPS à Rabat."),
    N_("Cas urgent : adressez-vous au guichet numérique de votre établissement."),
)
LATE_ADVICE = N_(
    "Le délai de deux mois est dépassé. Envoyez quand même le dossier au plus vite, complet et en originaux, et "
    "joignez un mot qui explique le retard : seule la CNOPS décide. Pour savoir s'il sera accepté, appelez-la."
)
REJECTED_ADVICE = N_(
    "Lisez le motif, corrigez ou complétez le dossier (toujours en originaux : jamais de copie), puis renvoyez-le. "
    "En cas de doute sur le motif, contactez la CNOPS."
)
TRACKING = N_(
    "Le suivi du dossier se fait sur le portail de la CNOPS (cnops.org.ma/mon_compte) ou l'application "
    "SMART CNOPS, avec votre CNIE comme n° d'immatriculation."
)

# Seed 001 (FAQ): the CNOPS pays to the RIB it has; the feuilles carry no RIB line.
RIB_AT_CNOPS = N_(
    "Changer votre RIB ici ne le change pas à la CNOPS, qui paie sur le RIB qu'elle connaît. Pour le changer, "
    "envoyez à la CNOPS une demande avec un spécimen de chèque ou une attestation de RIB originale, puis "
    "informez votre établissement."
)


def contacts_on(rows: Iterable[ContactsRow], day: date) -> ContactsRow | None:
    return in_force(rows, day)
