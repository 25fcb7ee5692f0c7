"""Identifier checks: RIB/IBAN keys (property-based), lenient CNIE/Massar/INPE shapes, ICE, EAN-13."""

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from claimkit.domain import identifiers as ids

digits = st.text(alphabet=string.digits, min_size=22, max_size=22)


def make_rib(first22: str) -> str:
    return first22 + ids.rib_key(first22)


@st.composite
def valid_ribs(draw: st.DrawFn) -> str:
    return make_rib(draw(digits))


def spaced(rib: str, cuts: list[int]) -> str:
    out, last = [], 0
    for cut in sorted(set(cuts)):
        out.append(rib[last:cut])
        last = cut
    out.append(rib[last:])
    return " ".join(part for part in out if part)


@given(valid_ribs())
def test_valid_rib_is_divisible_by_97(rib: str) -> None:
    assert int(rib) % 97 == 0
    assert ids.is_valid_rib(rib)


@given(valid_ribs(), st.integers(0, 23), st.integers(1, 9))
def test_any_single_digit_change_is_refused(rib: str, position: int, delta: int) -> None:
    changed = rib[:position] + str((int(rib[position]) + delta) % 10) + rib[position + 1 :]
    assert not ids.is_valid_rib(changed)
    assert ids.rib_problem(changed) == ids.rib_problem("0" * 22 + "01")  # the key message, precisely


@given(valid_ribs(), st.lists(st.integers(1, 23), max_size=6))
def test_valid_rib_with_spaces_is_accepted(rib: str, cuts: list[int]) -> None:
    assert ids.is_valid_rib(spaced(rib, cuts))
    assert ids.normalize_rib(spaced(rib, cuts)) == rib


@given(valid_ribs(), st.lists(st.integers(1, 27), max_size=7), st.booleans())
def test_valid_rib_as_iban_is_accepted(rib: str, cuts: list[int], lower: bool) -> None:
    iban = ids.iban_from_rib(rib)
    assert len(iban) == 28
    text = spaced(iban, cuts)
    assert ids.is_valid_rib(text.lower() if lower else text)
    assert ids.normalize_rib(text) == rib


@given(valid_ribs(), st.integers(2, 3), st.integers(1, 9))
def test_iban_with_wrong_check_digits_is_refused(rib: str, position: int, delta: int) -> None:
    iban = ids.iban_from_rib(rib)
    bad = iban[:position] + str((int(iban[position]) + delta) % 10) + iban[position + 1 :]
    assert ids.rib_problem(bad) == "Les chiffres de contrôle de l'IBAN (après MA) ne correspondent pas."


def test_known_rib_example() -> None:
    rib = make_rib("0117800000012345678901")
    assert ids.format_rib(rib) == f"011 780 0000012345678901 {rib[22:]}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Saisissez le RIB (24 chiffres) ou l'IBAN (MA + 26 chiffres)."),
        ("12345", "Le RIB doit compter 24 chiffres."),
        ("12A4", "Le RIB ne doit contenir que des chiffres (ou commencer par MA pour un IBAN)."),
        ("MA12 3456", "Un IBAN marocain s'écrit MA suivi de 26 chiffres."),
        ("0" * 22 + "01", "La clé du RIB (2 derniers chiffres) ne correspond pas : vérifiez chaque chiffre."),
    ],
)
def test_rib_messages_are_precise(text: str, message: str) -> None:
    assert ids.rib_problem(text) == message


def test_iban_with_good_check_but_bad_rib_key() -> None:
    bad_rib = "0" * 22 + "01"
    iban = ids.iban_from_rib(bad_rib)
    assert ids.rib_problem(iban) == ids.rib_problem(bad_rib)


@pytest.mark.parametrize(("raw", "normal"), [(" ab 123456 ", "AB123456"), ("k-12345", "K12345")])
def test_normalize_cnie(raw: str, normal: str) -> None:
    assert ids.normalize_cnie(raw) == normal
    assert ids.cnie_problem(raw) is None
    assert ids.cnie_warning(raw) is None


def test_unusual_cnie_warns_but_is_not_refused() -> None:
    assert ids.cnie_problem("123456789") is None
    assert ids.cnie_warning("123456789") is not None


@pytest.mark.parametrize("raw", ["", "   ", "AB#123"])
def test_cnie_problems(raw: str) -> None:
    assert ids.cnie_problem(raw)


@pytest.mark.parametrize(("raw", "warns"), [("D130000000", False), ("1234567890", False), ("D13", True)])
def test_massar_shape(raw: str, warns: bool) -> None:
    assert (ids.massar_warning(raw) is not None) == warns


@pytest.mark.parametrize(("raw", "warns"), [("123456789", False), ("123 456 789", False), ("12345", True)])
def test_inpe_shape(raw: str, warns: bool) -> None:
    assert (ids.inpe_warning(raw) is not None) == warns


def test_ice() -> None:
    assert ids.ice_problem("001561191000066") is None
    assert ids.ice_problem("001561191000067") == "La clé de l'ICE (2 derniers chiffres) ne correspond pas."
    assert ids.ice_problem("12345") == "L'ICE compte 15 chiffres."
    assert ids.ice_problem("00156119100006A") == "L'ICE compte 15 chiffres."


@given(st.text(alphabet=string.digits, min_size=12, max_size=12), st.integers(1, 9))
def test_ean13_check_digit(body: str, delta: int) -> None:
    code = body + ean.calc_check_digit(body)
    assert ids.ean13_problem(code) is None
    wrong = body + str((int(code[-1]) + delta) % 10)
    assert ids.ean13_problem(wrong) is not None


@pytest.mark.parametrize("raw", ["", "611800000000", "61180000000A6"])
def test_ean13_shape(raw: str) -> None:
    assert ids.ean13_problem(raw) == "Le code-barres EAN-13 compte 13 chiffres."


@pytest.mark.parametrize(
    ("raw", "ok"),
    [("06 12 34 56 78", True), ("+212 6-12-34-56-78", True), ("(0)612345678", True), ("abc", False)],
)
def test_phone(raw: str, ok: bool) -> None:
    assert (ids.phone_problem(raw) is None) == ok
