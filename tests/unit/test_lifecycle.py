import pytest

from claimkit.domain.claims import ClaimState as S
from claimkit.domain.lifecycle import EVENT_LABELS, TRANSITIONS, TransitionRefused, is_editable, transition

HAPPY = [S.BROUILLON, S.PRETE, S.ENVOYEE, S.RECUE, S.REJETEE, S.RESOUMISE, S.REMBOURSEE, S.REMBOURSEE]


def test_happy_path_including_resubmission_and_partial_payments() -> None:
    state = HAPPY[0]
    for target in HAPPY[1:]:
        state = transition(state, target)
    assert state is S.REMBOURSEE


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (S.BROUILLON, S.ENVOYEE, "Seul un dossier prêt"),
        (S.ENVOYEE, S.BROUILLON, "ne peut pas revenir en brouillon"),
        (S.BROUILLON, S.RECUE, "Seul un dossier envoyé peut être marqué reçu"),
        (S.PRETE, S.REMBOURSEE, "Seul un dossier envoyé peut recevoir un remboursement"),
        (S.BROUILLON, S.REJETEE, "Seul un dossier envoyé peut être marqué rejeté"),
        (S.ENVOYEE, S.RESOUMISE, "Seul un dossier rejeté peut être re-soumis"),
        (S.ENVOYEE, S.PRETE, "n'a plus besoin d'être marqué prêt"),
    ],
)
def test_impossible_transitions_are_refused_in_french(current: S, target: S, message: str) -> None:
    with pytest.raises(TransitionRefused) as refused:
        transition(current, target)
    assert message in refused.value.message


def test_every_state_has_rules_and_labels() -> None:
    assert set(TRANSITIONS) == set(S)
    assert set(EVENT_LABELS) == set(S) | {"created"}


def test_only_unsent_claims_are_editable() -> None:
    assert [s for s in S if is_editable(s)] == [S.BROUILLON, S.PRETE]
