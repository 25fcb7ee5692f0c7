"""The immatriculation statuses are the CNOPS page's messages quoted in seed 000, and each status not yet
"immatriculé(e)" says what to do before a claim (docs/domain.md#advice-contacts-and-the-students-status)."""

from pathlib import Path

from claimkit.domain.registration import ADVICE, SHORT_LABELS, STATUS_LABELS, UNSET_HINT, Status, before_claim, parse

SEED_000 = " ".join((Path(__file__).parents[2] / "docs/sources/000_dd3faa2fe15bbb4a.txt").read_text().split())


def test_each_status_quotes_the_seed_message() -> None:
    for status, label in STATUS_LABELS.items():
        quoted = label.split("« ", 1)[1].rsplit(" »", 1)[0]
        assert quoted in SEED_000, status
    assert set(STATUS_LABELS) == set(SHORT_LABELS) == set(ADVICE) == set(Status)


def test_before_a_claim_each_status_says_what_to_do() -> None:
    assert before_claim(None) == (UNSET_HINT,)  # unset: an invitation, nothing alarming
    assert before_claim(Status.IMMATRICULE) == ()
    assert "revenez plus tard" in before_claim(Status.EN_COURS)[0]
    assert any("formulaire AMO de la plateforme de votre université" in t for t in before_claim(Status.NON_RECUE))
    covered = " ".join(before_claim(Status.COUVERT_AILLEURS))
    assert "au régime qui vous couvre" in covered and "déclaration erronée" in covered


def test_an_unknown_stored_value_is_unset() -> None:
    assert parse("immatricule") is Status.IMMATRICULE
    assert parse("") is None and parse("autre") is None
