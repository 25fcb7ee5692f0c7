"""What a decoded barcode means: check digits, UPC-A as EAN-13, GS1 element strings, merging decoder reports."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import ean

from claimkit.domain.barcodes import (
    GS,
    RawSymbol,
    Scan,
    Symbology,
    datamatrix_scan,
    digital_link_scan,
    gs1_date,
    interpret,
    interpret_all,
    is_confirmed,
    linear_scan,
    merge_scans,
    parse_gs1,
    with_confirmation,
)

EAN = "6118000000006"  # 611800000000 + check digit 6 (TOOLCHAIN.md §3)
GTIN14 = "0" + EAN

digits = st.text(alphabet="0123456789", min_size=1)
gs1_chars = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-./", min_size=1, max_size=20
)


def with_check(body: str) -> str:
    return body + ean.calc_check_digit(body)


# --- linear symbols ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["EAN13", "EAN-13", "ean_13"])
def test_an_ean13_with_a_valid_check_digit_is_kept_whatever_the_decoder_calls_it(name: str) -> None:
    assert linear_scan(name, f" {EAN}\n") == Scan(EAN, Symbology.EAN13)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("EAN13", "6118000000007"),  # wrong check digit
        ("EAN13", "611800000000"),  # 12 digits
        ("EAN13", "611800000000A"),
        ("EAN13", "٦١١٨٠٠٠٠٠٠٠٠٦"),  # Arabic-Indic digits are digits to Python, not to a barcode
        ("EAN8", "96385075"),
        ("UPCA", "012345678906"),
        ("UPCA", "1012345678905"),  # 13 digits only as EAN-13's leading-zero form
        ("QRCODE", EAN),
        ("UPCE", "01234565"),
    ],
)
def test_a_wrong_or_unsupported_linear_symbol_is_dropped(name: str, text: str) -> None:
    assert linear_scan(name, text) is None


def test_upc_a_is_stored_as_the_ean13_with_a_leading_zero() -> None:
    assert linear_scan("UPC-A", "012345678905") == Scan("0012345678905", Symbology.UPCA)
    assert linear_scan("UPCA", "0012345678905") == Scan("0012345678905", Symbology.UPCA)


def test_an_ean8_keeps_its_eight_digits_and_has_no_ean13() -> None:
    scan = linear_scan("EAN-8", "96385074")
    assert scan == Scan("96385074", Symbology.EAN8)
    assert scan is not None and scan.ean13 is None


def test_ean13_is_the_reference_key_only_for_13_digit_gtins() -> None:
    assert Scan(EAN, Symbology.EAN13).ean13 == EAN
    assert Scan("16118000000003", Symbology.DATAMATRIX).ean13 is None


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(1, 9))
def test_only_the_right_check_digit_is_accepted(body: str, shift: int) -> None:
    good = with_check(body)
    bad = body + str((int(good[-1]) + shift) % 10)
    assert interpret(RawSymbol("EAN13", good)) == Scan(good, Symbology.EAN13)
    assert interpret(RawSymbol("EAN13", bad)) is None


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_a_upc_a_and_its_ean13_form_name_the_same_product(body: str) -> None:
    upc = with_check(body)
    from_upc = linear_scan("UPC-A", upc)
    from_ean = linear_scan("EAN13", "0" + upc)
    assert from_upc is not None and from_ean is not None
    assert from_upc.gtin == from_ean.gtin == "0" + upc


# --- GS1 element strings ----------------------------------------------------------------------------------------


def test_a_gs1_datamatrix_transmission_with_its_aim_prefix() -> None:
    data = f"]d201{GTIN14}17270500" + f"10AB12{GS}21XYZ9"
    assert parse_gs1(data) == {"01": GTIN14, "17": "270500", "10": "AB12", "21": "XYZ9"}


def test_fnc1_sent_as_a_leading_group_separator() -> None:
    assert parse_gs1(f"{GS}01{GTIN14}10LOT7") == {"01": GTIN14, "10": "LOT7"}


def test_a_separator_after_a_fixed_length_field_is_tolerated() -> None:
    assert parse_gs1(f"01{GTIN14}{GS}17260100") == {"01": GTIN14, "17": "260100"}


def test_three_and_four_digit_identifiers_and_the_first_occurrence_wins() -> None:
    data = f"01{GTIN14}3103000150" + f"7114ABC{GS}240REF{GS}10FIRST{GS}10SECOND"
    assert parse_gs1(data) == {"01": GTIN14, "3103": "000150", "711": "4ABC", "240": "REF", "10": "FIRST"}


def test_the_human_readable_form_with_parentheses() -> None:
    assert parse_gs1(f"(01){GTIN14}(17)270531(10)AB-12") == {"01": GTIN14, "17": "270531", "10": "AB-12"}


def test_empty_data_has_no_elements() -> None:
    assert parse_gs1("]d2") == {}


@pytest.mark.parametrize(
    "data",
    [
        "hello world",  # not an application identifier
        "5X123",  # unknown identifier prefix
        "0",  # identifier cut short
        f"01{EAN}",  # 13 digits where AI 01 needs 14
        f"01{GTIN14}10{GS}21X",  # empty variable field
        "10" + "A" * 91,  # longer than any GS1 field
        f"31A3{GTIN14}",  # four-digit identifier with a letter
        f"xx(01){GTIN14}",  # text before the human-readable form
        f"(01){GTIN14}(ab)(10)X",  # a parenthesised non-identifier between elements
        f"(01){GTIN14}junk(",  # a parenthesis that opens nothing
    ],
)
def test_data_that_is_not_a_gs1_element_string(data: str) -> None:
    assert parse_gs1(data) is None


# --- dates --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("270531", date(2027, 5, 31)),
        ("270500", date(2027, 5, 31)),  # DD = 00: the last day of the month
        ("280200", date(2028, 2, 29)),
        ("270200", date(2027, 2, 28)),
        ("991231", date(2099, 12, 31)),
        ("270229", None),
        ("271301", None),
        ("270001", None),
        ("270431", None),
        ("2705", None),
        ("27O531", None),
        ("２７０５３１", None),  # full-width digits
    ],
)
def test_gs1_dates(text: str, expected: date | None) -> None:
    assert gs1_date(text) == expected


# --- DataMatrix ---------------------------------------------------------------------------------------------------


def test_a_medicine_datamatrix_gives_gtin_expiry_batch_and_serial() -> None:
    scan = datamatrix_scan(f"]d201{GTIN14}17270500" + f"10AB12{GS}21XYZ9")
    assert scan == Scan(EAN, Symbology.DATAMATRIX, date(2027, 5, 31), "AB12", "XYZ9")
    assert scan is not None and scan.ean13 == EAN


def test_a_gtin14_not_starting_with_zero_stays_14_digits() -> None:
    gtin = with_check("1611800000000")
    assert datamatrix_scan(f"01{gtin}") == Scan(gtin, Symbology.DATAMATRIX)


@pytest.mark.parametrize(
    "data",
    [
        "0106118000000007",  # wrong check digit
        "10AB12",  # no GTIN
        "hello",  # not GS1
    ],
)
def test_a_datamatrix_without_a_valid_gtin_is_dropped(data: str) -> None:
    assert datamatrix_scan(data) is None


def test_a_malformed_expiry_drops_the_expiry_only() -> None:
    assert datamatrix_scan(f"01{GTIN14}17271399") == Scan(EAN, Symbology.DATAMATRIX)


@given(
    st.text(alphabet="0123456789", min_size=12, max_size=12),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    gs1_chars,
    gs1_chars,
)
def test_gs1_element_strings_round_trip(body: str, expiry: date, batch: str, serial: str) -> None:
    gtin = with_check(body)
    expected = Scan(gtin, Symbology.DATAMATRIX, expiry, batch, serial)
    yymmdd = expiry.strftime("%y%m%d")
    assert datamatrix_scan(f"]d201{'0' + gtin}17{yymmdd}10{batch}{GS}21{serial}") == expected
    assert datamatrix_scan(f"(01)0{gtin}(21){serial}(10){batch}(17){yymmdd}") == expected


# --- decoder reports ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["DataMatrix", "Data Matrix", "DATAMATRIX"])
def test_datamatrix_reports_whatever_their_spelling(name: str) -> None:
    assert interpret(RawSymbol(name, f"01{GTIN14}")) == Scan(EAN, Symbology.DATAMATRIX)


def test_invalid_reports_are_dropped_and_duplicates_kept_once() -> None:
    raws = [
        RawSymbol("EAN13", EAN),
        RawSymbol("EAN-13", "6118000000007"),
        RawSymbol("EAN-13", EAN),
        RawSymbol("UPC-A", "012345678905"),
    ]
    assert interpret_all(raws) == [Scan(EAN, Symbology.EAN13), Scan("0012345678905", Symbology.UPCA)]


def test_a_datamatrix_replaces_the_linear_scan_of_the_same_box_in_place() -> None:
    other = Scan("96385074", Symbology.EAN8)
    linear = Scan(EAN, Symbology.EAN13)
    matrix = Scan(EAN, Symbology.DATAMATRIX, date(2027, 5, 31), "AB12", "S1")
    assert merge_scans([linear, other, matrix]) == [matrix, other]
    assert merge_scans([matrix, linear]) == [matrix]


def test_two_datamatrix_serials_are_two_boxes() -> None:
    first = Scan(EAN, Symbology.DATAMATRIX, serial="S1")
    second = Scan(EAN, Symbology.DATAMATRIX, serial="S2")
    assert merge_scans([first, second, first]) == [first, second]


def test_symbology_labels_are_what_the_student_sees() -> None:
    assert [s.value for s in Symbology] == ["EAN-13", "EAN-8", "UPC-A", "GS1 DataMatrix", "GS1 Digital Link"]


# --- GS1 Digital Link (QR) ----------------------------------------------------------------------------------------


def test_a_digital_link_qr_gives_gtin_batch_serial_and_expiry() -> None:
    scan = interpret(RawSymbol("QRCode", f"https://id.gs1.org/01/{GTIN14}/10/LOT%2042/21/SN9?17=270500&x=1"))
    assert scan == Scan(EAN, Symbology.DIGITAL_LINK, date(2027, 5, 31), "LOT 42", "SN9")


@pytest.mark.parametrize(
    "text",
    [f"https://brand.example/a/b/01/{EAN}", f"HTTP://x.ma/01/{EAN}/21/", f"https://x.ma/01/{EAN}/01/{GTIN14[:-1]}1"],
)
def test_a_digital_link_may_have_a_path_prefix_and_a_13_digit_gtin(text: str) -> None:
    scan = digital_link_scan(text)
    assert scan is not None and scan.gtin == EAN and scan.serial is None and scan.expiry is None


@pytest.mark.parametrize(
    "text",
    [
        "https://claimkit.ma/dossiers",  # a website, no product
        f"ftp://x.ma/01/{EAN}",
        f"/01/{EAN}",  # no host
        f"https://x.ma/01/{EAN[:-1]}7",  # wrong check digit
        "https://x.ma/01/12345",
        "https://x.ma/01/",
        "http://[::1/01/6118000000006",  # not a URL
    ],
)
def test_other_qr_contents_are_dropped(text: str) -> None:
    assert interpret(RawSymbol("QR", text)) is None


# --- when a read may be shown as the medicine found -----------------------------------------------------------------


def test_a_linear_code_needs_two_reads_or_a_product_of_the_reference() -> None:
    linear = Scan(EAN, Symbology.EAN13)
    assert not is_confirmed(linear, 1, known=False)
    assert is_confirmed(linear, 2, known=False)
    assert is_confirmed(linear, 1, known=True)
    assert with_confirmation(linear, 1, known=False) == linear
    assert with_confirmation(linear, 1, known=True) == Scan(EAN, Symbology.EAN13, confirmed=True)


@pytest.mark.parametrize("symbology", [Symbology.DATAMATRIX, Symbology.DIGITAL_LINK])
def test_an_error_corrected_symbol_is_confirmed_by_one_read(symbology: Symbology) -> None:
    assert is_confirmed(Scan(EAN, symbology), 1, known=False)


def test_a_digital_link_replaces_the_linear_scan_of_the_same_box() -> None:
    link = Scan(EAN, Symbology.DIGITAL_LINK, batch="L1")
    assert merge_scans([Scan(EAN, Symbology.EAN13), link]) == [link]
