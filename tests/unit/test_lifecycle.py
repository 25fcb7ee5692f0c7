"""The claim lifecycle: allowed moves, French refusals, and the events the timeline records."""

from datetime import date
from decimal import Decimal
from itertools import product

import pytest

from claimkit.domain.claims import ClaimState as S
from claimkit.domain.lifecycle import (
    ACT_EDITED,
    CREATED,
    EDITABLE,
    EVENT_LABELS,
    PAYMENT_EDITED,
    SENT,
    SETTLED,
    TRANSITIONS,
    Event,
    TransitionRefused,
    advance,
    created,
    edited,
    is_editable,
    refusal,
    transition,
)

DAY = date(2026, 11, 20)
# The moves the issue and the brief describe, written out here independently of the module's table.
EXPECTED_MOVES = {
    (S.BROUILLON, S.PRETE), (S.PRETE, S.BROUILLON), (S.PRETE, S.ENVOYEE),
    (S.ENVOYEE, S.RECUE), (S.ENVOYEE, S.PARTIELLE), (S.ENVOYEE, S.REMBOURSEE), (S.ENVOYEE, S.REJETEE),
    (S.RECUE, S.PARTIELLE), (S.RECUE, S.REMBOURSEE), (S.RECUE, S.REJETEE),
    (S.PARTIELLE, S.PARTIELLE), (S.PARTIELLE, S.REMBOURSEE),
    (S.REMBOURSEE, S.REMBOURSEE),
    (S.REJETEE, S.RESOUMISE),
    (S.RESOUMISE, S.RECUE), (S.RESOUMISE, S.PARTIELLE), (S.RESOUMISE, S.REMBOURSEE), (S.RESOUMISE, S.REJETEE),
}  # fmt: skip


def walk(*states: S) -> S:
    state = states[0]
    for target in states[1:]:
        state = transition(state, target)
    return state


def test_allowed_moves_are_exactly_the_documented_ones() -> None:
    allowed = {(a, b) for a, b in product(S, S) if refusal(a, b) is None}
    assert allowed == EXPECTED_MOVES
    assert set(TRANSITIONS) == set(S)


def test_happy_paths_including_resubmission_and_partial_payments() -> None:
    assert walk(S.BROUILLON, S.PRETE, S.ENVOYEE, S.RECUE, S.REMBOURSEE, S.REMBOURSEE) is S.REMBOURSEE
    assert walk(S.BROUILLON, S.PRETE, S.ENVOYEE, S.RECUE, S.REJETEE, S.RESOUMISE, S.REMBOURSEE) is S.REMBOURSEE
    assert walk(S.PRETE, S.ENVOYEE, S.REJETEE, S.RESOUMISE, S.RECUE, S.REJETEE, S.RESOUMISE) is S.RESOUMISE


def test_money_may_arrive_without_a_received_step() -> None:
    assert transition(S.ENVOYEE, S.REMBOURSEE) is S.REMBOURSEE
    assert transition(S.RESOUMISE, S.REMBOURSEE) is S.REMBOURSEE


def test_a_ready_claim_goes_back_to_draft_when_its_checklist_breaks() -> None:
    assert walk(S.BROUILLON, S.PRETE, S.BROUILLON, S.PRETE) is S.PRETE


