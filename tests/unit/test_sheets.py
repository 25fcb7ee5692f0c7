"""Which official sheet a form gets, and what is written on it (claimkit.domain.sheets)."""

from datetime import date

from claimkit.domain.forms import FormId
from claimkit.domain.schemes import Scheme
from claimkit.domain.sheets import (
    GUIDED,
    KIND_OF_FORM,
    SheetKind,
    SheetRow,
    guided,
    insurer_code,
    overlay_fields,
    sheet_for,
    sheet_sources,
)

CNOPS_2016 = SheetRow(1, "CNOPS", SheetKind.MALADIE, date(2016, 1, 1), date(2026, 12, 31))
CNOPS_2027 = SheetRow(2, "CNOPS", SheetKind.MALADIE, date(2027, 1, 1))
CNSS_2027 = SheetRow(3, "CNSS", SheetKind.MALADIE, date(2027, 1, 1))
DENTAL = SheetRow(4, "CNOPS", SheetKind.DENTAIRE, date(2016, 1, 1))
ROWS = [CNOPS_2016, CNOPS_2027, CNSS_2027, DENTAL]


def test_the_sheet_in_force_on_the_date_of_care_for_its_insurer_and_kind() -> None:
    assert sheet_for(ROWS, SheetKind.MALADIE, "CNOPS", date(2026, 11, 3)) == CNOPS_2016
    assert sheet_for(ROWS, SheetKind.MALADIE, "cnops", date(2027, 1, 1)) == CNOPS_2027
    assert sheet_for(ROWS, SheetKind.MALADIE, "CNSS", date(2027, 3, 1)) == CNSS_2027
    assert sheet_for(ROWS, SheetKind.MALADIE, "CNSS", date(2026, 3, 1)) is None
    assert sheet_for(ROWS, SheetKind.ALD, "CNOPS", date(2026, 3, 1)) is None


def test_the_students_latest_own_sheet_wins() -> None:
    own = [SheetRow(7, "CNOPS", SheetKind.MALADIE, date(2026, 11, 20), student_upload=True),
           SheetRow(9, "CNOPS", SheetKind.MALADIE, date(2026, 11, 21), student_upload=True)]  # fmt: skip
    assert sheet_for([*ROWS, *own], SheetKind.MALADIE, "CNOPS", date(2020, 1, 1)).ref == 9  # type: ignore[union-attr]


def test_overlay_fields_take_the_assures_part_on_one_line() -> None:
    values = {"assure_nom_prenom": "EL AMRANI Salma", "assure_adresse": "12 rue X\n10090  Rabat",
              "assure_cin": " ", "acte_1_date": "03/11/2026", "assure_pieces_jointes": "3"}  # fmt: skip
    assert overlay_fields(values) == {"nom_prenom": "EL AMRANI Salma", "adresse": "12 rue X 10090 Rabat",
                                      "pieces_jointes": "3"}  # fmt: skip


def test_an_ayant_droit_sheet_ticks_enfant() -> None:
    values = {"assure_nom_prenom": "BENJELLOUN Karim", "assure_lien_enfant": "/Yes"}
    assert overlay_fields(values) == {"nom_prenom": "BENJELLOUN Karim", "lien_parente": "enfant"}


def test_only_three_kinds_have_a_guide() -> None:
    assert {FormId.MALADIE, FormId.DENTAIRE, FormId.ALD} == GUIDED
    assert guided(FormId.MALADIE, Scheme.AMO_E) and not guided(FormId.ACCIDENT, Scheme.AMO_E)
    assert not guided(FormId.MALADIE, Scheme.AYANT_DROIT)  # claimkit's drawing is a CNOPS layout


def test_sheet_sources_follow_the_schemes_insurer() -> None:
    assert any("cnops.org.ma" in line for line in sheet_sources(Scheme.AMO_E))
    for scheme in (Scheme.AYANT_DROIT, Scheme.PERSONNEL):
        assert not any("CNOPS" in line or "cnops" in line for line in sheet_sources(scheme))
    assert set(KIND_OF_FORM) == set(FormId)


def test_insurer_code() -> None:
    assert insurer_code("CNOPS — Caisse nationale des organismes de prévoyance sociale") == "CNOPS"
    assert insurer_code("cnss") == "CNSS"
    assert insurer_code("") == ""
