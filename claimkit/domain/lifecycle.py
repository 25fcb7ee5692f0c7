"""A claim's life: brouillon → prête → envoyée → reçue → remboursée or rejetée → re-soumise → …

brouillon ⇄ prête follows the checklist (the service switches it); the rest follows what the student reports.
Money may arrive without a "reçue" step, and several partial payments may arrive, so remboursée accepts
further payments. A sent claim never goes back to draft: its paper is at the CNOPS.
"""

from claimkit.domain.claims import ClaimState
from claimkit.domain.messages import N_

S = ClaimState

TRANSITIONS: dict[ClaimState, frozenset[ClaimState]] = {
    S.BROUILLON: frozenset({S.PRETE}),
    S.PRETE: frozenset({S.BROUILLON, S.ENVOYEE}),
    S.ENVOYEE: frozenset({S.RECUE, S.REMBOURSEE, S.REJETEE}),
    S.RECUE: frozenset({S.REMBOURSEE, S.REJETEE}),
    S.REMBOURSEE: frozenset({S.REMBOURSEE}),
    S.REJETEE: frozenset({S.RESOUMISE}),
    S.RESOUMISE: frozenset({S.RECUE, S.REMBOURSEE, S.REJETEE}),
}

EDITABLE = frozenset({S.BROUILLON, S.PRETE})
SENT = frozenset({S.ENVOYEE, S.RECUE, S.REMBOURSEE, S.REJETEE, S.RESOUMISE})

_REFUSALS: dict[ClaimState, str] = {
    S.ENVOYEE: N_("Seul un dossier prêt (toutes les pièces cochées) peut être marqué envoyé."),
    S.BROUILLON: N_("Un dossier déjà envoyé ne peut pas revenir en brouillon."),
    S.RECUE: N_("Seul un dossier envoyé peut être marqué reçu par la CNOPS."),
    S.REMBOURSEE: N_("Seul un dossier envoyé peut recevoir un remboursement."),
    S.REJETEE: N_("Seul un dossier envoyé peut être marqué rejeté."),
    S.RESOUMISE: N_("Seul un dossier rejeté peut être re-soumis."),
    S.PRETE: N_("Un dossier déjà envoyé n'a plus besoin d'être marqué prêt."),
}


class TransitionRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_editable(state: ClaimState) -> bool:
    """Acts and medicines change only before posting: afterwards the paper file is what counts."""
    return state in EDITABLE


def transition(current: ClaimState, target: ClaimState) -> ClaimState:
    if target in TRANSITIONS[current]:
        return target
    raise TransitionRefused(_REFUSALS[target])


EVENT_LABELS: dict[str, str] = {
    "created": N_("Dossier créé"),
    S.BROUILLON: N_("Revenu en brouillon : une pièce ou une information manque"),
    S.PRETE: N_("Prêt à envoyer : toutes les pièces sont réunies"),
    S.ENVOYEE: N_("Envoyé à la CNOPS"),
    S.RECUE: N_("Reçu par la CNOPS / en cours de traitement"),
    S.REMBOURSEE: N_("Remboursement reçu"),
    S.REJETEE: N_("Rejeté par la CNOPS"),
    S.RESOUMISE: N_("Re-soumis après rejet"),
}
