"""A claim's life, as a transition table, and the events its timeline records.

    brouillon ⇄ prête → envoyée → reçue → partiellement remboursée ⟲ → remboursée ⟲
                           │        └──→ rejetée → re-soumise → reçue | (partiellement) remboursée | rejetée
                           └─→ (partiellement) remboursée | rejetée (without a "reçue" step)

Decisions, and why:
- brouillon ⇄ prête follows the checklist (the service switches it after every edit): a claim that became
  incomplete again (an act added, a tick removed) goes back to brouillon on its own.
- A sent claim never goes back to brouillon or prête: its paper is at the CNOPS, and the student's copy must stay
  what was posted. To correct it after a rejection, the service copies it into a new draft.
- Money may arrive without a "reçue" step (many students only notice the virement), so envoyée and re-soumise
  go straight to remboursée too. The CNOPS may pay in several instalments: a payment leaves the claim
  "partiellement remboursée" until the student says it is the last one (or closes it later: the event SETTLED,
  without an amount); remboursée still accepts a late payment (docs/domain.md#claim-lifecycle).
- A rejection needs a motif, and only re-soumise leaves rejetée: a rejected claim is neither received nor paid
  until it has been sent again. A claim already (partly) paid is not marked rejected: the unpaid part's reason
  belongs in the payment's note, not in a state that would hide the money received.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from claimkit.domain.claims import ClaimState, PayoutMethod
from claimkit.domain.messages import N_, Message, Refusal

S = ClaimState
CREATED = "created"  # the timeline's first event; every other event kind is the state the claim entered
SETTLED = "settled"  # partiellement remboursée → remboursée by the student's word, no money with it
ACT_EDITED = "act_edited"  # edits of what was typed, recorded so that the timeline shows a figure changed
PAYMENT_EDITED = "payment_edited"

TRANSITIONS: dict[ClaimState, frozenset[ClaimState]] = {
    S.BROUILLON: frozenset({S.PRETE}),
    S.PRETE: frozenset({S.BROUILLON, S.ENVOYEE}),
    S.ENVOYEE: frozenset({S.RECUE, S.PARTIELLE, S.REMBOURSEE, S.REJETEE}),
    S.RECUE: frozenset({S.PARTIELLE, S.REMBOURSEE, S.REJETEE}),
    S.PARTIELLE: frozenset({S.PARTIELLE, S.REMBOURSEE}),
    S.REMBOURSEE: frozenset({S.REMBOURSEE}),
    S.REJETEE: frozenset({S.RESOUMISE}),
    S.RESOUMISE: frozenset({S.RECUE, S.PARTIELLE, S.REMBOURSEE, S.REJETEE}),
}

EDITABLE = frozenset({S.BROUILLON, S.PRETE})
SENT = frozenset(S) - EDITABLE
_ANY = frozenset(S)
PAID = frozenset({S.PARTIELLE, S.REMBOURSEE})

_ALREADY: dict[ClaimState, str] = {
    S.BROUILLON: N_("Ce dossier est déjà en brouillon."),
    S.PRETE: N_("Ce dossier est déjà prêt à envoyer."),
    S.ENVOYEE: N_("Ce dossier est déjà marqué envoyé."),
    S.RECUE: N_("Ce dossier est déjà marqué reçu par la CNOPS."),
    S.REJETEE: N_("Ce dossier est déjà marqué rejeté."),
    S.RESOUMISE: N_("Ce dossier est déjà re-soumis : attendez la réponse de la CNOPS."),
}

# Why a move is refused: the first row whose (from, to) sets match wins, so specific rows come first.
_REFUSALS: tuple[tuple[frozenset[ClaimState], frozenset[ClaimState], str], ...] = (
    (PAID, frozenset({S.RECUE}),
     N_("Seul un dossier envoyé peut être marqué reçu, pas un dossier déjà remboursé.")),
    (frozenset({S.REJETEE}), frozenset({S.RECUE}),
     N_("Seul un dossier envoyé peut être marqué reçu, pas un dossier rejeté : re-soumettez-le d'abord.")),
    (frozenset({S.REJETEE}), frozenset({S.ENVOYEE}),
     N_("Un dossier rejeté se renvoie avec « Re-soumettre », qui garde la trace du rejet.")),
    (frozenset({S.REJETEE}), PAID,
     N_("Un dossier rejeté doit être re-soumis avant de pouvoir être remboursé.")),
    (frozenset({S.REMBOURSEE}), frozenset({S.PARTIELLE}),
     N_("Ce dossier est déjà soldé : un nouveau paiement s'ajoute au remboursement.")),
    (PAID, frozenset({S.REJETEE}),
     N_("Un dossier déjà remboursé ne peut plus être marqué rejeté : notez la partie refusée avec le paiement.")),
    (SENT, frozenset({S.BROUILLON}), N_("Un dossier déjà envoyé ne peut pas revenir en brouillon.")),
    (SENT, frozenset({S.PRETE}), N_("Un dossier déjà envoyé n'a plus besoin d'être marqué prêt.")),
    (SENT, frozenset({S.ENVOYEE}), N_("Ce dossier a déjà été envoyé.")),
    (EDITABLE, frozenset({S.ENVOYEE}), N_("Seul un dossier prêt (toutes les pièces cochées) peut être marqué envoyé.")),
    (EDITABLE, frozenset({S.RECUE}), N_("Seul un dossier envoyé peut être marqué reçu par la CNOPS.")),
    (EDITABLE, PAID, N_("Seul un dossier envoyé peut recevoir un remboursement.")),
    (EDITABLE, frozenset({S.REJETEE}), N_("Seul un dossier envoyé peut être marqué rejeté.")),
    (_ANY, frozenset({S.RESOUMISE}), N_("Seul un dossier rejeté peut être re-soumis.")),
)  # fmt: skip


class TransitionRefused(Refusal):
    """A move the student asked for that the lifecycle forbids."""


def awaits_news(state: ClaimState) -> bool:
    """Posted (or posted again) and nothing heard from the CNOPS since: the follow-up reminder applies."""
    return state in (ClaimState.ENVOYEE, ClaimState.RESOUMISE)


def is_editable(state: ClaimState) -> bool:
    """Acts and medicines change only before posting: afterwards the paper file is what counts."""
    return state in EDITABLE


def refusal(current: ClaimState, target: ClaimState) -> str | None:
    """Why `current` → `target` is impossible, or None when it is allowed.

    Every forbidden pair has a message naming what the student can do instead (a unit test walks them all).
    """
    if target in TRANSITIONS[current]:
        return None
    if current is target:
        return _ALREADY[current]
    return next(message for sources, targets, message in _REFUSALS if current in sources and target in targets)


def transition(current: ClaimState, target: ClaimState) -> ClaimState:
    """The new state, or TransitionRefused with the reason in French."""
    message = refusal(current, target)
    if message is not None:
        raise TransitionRefused(message)
    return target


EVENT_LABELS: dict[str, str] = {
    CREATED: N_("Dossier créé"),
    SETTLED: N_("Dossier soldé : la CNOPS a payé tout ce qu'elle paiera"),
    ACT_EDITED: N_("Acte modifié"),
    PAYMENT_EDITED: N_("Paiement modifié"),
    S.BROUILLON: N_("Revenu en brouillon : une pièce ou une information manque"),
    S.PRETE: N_("Prêt à envoyer : toutes les pièces sont réunies"),
    S.ENVOYEE: N_("Envoyé à la CNOPS"),
    S.RECUE: N_("Reçu par la CNOPS / en cours de traitement"),
    S.PARTIELLE: N_("Remboursement partiel reçu"),
    S.REMBOURSEE: N_("Remboursement reçu"),
    S.REJETEE: N_("Rejeté par la CNOPS"),
    S.RESOUMISE: N_("Re-soumis après rejet"),
}


@dataclass(frozen=True)
class Event:
    """One line of a claim's timeline, as the service persists it.

    `kind` is CREATED or the state entered; `on` is the day it happened in the student's life (the posting
    date, the day the money arrived), not the day it was typed in. `detail` holds the n° de recommandé, the
    rejection motif or the payment reference; `amount` is set for payments only.
    """

    kind: str
    on: date
    detail: str = ""
    amount: Decimal | None = None

    @property
    def label(self) -> str:
        return EVENT_LABELS[self.kind]


def created(on: date, detail: str = "") -> Event:
    return Event(CREATED, on, detail.strip())


def edited(kind: str, on: date, before: str, after: str) -> Event:
    """An act or a payment typed again: the detail keeps what it said before and after (figures and codes
    only, so the timeline reads the same in French and Arabic)."""
    if kind not in (ACT_EDITED, PAYMENT_EDITED):
        raise ValueError(f"not an edit event: {kind}")
    return Event(kind, on, f"{before} → {after}")


def advance(
    current: ClaimState, target: ClaimState, on: date, detail: str = "", amount: Decimal | None = None
) -> tuple[ClaimState, Event]:
    """Checks a move and what it must carry, and returns the new state with the event to record.

    A rejection without its motif or a payment without a positive amount would leave a timeline the student
    cannot use later (to resubmit, or to check the CNOPS's statement), so both are refused here.
    """
    new_state = transition(current, target)
    if target is S.REJETEE and not detail.strip():
        raise TransitionRefused(N_("Indiquez le motif du rejet donné par la CNOPS."))
    if current is S.PARTIELLE and target is S.REMBOURSEE and amount is None:
        return new_state, Event(SETTLED, on, detail.strip())
    if target in PAID:
        if amount is None or amount <= 0:
            raise TransitionRefused(N_("Le montant reçu doit être supérieur à 0."))
    elif amount is not None:
        raise ValueError(f"only a payment carries an amount, not a move to {target}")
    return new_state, Event(str(target), on, detail.strip(), amount)


# What the timeline stores is language-neutral (figures, codes, keys); the words are said at display time in the
# reader's language (issue 17). Rows written before that carry French words: they are read the same way.
COPY_OF = N_("copie du dossier n° %(number)s")
PAID_BY = {PayoutMethod.VIREMENT: N_("virement"), PayoutMethod.MANDAT: N_("mandat postal")}
_COPY = re.compile(r"(?:copie du dossier n° |copy:)(\d+)")
_METHOD = re.compile(r"(virement|mandat postal|mandat)(?: (.*))?", re.S)


def copy_detail(source_id: int) -> str:
    """The detail of a copy's "created" event: the source's number, no words."""
    return f"copy:{source_id}"


def payment_detail(method: str, reference: str) -> str:
    """The detail of a payment's event: the method's key (as payments.method) and the reference typed."""
    return f"{method} {reference.strip()}".strip()


def said_detail(kind: str, detail: str) -> tuple[Message | None, str]:
    """(words to translate, the rest as typed) for an event's stored detail; (None, detail) when it holds no
    words of ours (a reason typed by the student, figures of an edit)."""
    if kind == CREATED and (copy := _COPY.fullmatch(detail)):
        return Message(COPY_OF, {"number": copy.group(1)}), ""
    if kind in PAID and (paid := _METHOD.fullmatch(detail)):
        method = PayoutMethod.VIREMENT if paid.group(1) == PayoutMethod.VIREMENT else PayoutMethod.MANDAT
        return Message(PAID_BY[method]), paid.group(2) or ""
    return None, detail
