"""The attachments checklist per claim kind, and what readiness requires (docs/domain.md#checklist-of-attachments)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from claimkit.domain import checklist
from claimkit.domain.checklist import RULES, ChecklistItem, assess, checklist_for
from claimkit.domain.claims import ACT_LABELS, Act, ActType, Claim, ClaimKind, MedicineLine, Student
from claimkit.domain.messages import Message

DAY = date(2026, 11, 3)
STUDENT = Student(nom="Benjelloun", prenom="Élodie", cnie="AB123456", adresse="12 rue Tansift, Rabat")


def keys(claim: Claim) -> list[str]:
    return [item.key for item in checklist_for(claim)]


def item(claim: Claim, key: str) -> ChecklistItem:
    return next(i for i in checklist_for(claim) if i.key == key)


def act(kind: ActType, amount: str = "100") -> Act:
    return Act(DAY, kind, Decimal(amount))


def maladie(*types: ActType, medicines: tuple[MedicineLine, ...] = ()) -> Claim:
    return Claim(ClaimKind.MALADIE, acts=tuple(act(t) for t in types), medicines=medicines)


# --- maladie ----------------------------------------------------------------------------------------------------


def test_consultation_only_needs_no_lab_results() -> None:
    assert keys(maladie(ActType.CONSULTATION_GENERALISTE)) == ["feuille_maladie", "facture_medecin"]
    assert keys(maladie(ActType.CONSULTATION_SPECIALISTE)) == ["feuille_maladie", "facture_medecin"]


def test_maladie_with_pharmacy_lab_and_radiology() -> None:
    claim = maladie(ActType.CONSULTATION_SPECIALISTE, ActType.PHARMACIE, ActType.ANALYSES, ActType.RADIOLOGIE)
    assert keys(claim) == [
        "feuille_maladie", "ordonnance", "facture_medecin", "facture_laboratoire", "resultats_analyses",
        "facture_radiologie", "compte_rendu_radiologie", "codes_barres",
    ]  # fmt: skip
    # seed 002 lists "Le Code à barres des médicaments achetés"; the CNOPS (December 2020) dropped only the PPV
    # vignettes and kept the number printed on the box, or the box itself
    codes = item(claim, "codes_barres")
    assert codes.required
    assert codes.label == "Codes des médicaments : le code-barres imprimé sur chaque boîte, découpé, ou la boîte"
    assert "numéro de série imprimé sur la boîte" in codes.why and "la boîte du médicament" in codes.why
    ordonnance = item(claim, "ordonnance")
    assert ordonnance.required and "signée et cachetée par le médecin et par le pharmacien" in ordonnance.label
    assert all(word in ordonnance.why for word in ("votre nom", "nom du médecin", "doses", "durée", "pharmacien"))


@pytest.mark.parametrize(
    ("act_type", "expected"),
    [
        (ActType.PHARMACIE, {"feuille_maladie", "ordonnance", "codes_barres"}),
        (ActType.ANALYSES, {"feuille_maladie", "ordonnance", "facture_laboratoire", "resultats_analyses"}),
        (ActType.RADIOLOGIE, {"feuille_maladie", "ordonnance", "facture_radiologie", "compte_rendu_radiologie"}),
        (ActType.HOSPITALISATION, {"feuille_maladie", "facture_hospitalisation"}),
        (ActType.OPERATION, {"feuille_maladie", "facture_medecin", "compte_rendu_operatoire"}),
        (ActType.AUTRE, {"feuille_maladie", "facture_medecin"}),
    ],
)
def test_each_act_brings_its_own_pieces(act_type: ActType, expected: set[str]) -> None:
    assert set(keys(maladie(act_type))) == expected


def test_medicines_alone_bring_ordonnance_and_barcodes() -> None:
    claim = maladie(medicines=(MedicineLine("ZADRYL"),))
    assert keys(claim) == ["feuille_maladie", "ordonnance", "codes_barres"]


def test_the_same_act_twice_lists_each_piece_once() -> None:
    claim = maladie(ActType.ANALYSES, ActType.ANALYSES, ActType.PHARMACIE)
    assert len(keys(claim)) == len(set(keys(claim)))


# --- dentaire, ALD, accident ------------------------------------------------------------------------------------


def test_dentaire_needs_its_own_sheet_and_the_if_ice_invoice() -> None:
    claim = Claim(ClaimKind.DENTAIRE, acts=(act(ActType.SOINS_DENTAIRES),))
    assert keys(claim) == ["feuille_dentaire", "facture_dentiste"]
    assert item(claim, "facture_dentiste").label == "Note d'honoraires originale du dentiste (avec IF et ICE)"
    assert checklist.act_warnings(claim) == []


@pytest.mark.parametrize("kind", [ActType.PROTHESE_DENTAIRE, ActType.ORTHODONTIE])
def test_prosthesis_and_orthodontics_need_radios_and_the_entente(kind: ActType) -> None:
    claim = Claim(ClaimKind.DENTAIRE, acts=(act(kind),))
    assert keys(claim) == ["feuille_dentaire", "facture_dentiste", "radios_dentaires", "entente_prealable"]
    assert "avant et après" in item(claim, "radios_dentaires").label
    assert "AVANT les soins" in item(claim, "entente_prealable").why
    assert checklist.act_warnings(claim) == [checklist.ENTENTE_WARNING]
    label = ACT_LABELS[kind]
    missing = texts(assess(claim, set(), STUDENT).missing_claim)
    assert missing == (
        f"l'IF et l'ICE du dentiste pour l'acte « {label} » du 03/11/2026 (actes)",
        f"le n° d'entente préalable de l'acte « {label} » du 03/11/2026 (actes)",
    )
    filled = Claim(ClaimKind.DENTAIRE, acts=(replace(act(kind), dentist_if="1234567", dentist_ice="001561191000066",
                                                     entente="E-42"),))  # fmt: skip
    assert assess(filled, set(keys(filled)), STUDENT).ready


def test_ald_sheet_carries_the_code_and_the_accord() -> None:
    claim = Claim(ClaimKind.ALD, acts=(act(ActType.HOSPITALISATION), act(ActType.OPERATION)), ald_code="12")
    assert keys(claim) == ["feuille_ald", "facture_medecin", "facture_hospitalisation", "compte_rendu_operatoire"]
    sheet = item(claim, "feuille_ald")
    assert "code ALD" in sheet.label and "accord" in sheet.label


def test_ald_with_medicines_still_needs_the_ordonnance() -> None:
    claim = Claim(ClaimKind.ALD, acts=(act(ActType.PHARMACIE),), medicines=(MedicineLine("INSULINE"),))
    assert keys(claim) == ["feuille_ald", "ordonnance", "codes_barres"]


def test_accident_with_and_without_third_party() -> None:
    alone = Claim(ClaimKind.ACCIDENT, acts=(act(ActType.CONSULTATION_GENERALISTE),), accident_date=DAY)
    assert keys(alone) == ["feuille_maladie", "facture_medecin", "declaration_accident"]
    liable = Claim(ClaimKind.ACCIDENT, acts=alone.acts, accident_date=DAY, third_party_liable=True)
    assert keys(liable) == ["feuille_maladie", "facture_medecin", "declaration_accident", "engagement_restituer"]


def test_a_third_party_outside_an_accident_brings_no_engagement() -> None:
    claim = Claim(ClaimKind.MALADIE, acts=(act(ActType.CONSULTATION_GENERALISTE),), third_party_liable=True)
    assert "engagement_restituer" not in keys(claim)


@pytest.mark.parametrize("kind", list(ClaimKind))
def test_every_kind_needs_exactly_one_filled_sheet(kind: ClaimKind) -> None:
    sheets = [key for key in keys(Claim(kind)) if key.startswith("feuille_")]
    assert len(sheets) == 1


# --- the table itself -------------------------------------------------------------------------------------------


def test_every_rule_explains_itself() -> None:
    assert len({rule.key for rule in RULES}) == len(RULES)
    assert all(rule.label and len(rule.why) > 20 for rule in RULES)


def test_no_attachment_is_optional() -> None:
    """The medicines' codes were the last "recommended" item: they are required (see test above)."""
    assert [rule.key for rule in RULES if not rule.required] == []


