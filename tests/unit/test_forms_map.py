"""The field map: which forms a claim needs, and what claimkit writes (the assuré's part only)."""

from datetime import date
from decimal import Decimal

from claimkit.domain.claims import Act, ActType, Claim, ClaimKind, Student
from claimkit.domain.forms import ACT_ROWS, ALD_LIST, FormId, all_fields, field_values, forms_for

STUDENT = Student(nom="Benjelloun-Çelik", prenom="Élodie", cnie="AB123456", adresse="Rabat", payout_method="mandat")
ACTS = tuple(Act(date(2026, 11, d), ActType.CONSULTATION_GENERALISTE, Decimal("80.5")) for d in range(1, 9))


def test_forms_per_kind() -> None:
    assert forms_for(Claim(ClaimKind.MALADIE)) == [FormId.MALADIE]
    assert forms_for(Claim(ClaimKind.DENTAIRE)) == [FormId.DENTAIRE]
    assert forms_for(Claim(ClaimKind.ALD)) == [FormId.ALD]
    assert forms_for(Claim(ClaimKind.ACCIDENT)) == [FormId.MALADIE, FormId.ACCIDENT]
    assert forms_for(Claim(ClaimKind.ACCIDENT, third_party_liable=True))[-1] is FormId.ENGAGEMENT


def test_field_names_are_ascii_unique_and_cover_the_values() -> None:
    for form in FormId:
        names = [f.name for f in all_fields(form)]
        assert len(names) == len(set(names)) and all(n.isascii() for n in names)
        claim = Claim(ClaimKind.ALD, acts=ACTS, ald_code="14", accident_date=date(2026, 11, 1))
        assert set(field_values(form, STUDENT, claim, 3)) <= set(names)
    assert len(ALD_LIST) == 42


def test_student_part_only_and_affiliation_blank() -> None:
    values = field_values(FormId.MALADIE, STUDENT, Claim(ClaimKind.MALADIE, acts=ACTS), 4)
    assert values["assure_nom_prenom"] == "BENJELLOUN-ÇELIK Élodie"
    assert values["assure_immatriculation"] == values["assure_cin"] == "AB123456"
    assert "assure_affiliation" not in values
    assert values["assure_paiement"] == "Mandat postal (Barid Al-Maghrib)"
    assert values["assure_montant_frais"] == "644,00"
    assert values["assure_pieces_jointes"] == "4"
    rows = ACT_ROWS[FormId.MALADIE]
    assert values[f"acte_{rows}_date"] == f"0{rows}/11/2026" and f"acte_{rows + 1}_date" not in values
    professional = {f.name for f in all_fields(FormId.MALADIE) if f.professional}
    assert professional and not professional & set(values)


def test_rib_accident_and_ald_values() -> None:
    student = Student(nom="A", prenom="B", cnie="K1", payout_method="virement", rib="011780000001234567890123")
    accident = Claim(ClaimKind.ACCIDENT, accident_date=date(2026, 10, 30), accident_circumstances="Chute",
                     third_party_liable=True)  # fmt: skip
    values = field_values(FormId.ACCIDENT, student, accident, 0)
    assert values["assure_paiement"] == "Virement — RIB 011 780 0000012345678901 23"
    assert (values["accident_date"], values["accident_tiers"]) == ("30/10/2026", "Yes")
    assert "assure_montant_frais" not in values and "assure_pieces_jointes" not in values
    assert "accident_date" not in field_values(FormId.ACCIDENT, student, Claim(ClaimKind.ACCIDENT), 0)
    assert field_values(FormId.ALD, student, Claim(ClaimKind.ALD, ald_code="9"), 0)["ald_code"] == "9"
