"""The attachments checklist per claim kind, and what readiness requires."""

from datetime import date
from decimal import Decimal

from claimkit.domain.checklist import RULES, assess, checklist_for
from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, MedicineLine, Student

DAY = date(2026, 11, 3)
STUDENT = Student(nom="Benjelloun", prenom="Élodie", cnie="AB123456", adresse="Rabat")


def keys(claim: Claim) -> list[str]:
    return [item.key for item in checklist_for(claim)]


def act(kind: ActType) -> Act:
    return Act(DAY, kind, Decimal("100"))


def test_consultation_only_needs_no_lab_results() -> None:
    claim = Claim(ClaimKind.MALADIE, acts=(act(ActType.CONSULTATION_GENERALISTE),))
    assert keys(claim) == ["feuille_maladie", "facture_medecin"]


def test_maladie_with_pharmacy_lab_and_radiology() -> None:
    claim = Claim(
        ClaimKind.MALADIE,
        acts=(act(ActType.CONSULTATION_SPECIALISTE), act(ActType.PHARMACIE), act(ActType.ANALYSES),
              act(ActType.RADIOLOGIE)),
    )  # fmt: skip
    assert keys(claim) == [
        "feuille_maladie", "ordonnance", "facture_medecin", "facture_laboratoire", "resultats_analyses",
        "facture_radiologie", "compte_rendu_radiologie", "codes_barres",
    ]  # fmt: skip
    barcodes = next(item for item in checklist_for(claim) if item.key == "codes_barres")
    assert not barcodes.required  # recommended, never blocking


def test_medicines_alone_bring_ordonnance_and_barcodes() -> None:
    claim = Claim(ClaimKind.MALADIE, medicines=(MedicineLine("ZADRYL"),))
    assert keys(claim) == ["feuille_maladie", "ordonnance", "codes_barres"]


def test_dentaire() -> None:
    claim = Claim(ClaimKind.DENTAIRE, acts=(act(ActType.SOINS_DENTAIRES),))
    assert keys(claim) == ["feuille_dentaire", "facture_dentiste"]


def test_ald_with_hospitalisation_and_operation() -> None:
    claim = Claim(ClaimKind.ALD, acts=(act(ActType.HOSPITALISATION), act(ActType.OPERATION)), ald_code="12")
    assert keys(claim) == ["feuille_ald", "facture_hospitalisation", "compte_rendu_operatoire"]


def test_accident_with_and_without_third_party() -> None:
    alone = Claim(ClaimKind.ACCIDENT, acts=(act(ActType.CONSULTATION_GENERALISTE),), accident_date=DAY)
    assert keys(alone) == ["feuille_maladie", "facture_medecin", "declaration_accident"]
    liable = Claim(ClaimKind.ACCIDENT, acts=alone.acts, accident_date=DAY, third_party_liable=True)
    assert keys(liable)[-1] == "engagement_restituer"


def test_every_rule_explains_itself() -> None:
    assert len({rule.key for rule in RULES}) == len(RULES)
    assert all(rule.label and len(rule.why) > 20 for rule in RULES)


def test_ready_only_when_all_required_items_and_fields() -> None:
    claim = Claim(ClaimKind.MALADIE, acts=(act(ActType.PHARMACIE),), medicines=(MedicineLine("ZADRYL"),))
    partial = assess(claim, {"feuille_maladie"}, STUDENT)
    assert not partial.ready
    assert partial.missing == ("Ordonnance originale",)
    assert (partial.ticked_required, partial.required) == (1, 2)
    done = assess(claim, {"feuille_maladie", "ordonnance"}, STUDENT)
    assert done.ready and done.missing == ()


def test_missing_student_and_claim_fields_are_named() -> None:
    empty = Student(nom="", prenom=" ", cnie="", payout_method="virement")
    result = assess(Claim(ClaimKind.ALD), set(), empty)
    assert result.missing[:6] == (
        "votre nom (profil)", "votre prénom (profil)", "votre n° de CNIE (profil)", "votre adresse (profil)",
        "votre RIB, ou choisissez le mandat postal (profil)", "au moins un acte (consultation, pharmacie…)",
    )  # fmt: skip
    assert "le code de l'ALD (informations du dossier)" in result.missing
    accident = assess(Claim(ClaimKind.ACCIDENT, acts=(act(ActType.AUTRE),)), set(), STUDENT)
    assert "la date de l'accident (informations du dossier)" in accident.missing