def test_every_rule_can_apply_to_some_claim() -> None:
    everything = tuple(act(t) for t in ActType)
    reached = set()
    for kind in ClaimKind:
        claim = Claim(kind, everything, (MedicineLine("X"),), third_party_liable=True, exoneration=True)
        reached |= set(keys(claim))
    assert reached == {rule.key for rule in RULES}


def texts(messages: tuple[Message, ...]) -> tuple[str, ...]:
    return tuple(message.render() for message in messages)


# --- readiness --------------------------------------------------------------------------------------------------


def test_ready_only_when_all_required_items_and_fields() -> None:
    claim = maladie(ActType.PHARMACIE, medicines=(MedicineLine("ZADRYL"),))
    partial = assess(claim, {"feuille_maladie"}, STUDENT)
    assert not partial.ready
    assert (
        texts(partial.missing)
        == texts(partial.missing_items)
        == (
            "Ordonnance originale, signée et cachetée par le médecin et par le pharmacien",
            "Codes des médicaments : le code-barres imprimé sur chaque boîte, découpé, ou la boîte",
        )
    )
    assert (partial.ticked_required, partial.required) == (1, 3)
    assert not assess(claim, {"feuille_maladie", "ordonnance"}, STUDENT).ready  # the codes are required
    done = assess(claim, {"feuille_maladie", "ordonnance", "codes_barres"}, STUDENT)
    assert done.ready and texts(done.missing) == ()
    assert (done.ticked_required, done.required) == (3, 3)