@pytest.mark.parametrize(("current", "target"), sorted(set(product(S, S)) - EXPECTED_MOVES))
def test_every_impossible_move_is_refused_with_a_french_sentence(current: S, target: S) -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition(current, target)
    message = refused.value.message
    assert message == refusal(current, target) == str(refused.value)
    assert message[0].isupper() and message.endswith(".") and "dossier" in message


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (S.BROUILLON, S.ENVOYEE, "Seul un dossier prêt (toutes les pièces cochées) peut être marqué envoyé."),
        (S.ENVOYEE, S.BROUILLON, "Un dossier déjà envoyé ne peut pas revenir en brouillon."),
        (S.REMBOURSEE, S.BROUILLON, "Un dossier déjà envoyé ne peut pas revenir en brouillon."),
        (S.RECUE, S.PRETE, "Un dossier déjà envoyé n'a plus besoin d'être marqué prêt."),
        (S.BROUILLON, S.RECUE, "Seul un dossier envoyé peut être marqué reçu par la CNOPS."),
        (S.PRETE, S.REMBOURSEE, "Seul un dossier envoyé peut recevoir un remboursement."),
        (S.BROUILLON, S.REJETEE, "Seul un dossier envoyé peut être marqué rejeté."),
        (S.ENVOYEE, S.RESOUMISE, "Seul un dossier rejeté peut être re-soumis."),
        (S.REMBOURSEE, S.RECUE, "Seul un dossier envoyé peut être marqué reçu, pas un dossier déjà remboursé."),
        (S.REJETEE, S.REMBOURSEE, "Un dossier rejeté doit être re-soumis avant de pouvoir être remboursé."),
        (S.REJETEE, S.ENVOYEE, "Un dossier rejeté se renvoie avec « Re-soumettre », qui garde la trace du rejet."),
        (S.RECUE, S.ENVOYEE, "Ce dossier a déjà été envoyé."),
        (S.RECUE, S.RECUE, "Ce dossier est déjà marqué reçu par la CNOPS."),
        (S.REJETEE, S.REJETEE, "Ce dossier est déjà marqué rejeté."),
        (
            S.PARTIELLE,
            S.REJETEE,
            "Un dossier déjà remboursé ne peut plus être marqué rejeté : notez la partie refusée avec le paiement.",
        ),
        (S.REMBOURSEE, S.PARTIELLE, "Ce dossier est déjà soldé : un nouveau paiement s'ajoute au remboursement."),
        (S.REJETEE, S.PARTIELLE, "Un dossier rejeté doit être re-soumis avant de pouvoir être remboursé."),
    ],
)
def test_refusals_say_what_is_wrong(current: S, target: S, message: str) -> None:
    with pytest.raises(TransitionRefused, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
        transition(current, target)


def test_a_sent_claim_never_becomes_editable_again() -> None:
    assert set(S) == SENT | EDITABLE and not SENT & EDITABLE
    for current in SENT:
        assert not TRANSITIONS[current] & EDITABLE


def test_every_state_is_reachable_from_a_draft() -> None:
    reached, frontier = {S.BROUILLON}, [S.BROUILLON]
    while frontier:
        for target in TRANSITIONS[frontier.pop()] - reached:
            reached.add(target)
            frontier.append(target)
    assert reached == set(S)


def test_only_unsent_claims_are_editable() -> None:
    assert [s for s in S if is_editable(s)] == [S.BROUILLON, S.PRETE]


def test_every_event_kind_has_a_label() -> None:
    assert set(EVENT_LABELS) == set(S) | {CREATED, SETTLED, ACT_EDITED, PAYMENT_EDITED}


# --- events -----------------------------------------------------------------------------------------------------


def test_sending_records_the_posting_day_and_the_recommande() -> None:
    state, event = advance(S.PRETE, S.ENVOYEE, date(2026, 11, 5), " RR123456789MA ")
    assert state is S.ENVOYEE
    assert event == Event("envoyee", date(2026, 11, 5), "RR123456789MA")
    assert event.label == "Envoyé à la CNOPS"


def test_the_recommande_number_is_optional() -> None:
    assert advance(S.PRETE, S.ENVOYEE, DAY)[1] == Event("envoyee", DAY)


def test_a_rejection_needs_its_motif() -> None:
    with pytest.raises(TransitionRefused, match="motif du rejet"):
        advance(S.RECUE, S.REJETEE, DAY, "   ")
    state, event = advance(S.RECUE, S.REJETEE, DAY, "Ordonnance sans durée de traitement")
    assert (state, event.kind, event.detail) == (S.REJETEE, "rejetee", "Ordonnance sans durée de traitement")


@pytest.mark.parametrize("amount", [None, Decimal("0"), Decimal("-5")])
def test_a_payment_needs_a_positive_amount(amount: Decimal | None) -> None:
    with pytest.raises(TransitionRefused, match="supérieur à 0"):
        advance(S.RECUE, S.REMBOURSEE, DAY, "virement", amount)


def test_partial_payments_each_become_an_event() -> None:
    state, first = advance(S.ENVOYEE, S.REMBOURSEE, date(2026, 11, 20), "virement VIR 1", Decimal("50.00"))
    state, second = advance(state, S.REMBOURSEE, date(2026, 11, 24), "mandat postal M-77", Decimal("28.00"))
    assert state is S.REMBOURSEE
    assert [(e.on, e.amount) for e in (first, second)] == [(date(2026, 11, 20), Decimal("50.00")),
                                                           (date(2026, 11, 24), Decimal("28.00"))]  # fmt: skip


def test_only_payments_carry_an_amount() -> None:
    with pytest.raises(ValueError, match="only a payment"):
        advance(S.ENVOYEE, S.RECUE, DAY, amount=Decimal("10"))


def test_an_impossible_move_records_nothing() -> None:
    with pytest.raises(TransitionRefused, match="ne peut pas revenir en brouillon"):
        advance(S.ENVOYEE, S.BROUILLON, DAY)


def test_the_timeline_starts_with_creation() -> None:
    event = created(date(2026, 11, 3), " copie du dossier n° 4 ")
    assert (event.kind, event.on, event.detail, event.amount) == ("created", date(2026, 11, 3),
                                                                   "copie du dossier n° 4", None)  # fmt: skip
    assert event.label == "Dossier créé"


def test_a_partial_payment_waits_for_the_students_word_then_settles_without_money() -> None:
    state, first = advance(S.RECUE, S.PARTIELLE, DAY, "virement", Decimal("250.00"))
    state, second = advance(state, S.PARTIELLE, DAY, "", Decimal("10.00"))
    assert (state, first.label, second.amount) == (S.PARTIELLE, "Remboursement partiel reçu", Decimal("10.00"))
    state, settled = advance(state, S.REMBOURSEE, DAY)
    assert (state, settled.kind, settled.amount) == (S.REMBOURSEE, SETTLED, None)
    with pytest.raises(TransitionRefused, match="supérieur à 0"):
        advance(S.RECUE, S.PARTIELLE, DAY)


def test_an_edit_keeps_before_and_after() -> None:
    event = edited(ACT_EDITED, DAY, "150.00", "180.00")
    assert (event.kind, event.detail, event.label) == ("act_edited", "150.00 → 180.00", "Acte modifié")
    assert edited(PAYMENT_EDITED, DAY, "a", "b").label == "Paiement modifié"
    with pytest.raises(ValueError, match="not an edit"):
        edited(CREATED, DAY, "a", "b")


def test_what_the_claim_page_offers_follows_the_transition_table() -> None:
    """The page's forms per state (issue 21): the same answers the old template spelled out in state names."""
    from claimkit.domain.lifecycle import allowed

    offered = {state: {name for name, on in vars(allowed(state)).items() if on} for state in S}
    assert offered == {
        S.BROUILLON: set(),
        S.PRETE: {"send"},
        S.ENVOYEE: {"receive", "pay", "partial", "reject"},
        S.RECUE: {"pay", "partial", "reject"},
        S.PARTIELLE: {"pay", "partial", "settle"},
        S.REMBOURSEE: {"pay"},
        S.REJETEE: {"resubmit"},
        S.RESOUMISE: {"receive", "pay", "partial", "reject"},
    }
