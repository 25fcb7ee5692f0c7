"""Law 54-23: the scheme by the date of care, who is the assuré on the sheet, the split rule and the notices."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from claimkit.domain import identifiers as ids
from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, Student
from claimkit.domain.forms import CHECKED, ENFANT, FormId, assure_values, field_values
from claimkit.domain.packet import packet_data
from claimkit.domain.schemes import (
    SCHEME_REGIME,
    Parent,
    Phase,
    Scheme,
    notice,
    notice_phase,
    scheme_on,
    straddle_problem,
)

CUTOVER = date(2027, 2, 1)
PARENT = Parent("BENNANI Karim", "123 456 789", "bk 654321", "cnss_prive", "7 rue Ibn Sina\nFès")
STUDENT = Student(nom="Bennani", prenom="Salma", cnie="AB123456", adresse="Cité U, ch. 12\nRabat",
                  nom_ar="بناني", prenom_ar="سلمى", telephone="0612345678", payout_method="virement",
                  rib="011780000012300000012345", parent=PARENT)  # fmt: skip
CLAIM = Claim(ClaimKind.MALADIE, acts=(Act(date(2027, 2, 1), ActType.CONSULTATION_GENERALISTE, Decimal("200")),))


def test_without_a_cutover_everything_stays_amo_e() -> None:
    assert scheme_on(date(2030, 1, 1), None, PARENT) is Scheme.AMO_E
    assert notice_phase(date(2030, 1, 1), None) is None
    assert straddle_problem([date(2026, 1, 1), date(2030, 1, 1)], None) is None


def test_scheme_is_chosen_by_the_date_of_care_not_by_today() -> None:
    assert scheme_on(date(2027, 1, 31), CUTOVER, PARENT) is Scheme.AMO_E
    assert scheme_on(date(2027, 2, 1), CUTOVER, PARENT) is Scheme.AYANT_DROIT
    assert scheme_on(date(2027, 2, 1), CUTOVER, None) is Scheme.PERSONNEL
    assert scheme_on(date(2027, 2, 1), CUTOVER, Parent("X", "", "")) is Scheme.PERSONNEL  # incomplete block
    assert SCHEME_REGIME[Scheme.AMO_E] == "cnops" and SCHEME_REGIME[Scheme.AYANT_DROIT] == "cnss"


def test_acts_straddling_the_cutover_are_refused_once_per_scheme() -> None:
    assert straddle_problem([], CUTOVER) is None
    assert straddle_problem([date(2027, 1, 30), date(2027, 1, 31)], CUTOVER) is None
    assert straddle_problem([date(2027, 2, 1), date(2027, 3, 1)], CUTOVER) is None
    problem = straddle_problem([date(2027, 2, 3), date(2027, 1, 31)], CUTOVER)
    assert problem is not None
    assert "01/02/2027" in problem.render() and "une feuille par régime" in problem.render()


def test_ayant_droit_parent_is_the_assure_enfant_ticked_student_payout_not_written() -> None:
    values = assure_values(Scheme.AYANT_DROIT, STUDENT, CLAIM, 2)
    assert values == {
        "nom_prenom": "BENNANI Karim",
        "immatriculation": "123456789",
        "cin": "BK654321",
        "adresse": "7 rue Ibn Sina\nFès",
        "lien_parente": ENFANT,
        "montant_frais": "200,00",
        "pieces_jointes": "2",
    }
    sheet = field_values(FormId.MALADIE, STUDENT, CLAIM, 2, Scheme.AYANT_DROIT)
    assert sheet["assure_nom_prenom"] == "BENNANI Karim" and sheet["assure_immatriculation"] == "123456789"
    assert sheet["assure_cin"] == "BK654321" and sheet["assure_lien_enfant"] == CHECKED
    assert "assure_paiement" not in sheet and "assure_nom_prenom_ar" not in sheet  # the parent's, not the student's
    assert "assure_lien_enfant" not in field_values(FormId.ACCIDENT, STUDENT, CLAIM, 2, Scheme.AYANT_DROIT)


@pytest.mark.parametrize("scheme", [Scheme.AMO_E, Scheme.PERSONNEL])
def test_amo_e_and_personnel_the_student_is_the_assure_as_before(scheme: Scheme) -> None:
    values = assure_values(scheme, STUDENT, CLAIM)
    assert values["nom_prenom"] == "BENNANI Salma" and values["immatriculation"] == values["cin"] == "AB123456"
    assert "lien_parente" not in values and values["pieces_jointes"] == ""
    sheet = field_values(FormId.MALADIE, STUDENT, CLAIM, 0, scheme)
    assert sheet == field_values(FormId.MALADIE, STUDENT, CLAIM)  # same sheet as the AMO-E one
    assert "assure_lien_enfant" not in sheet and sheet["assure_paiement"].startswith("Virement")


def test_packet_says_the_parent_signs_and_keeps_the_student_as_beneficiary() -> None:
    common = {"title": "Maladie", "summary": [], "deadline_text": "", "posting_text": "", "checklist": [],
              "insurer_name": "CNSS", "insurer_address": ["Casablanca"], "medicine_refunds": [],
              "estimate_text": "", "today": date(2027, 2, 2), "money": str}  # fmt: skip
    data = packet_data(STUDENT, CLAIM, scheme=Scheme.AYANT_DROIT, **common)  # type: ignore[arg-type]
    assert data.parent_signs and data.assure_name == "BENNANI Karim" and data.assure_cin == "BK654321"
    assert data.assure_address == ["7 rue Ibn Sina", "Fès"] and data.payout == ""
    assert data.student_name == "BENNANI Salma" and data.scheme is Scheme.AYANT_DROIT
    before = packet_data(STUDENT, CLAIM, **common)  # type: ignore[arg-type]
    assert not before.parent_signs and before.payout.startswith("Virement") and before.assure_address == []
    orphan = packet_data(replace(STUDENT, parent=None), CLAIM, scheme=Scheme.AYANT_DROIT, **common)  # type: ignore[arg-type]
    assert not orphan.parent_signs  # no parent block: the student stays the assuré


def test_notices_before_and_after() -> None:
    assert notice_phase(date(2027, 1, 31), CUTOVER) is Phase.BEFORE
    assert notice_phase(CUTOVER, CUTOVER) is Phase.AFTER
    before, after = notice(Phase.BEFORE, CUTOVER).render(), notice(Phase.AFTER, CUTOVER).render()
    assert "01/02/2027" in before and "Demandez" in before and "immatriculation" in before
    assert "signe" in after and "déjà envoyés ne changent pas" in after


def test_parent_identifiers_use_the_same_kind_of_checks() -> None:
    assert ids.immatriculation_problem("") is not None
    assert ids.immatriculation_problem("BK654321") is not None  # the CIN typed in the wrong box
    assert ids.immatriculation_problem("123 456 789") is None
    assert ids.immatriculation_warning("123456789") is None
    assert ids.immatriculation_warning("12345") is not None