def test_ticks_of_items_that_no_longer_apply_are_ignored() -> None:
    claim = maladie(ActType.CONSULTATION_GENERALISTE)
    result = assess(claim, {"feuille_maladie", "facture_medecin", "resultats_analyses", "nonsense"}, STUDENT)
    assert result.ready
    assert (result.ticked_required, result.required) == (2, 2)


def test_missing_student_fields_are_named() -> None:
    empty = Student(nom="", prenom=" ", cnie="", payout_method="virement", rib="  ")
    result = assess(maladie(ActType.CONSULTATION_GENERALISTE), {"feuille_maladie", "facture_medecin"}, empty)
    assert not result.ready
    assert texts(result.missing) == texts(result.missing_profile) == (
        "votre nom (profil)", "votre prénom (profil)", "votre n° de CNIE (profil)", "votre adresse (profil)",
        "votre RIB, ou choisissez le mandat postal (profil)",
    )  # fmt: skip


def test_rib_is_asked_only_for_a_virement() -> None:
    claim = maladie(ActType.CONSULTATION_GENERALISTE)
    ticked = {"feuille_maladie", "facture_medecin"}
    by_post = Student(nom="A", prenom="B", cnie="K1", adresse="Fès", payout_method="mandat")
    assert assess(claim, ticked, by_post).ready
    by_transfer = Student(nom="A", prenom="B", cnie="K1", adresse="Fès", payout_method="virement")
    assert texts(assess(claim, ticked, by_transfer).missing) == ("votre RIB, ou choisissez le mandat postal (profil)",)
    with_rib = Student(nom="A", prenom="B", cnie="K1", adresse="Fès", payout_method="virement", rib="0" * 24)
    assert assess(claim, ticked, with_rib).ready


def test_missing_claim_data_is_named() -> None:
    result = assess(Claim(ClaimKind.ALD), {"feuille_ald"}, STUDENT)
    assert texts(result.missing) == texts(result.missing_claim) == (
        "au moins un acte (consultation, pharmacie…)", "le code de l'ALD (informations du dossier)",
    )  # fmt: skip
    accident = assess(Claim(ClaimKind.ACCIDENT, acts=(act(ActType.AUTRE),)), set(), STUDENT)
    assert texts(accident.missing_claim) == ("la date de l'accident (informations du dossier)",)


def test_an_act_without_amount_is_named_with_its_date() -> None:
    claim = Claim(
        ClaimKind.MALADIE,
        acts=(act(ActType.CONSULTATION_GENERALISTE, "150"), Act(date(2026, 11, 4), ActType.ANALYSES, Decimal("0"))),
    )
    result = assess(claim, {rule.key for rule in RULES}, STUDENT)
    assert texts(result.missing) == ("le montant payé de l'acte « Analyses de laboratoire » du 04/11/2026 (actes)",)
    catalogue = {"le montant payé de l'acte « %(act)s » du %(day)s (actes)": "%(day)s ← %(act)s",
                 "Analyses de laboratoire": "تحاليل"}  # fmt: skip
    assert result.missing[0].render(catalogue.__getitem__, day=date.isoformat) == "2026-11-04 ← تحاليل"


def test_gaps_are_listed_profile_first_then_claim_then_pieces() -> None:
    result = assess(Claim(ClaimKind.ACCIDENT, third_party_liable=True), set(), Student(nom="", prenom="B", cnie="K1",
                    adresse="Fès"))  # fmt: skip
    assert texts(result.missing) == (
        "votre nom (profil)", "au moins un acte (consultation, pharmacie…)",
        "la date de l'accident (informations du dossier)", "Feuille de soins maladie remplie",
        "Déclaration d'accident", "Engagement à restituer",
    )  # fmt: skip


def test_the_exoneration_request_is_asked_only_when_attached() -> None:
    first = Claim(ClaimKind.ALD, (act(ActType.CONSULTATION_SPECIALISTE),), ald_code="14", exoneration=True)
    assert "demande_exoneration" in keys(first)
    assert "demande_exoneration" not in keys(replace(first, exoneration=False))
    assert "demande_exoneration" not in keys(Claim(ClaimKind.MALADIE, exoneration=True))
