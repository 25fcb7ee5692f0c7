"""The field map and the packet's data: which forms a claim needs, and what claimkit writes (the assuré's part)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from claimkit.domain import forms as fm
from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, MedicineLine, Student
from claimkit.domain.forms import CHECKED, FormId, all_fields, field_names, field_values, forms_for
from claimkit.domain.packet import ChecklistLine, MedicineRow, packet_data

STUDENT = Student(nom="Benjelloun-Çelik", prenom="Élodie", cnie="ab 123456", adresse=" 12 rue Oued Fès\nRabat ",
                  nom_ar="بنجلون", prenom_ar="إيلودي", telephone="0612345678", payout_method="mandat")  # fmt: skip
ACTS = tuple(Act(date(2026, 11, d), ActType.CONSULTATION_GENERALISTE, Decimal("80.5")) for d in range(1, 11))
RICH = Claim(ClaimKind.ACCIDENT, acts=ACTS, ald_code="14", accident_date=date(2026, 10, 30),
             accident_circumstances="Chute", third_party_liable=True)  # fmt: skip


def test_forms_per_kind() -> None:
    assert set(fm.FORMS_FOR_KIND) == set(ClaimKind)
    assert forms_for(Claim(ClaimKind.MALADIE)) == [FormId.MALADIE]
    assert forms_for(Claim(ClaimKind.DENTAIRE)) == [FormId.DENTAIRE]
    assert forms_for(Claim(ClaimKind.ALD)) == [FormId.ALD]
    assert forms_for(Claim(ClaimKind.ALD, exoneration=True)) == [FormId.ALD, FormId.EXONERATION]
    assert forms_for(Claim(ClaimKind.MALADIE, exoneration=True)) == [FormId.MALADIE]  # only for an ALD
    assert forms_for(Claim(ClaimKind.ACCIDENT)) == [FormId.MALADIE, FormId.ACCIDENT]
    assert forms_for(RICH) == [FormId.MALADIE, FormId.ACCIDENT, FormId.ENGAGEMENT]
    assert forms_for(Claim(ClaimKind.MALADIE, third_party_liable=True)) == [FormId.MALADIE]


@pytest.mark.parametrize("form", list(FormId))
def test_field_names_are_ascii_unique_and_cover_every_value(form: FormId) -> None:
    names = field_names(form)
    assert len(names) == len(set(names)) and all(n.isascii() and n.isidentifier() for n in names)
    for claim in (RICH, Claim(ClaimKind.ALD, acts=ACTS, ald_code="14"), Claim(ClaimKind.DENTAIRE)):
        assert set(field_values(form, STUDENT, claim, 3)) <= set(names)
    assert fm.FORM_VERSIONS[form] and fm.FORM_TITLES[form][1]


@pytest.mark.parametrize("form", list(FormId))
def test_professional_fields_are_never_written(form: FormId) -> None:
    professional = {spec.name for spec in all_fields(form) if spec.professional}
    assert professional or form is FormId.ENGAGEMENT
    for claim in (RICH, Claim(ClaimKind.ALD, acts=ACTS, ald_code="14")):
        assert not professional & set(field_values(form, STUDENT, replace(claim, ald_accord="A-77"), 3))


def test_every_form_has_the_assure_part_and_the_professionals_their_boxes() -> None:
    for form in FormId:
        names = set(field_names(form))
        assert {s.name for s in fm.ASSURE} <= names and {"fait_a", "fait_le"} <= names
    assert {"medecin_inpe", "pharmacien_inpe", "labo_inp"} <= set(field_names(FormId.MALADIE))
    assert {"dentiste_inpe", "dentiste_ice"} <= set(field_names(FormId.DENTAIRE))
    assert {"ald_code", "ald_accord"} <= set(field_names(FormId.ALD))
    assert len(fm.ALD_LIST) == len(fm.ALD_CHOICES) == 42 and fm.ALD_CHOICES[41].label == "42. Insuffisance hypophysaire"
    assert fm.DENT_ICE.boxes == 15 and fm.IMMATRICULATION.boxes == 9 and fm.CIN.boxes == 8
    assert fm.BENEF_NAISSANCE.hint == "jjmmaaaa" and fm.LIEN_ENFANT.check and not fm.NOM_PRENOM.check


def test_student_part_cnie_as_immatriculation_and_affiliation_blank() -> None:
    values = field_values(FormId.MALADIE, STUDENT, Claim(ClaimKind.MALADIE, acts=ACTS), 4)
    assert values["assure_nom_prenom"] == "BENJELLOUN-ÇELIK Élodie"
    assert values["assure_nom_prenom_ar"] == "بنجلون إيلودي"
    assert values["assure_immatriculation"] == values["assure_cin"] == "AB123456"
    assert "assure_affiliation" not in values  # students have no affiliation number
    assert values["assure_adresse"] == "12 rue Oued Fès\nRabat"
    assert values["assure_telephone"] == "0612345678"
    assert values["assure_paiement"] == "Mandat postal (Barid Al-Maghrib)"
    assert values["assure_montant_frais"] == "805,00"
    assert values["assure_pieces_jointes"] == "4"
    # the acts table is the professionals' (docs/domain.md, "Acts, dates and amounts go on the cover's
    # récapitulatif"): no act of the 10 is written in it, « Montant des frais » above is the total of all 10
    assert len(ACTS) > fm.ACT_ROWS[FormId.MALADIE] and not [name for name in values if name.startswith("acte_")]


def test_missing_values_are_left_out() -> None:
    bare = Student(nom="", prenom="", cnie="")
    values = field_values(FormId.MALADIE, bare, Claim(ClaimKind.MALADIE), 0)
    assert values == {"assure_paiement": "Mandat postal (Barid Al-Maghrib)"}
    assert "assure_pieces_jointes" not in field_values(FormId.MALADIE, bare, Claim(ClaimKind.MALADIE), -1)


def test_payout_by_virement_shows_the_formatted_rib() -> None:
    student = Student(nom="A", prenom="B", cnie="K1", payout_method="virement", rib="011780000001234567890123")
    assert fm.payout_text(student) == "Virement — RIB 011 780 0000012345678901 23"
    assert fm.payout_text(Student(nom="A", prenom="B", cnie="K1", payout_method="virement")).startswith("Mandat")


def test_dental_rows_are_left_to_the_dentist_and_the_accident_box_is_written() -> None:
    claim = Claim(ClaimKind.DENTAIRE, acts=ACTS[:2], accident_date=date(2026, 10, 30), accident_circumstances="Choc")
    values = field_values(FormId.DENTAIRE, STUDENT, claim, 0)
    assert not [name for name in values if name.startswith("acte_")] and values["assure_montant_frais"] == "161,00"
    assert (values["dent_accident_date"], values["dent_accident_circonstances"]) == ("30102026", "Choc")
    assert "dent_accident_date" not in field_values(FormId.DENTAIRE, STUDENT, Claim(ClaimKind.DENTAIRE), 0)
    assert len(fm.act_fields(FormId.DENTAIRE)) == 9 and fm.act_fields(FormId.ACCIDENT) == []


def test_ald_code_accord_and_exoneration_choice() -> None:
    ald = Claim(ClaimKind.ALD, ald_code="14", ald_accord="ETM-2025-001")
    values = field_values(FormId.ALD, STUDENT, ald, 0)
    assert (values["ald_code"], values["ald_accord"]) == ("14", "ETM-2025-001")
    assert field_values(FormId.EXONERATION, STUDENT, ald, 0)["ald_14"] == CHECKED
    for code in ("", "0", "43", "E11", "1.2"):
        exo = field_values(FormId.EXONERATION, STUDENT, Claim(ClaimKind.ALD, ald_code=code), 0)
        assert not any(name.startswith("ald_") for name in exo), code


def test_accident_and_engagement_values() -> None:
    values = field_values(FormId.ACCIDENT, STUDENT, RICH, 0)
    assert (values["accident_date"], values["accident_circonstances"]) == ("30102026", "Chute")
    assert values["accident_tiers_oui"] == CHECKED and "accident_tiers_non" not in values
    alone = Claim(ClaimKind.ACCIDENT, accident_date=date(2026, 10, 30))
    assert field_values(FormId.ACCIDENT, STUDENT, alone, 0)["accident_tiers_non"] == CHECKED
    not_accident = field_values(FormId.ACCIDENT, STUDENT, Claim(ClaimKind.MALADIE), 0)
    assert not {"accident_date", "accident_tiers_oui", "accident_tiers_non"} & set(not_accident)
    assert field_values(FormId.ENGAGEMENT, STUDENT, RICH, 0)["engagement_accident_date"] == "30102026"


def money(value: Decimal | None) -> str:
    """The caller's formatter (the service passes the student's l10n.money): the domain only applies it."""
    return "—" if value is None else f"<{value}>"


def test_medicine_row_formats_prices_and_estimate_with_the_given_formatter() -> None:
    line = MedicineLine("DOLIPRANE 1000", 2, "6118000060260", Decimal("34.90"), None)
    assert MedicineRow.of(line, Decimal("28"), money) == MedicineRow(
        "DOLIPRANE 1000", "6118000060260", "<34.90>", "—", 2, "<28>")  # fmt: skip


def test_packet_data_from_student_and_claim() -> None:
    meds = (MedicineLine("A", 1, "6118000060260", Decimal("10")), MedicineLine("B", 3))
    claim = Claim(ClaimKind.ALD, acts=ACTS[:1], medicines=meds, ald_code="9")
    checklist = [ChecklistLine("Ordonnance", True, True), ChecklistLine("Vignettes", False, False),
                 ChecklistLine("Facture", True, True)]  # fmt: skip
    common = {"title": "Diabète", "summary": ["Consultation : 80,50 DH"], "deadline_text": "À poster le 01/01/2027",
              "posting_text": "Il reste 37 jours.", "checklist": checklist, "insurer_name": "CNOPS",
              "insurer_address": ["4, rue Al Khalil", "Rabat"], "medicine_refunds": [Decimal("7")],
              "estimate_text": "Estimation : 71,40 DH", "today": date(2026, 11, 25), "money": money}  # fmt: skip
    data = packet_data(STUDENT, claim, **common)  # type: ignore[arg-type]
    assert (data.student_name, data.student_name_ar, data.student_cnie) == ("BENJELLOUN-ÇELIK Élodie",
                                                                            "بنجلون إيلودي", "ab 123456")  # fmt: skip
    assert data.student_address == ["12 rue Oued Fès", "Rabat"] and data.student_phone == "0612345678"
    assert data.payout.startswith("Mandat") and data.posting_text == "Il reste 37 jours."
    assert [m.refund for m in data.medicines] == ["<7>", "—"] and data.locale == "fr"
    assert [form for form, _ in data.forms] == [FormId.ALD]
    assert data.forms[0][1]["assure_pieces_jointes"] == "2"  # the ticked lines, by default
    asked = replace(claim, exoneration=True, ald_accord="X1")
    more = packet_data(STUDENT, asked, attachments=5, locale="ar", **common)  # type: ignore[arg-type]
    assert [form for form, _ in more.forms] == [FormId.ALD, FormId.EXONERATION]
    assert more.forms[0][1]["assure_pieces_jointes"] == "5" and more.forms[0][1]["ald_accord"] == "X1"
    assert more.forms[1][1]["ald_09"] == CHECKED
    assert more.locale == "ar" and more.forms[0][1]["assure_nom_prenom"] == data.forms[0][1]["assure_nom_prenom"]
