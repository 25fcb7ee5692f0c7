"""The student's immatriculation at the CNOPS, as the student reads it on the CNOPS's "suivre le traitement de
votre demande d'immatriculation" page, and what to do before a first claim for each status.

The statuses are the messages of that page quoted in seed 000 (Université Abdelmalek Essaâdi's notice); the advice
comes from seeds 000, 001, 002 and 003 (docs/domain.md#advice-contacts-and-the-students-status). The status is
optional: unset, the student is only invited to set it.
"""

from enum import StrEnum

from claimkit.domain.messages import N_


class Status(StrEnum):
    EN_COURS = "en_cours"
    IMMATRICULE = "immatricule"
    NON_RECUE = "non_recue"
    COUVERT_AILLEURS = "couvert_ailleurs"


# The choice as the student sees it: our short name, then the CNOPS's (or the university platform's) own message.
STATUS_LABELS = {
    Status.EN_COURS: N_("En cours de traitement (« Votre demande est en cours de traitement. »)"),
    Status.IMMATRICULE: N_(
        "Immatriculé(e) (« Vous êtes immatriculés, veuillez consulter votre boîte email mentionnée sur votre "
        "demande. »)"
    ),
    Status.NON_RECUE: N_("Demande non reçue (« Demande d'immatriculation non reçue par la CNOPS. »)"),
    Status.COUVERT_AILLEURS: N_(
        "Déclaré(e) couvert(e) ailleurs (« vous avez déclaré que vous possédez déjà une couverture médicale »)"
    ),
}
SHORT_LABELS = {
    Status.EN_COURS: N_("en cours de traitement"),
    Status.IMMATRICULE: N_("immatriculé(e)"),
    Status.NON_RECUE: N_("demande non reçue par la CNOPS"),
    Status.COUVERT_AILLEURS: N_("déclaré(e) couvert(e) ailleurs"),
}

# Where the status is read (seeds 000 and 002): eservices.cnops.org.ma, « Pour suivre le traitement de votre
# demande d'immatriculation ».
WHERE_TO_READ = N_(
    "Votre statut s'affiche sur le site de la CNOPS (eservices.cnops.org.ma, « Pour suivre le traitement de votre "
    "demande d'immatriculation ») avec votre CNIE, votre code Massar et votre date de naissance."
)
UNSET_HINT = N_(
    "Où en est votre immatriculation à l'AMO-E ? Indiquez-le dans votre profil : vous le lisez sur le site de la "
    "CNOPS (eservices.cnops.org.ma, « Pour suivre le traitement de votre demande d'immatriculation »), avec votre "
    "CNIE, votre code Massar et votre date de naissance."
)
ADVICE = {
    # Seed 000, F-2 to F-4: the university, then the CNOPS, process the request; "rendez-vous plus tard".
    Status.EN_COURS: (
        N_(
            "Votre demande d'immatriculation est en cours de traitement. Les prestations de l'AMO-E viennent après "
            "l'immatriculation : revenez plus tard sur le site de la CNOPS pour suivre votre demande."
        ),
        N_(
            "En attendant, gardez les originaux (feuille de soins, ordonnance, factures) : le délai de deux mois "
            "compte depuis le jour des soins."
        ),
    ),
    # Seed 000: the signed paper request may still be in the post ("visitez la page ultérieurement"); a student
    # not yet registered files the request on the university's AMO platform (seeds 000, 001, 002, 003).
    Status.NON_RECUE: (
        N_(
            "La CNOPS n'a pas encore reçu votre demande d'immatriculation. Si vous vous êtes inscrit(e), la demande "
            "papier signée par votre université est peut-être encore en route : revenez sur le site plus tard."
        ),
        N_(
            "Si vous ne vous êtes pas encore inscrit(e) : remplissez le formulaire AMO de la plateforme de votre "
            "université (à l'inscription ou à la réinscription, ouvert toute l'année), puis suivez la demande sur "
            "le site de la CNOPS. En cas de difficulté, adressez-vous au responsable AMO-E (correspondant CNOPS) de "
            "votre établissement."
        ),
    ),
    # Seed 000, F-5: a student who declared another coverage is not sent to the CNOPS; a wrong "oui" is corrected
    # through the school's AMO-E officer. Seeds 001, 002: AMO-E excludes another coverage.
    Status.COUVERT_AILLEURS: (
        N_(
            "Vous avez déclaré une autre couverture médicale : votre demande n'est pas envoyée à la CNOPS et l'AMO-E "
            "ne vous rembourse pas. Envoyez vos feuilles de soins au régime qui vous couvre (par exemple celui de "
            "votre parent)."
        ),
        N_(
            "Si vous avez répondu « oui » par erreur, allez voir le responsable AMO-E de votre établissement et "
            "demandez une « suppression et recréation de compte pour déclaration erronée »."
        ),
    ),
    Status.IMMATRICULE: (),
}


def parse(value: str) -> Status | None:
    """The stored status, or None when unset (or unknown: an old value never blocks a page)."""
    try:
        return Status(value)
    except ValueError:
        return None


def before_claim(status: Status | None) -> tuple[str, ...]:
    """What a student is told before a claim: nothing once immatriculé(e), the invitation to set it when unset."""
    if status is None:
        return (UNSET_HINT,)
    return ADVICE[status]
