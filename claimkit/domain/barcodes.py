"""What a decoded barcode on a medicine box means.

Decoders (ZBar through pyzbar, zxing-cpp, a browser's BarcodeDetector) report a symbology name and a text, each
in their own spelling. This module turns those raw reports into `Scan` values the rest of claimkit can trust as
far as a barcode can be trusted: a GTIN with a valid check digit, plus what a GS1 DataMatrix adds (expiry, batch,
serial). Anything with a wrong check digit or an unreadable structure is dropped here, so a misread can never reach
a claim through this path. A valid check digit is still not proof (DOMAIN.md): the student confirms the result.
"""

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from urllib.parse import parse_qs, unquote, urlsplit

from stdnum import ean

GS = "\x1d"  # ASCII group separator: how FNC1 is transmitted inside a GS1 element string

# AIM symbology identifier (`]d2`: DataMatrix with FNC1 first, i.e. GS1; zxing-cpp reports `]d8` for a GS1
# rectangular DataMatrix). Some decoders send it before the data, others send FNC1 as a leading GS instead.
_AIM_PREFIX = re.compile(r"\][A-Za-z][0-9A-Za-z]")

# Length of the application identifier, by its first two digits (GS1 General Specifications, section 3).
_AI_LENGTH = {
    **dict.fromkeys(("00", "01", "02", "03", "04", "10", "11", "12", "13", "14", "15", "16", "17"), 2),
    **dict.fromkeys(("18", "19", "20", "21", "22", "30", "37"), 2),
    **dict.fromkeys(("23", "24", "25", "40", "41", "42", "71"), 3),
    **dict.fromkeys(("31", "32", "33", "34", "35", "36", "39", "43", "70", "72", "80", "81", "82"), 4),
    **{f"9{d}": 2 for d in "0123456789"},
}
# Element strings of predefined length (GS1 General Specifications, figure 7.8.5-2): no separator follows them.
# Every other element string is variable-length and ends at a GS or at the end of the data.
_FIXED_DATA_LENGTH = {
    "00": 18, "01": 14, "02": 14, "03": 14, "04": 16,
    **{f"1{d}": 6 for d in "123456789"},
    "20": 2, "31": 6, "32": 6, "33": 6, "34": 6, "35": 6, "36": 6, "41": 13,
}  # fmt: skip
_HRI_ELEMENT = re.compile(r"\((\d{2,4})\)([^(]*)")
_MAX_VARIABLE_LENGTH = 90  # the longest GS1 field; longer means this is not GS1 data


class Symbology(StrEnum):
    """The formats claimkit accepts: those printed on medicine boxes (DOMAIN.md, "Medicine barcodes")."""

    EAN13 = "EAN-13"
    EAN8 = "EAN-8"
    UPCA = "UPC-A"
    DATAMATRIX = "GS1 DataMatrix"
    DIGITAL_LINK = "GS1 Digital Link"  # a QR code carrying https://…/01/<GTIN>/…


# Symbols with Reed–Solomon error correction: a read that decodes is the printed data
# (docs/domain.md#medicine-barcodes).
ERROR_CORRECTED = frozenset({Symbology.DATAMATRIX, Symbology.DIGITAL_LINK})


@dataclass(frozen=True)
class RawSymbol:
    """One decoder report, in the decoder's own words (e.g. `EAN13`, `EAN-13`, `UPC-A`, `DataMatrix`)."""

    symbology: str
    text: str


@dataclass(frozen=True)
class Scan:
    """A validated barcode.

    `gtin` is the number to look the medicine up by: 13 digits for an EAN-13, a UPC-A (with its leading 0) and a
    GTIN-14 starting with 0; 8 digits for an EAN-8; 14 digits for other GTIN-14s (cases, not boxes).
    `confirmed` says the code may be shown as the medicine found (see `is_confirmed`); an unconfirmed scan is
    shown as digits to compare with the box, never as the found medicine.
    """

    gtin: str
    symbology: Symbology
    expiry: date | None = None
    batch: str | None = None
    serial: str | None = None
    confirmed: bool = False

    @property
    def ean13(self) -> str | None:
        """The key of the medicines reference, when this GTIN has one."""
        return self.gtin if len(self.gtin) == 13 else None


def _normalized_name(symbology: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", symbology.upper())


def _valid_digits(text: str, length: int) -> bool:
    return len(text) == length and text.isascii() and text.isdigit() and ean.is_valid(text)


def linear_scan(symbology: str, text: str) -> Scan | None:
    """An EAN-13, EAN-8 or UPC-A report as a Scan, or None when its length or check digit is wrong.

    UPC-A is a subset of EAN-13 (a leading 0), so it is stored in that form: ZBar already reports it so, zxing-cpp
    as 12 digits.
    """
    name, digits = _normalized_name(symbology), text.strip()
    if name == "EAN13" and _valid_digits(digits, 13):
        return Scan(digits, Symbology.EAN13)
    if name == "UPCA" and _valid_digits(digits, 12):
        return Scan("0" + digits, Symbology.UPCA)
    if name == "UPCA" and digits.startswith("0") and _valid_digits(digits, 13):
        return Scan(digits, Symbology.UPCA)
    if name == "EAN8" and _valid_digits(digits, 8):
        return Scan(digits, Symbology.EAN8)
    return None


def _strip_gs1_prefix(text: str) -> str:
    if _AIM_PREFIX.match(text):
        text = text[3:]
    return text.lstrip(GS)


def _parse_hri(text: str) -> dict[str, str] | None:
    elements: dict[str, str] = {}
    position = 0
    for match in _HRI_ELEMENT.finditer(text):
        if match.start() != position:
            return None
        elements.setdefault(match.group(1), match.group(2))
        position = match.end()
    return elements if position == len(text) else None


def parse_gs1(text: str) -> dict[str, str] | None:
    """The element strings of GS1 data, by application identifier, or None when the data is not GS1.

    Accepts the raw transmission (optional AIM prefix such as `]d2`, FNC1 sent as GS) and the human-readable form
    with parentheses. Predefined-length fields need no separator; variable-length fields end at GS. The first
    occurrence of an identifier wins.
    """
    data = _strip_gs1_prefix(text.strip())
    if data.startswith("("):
        return _parse_hri(data)
    elements: dict[str, str] = {}
    position = 0
    while position < len(data):
        if data[position] == GS:
            position += 1
            continue
        prefix = data[position : position + 2]
        ai_length = _AI_LENGTH.get(prefix)
        ai = data[position : position + ai_length] if ai_length else ""
        if not ai_length or len(ai) != ai_length or not ai.isdigit():
            return None
        position += ai_length
        fixed = _FIXED_DATA_LENGTH.get(prefix)
        if fixed:
            end = position + fixed
        else:
            separator = data.find(GS, position)
            end = separator if separator >= 0 else len(data)
        value = data[position:end]
        if (fixed and len(value) != fixed) or not value or len(value) > _MAX_VARIABLE_LENGTH:
            return None
        elements.setdefault(ai, value)
        position = end
    return elements


def gs1_date(yymmdd: str) -> date | None:
    """A GS1 date field (AI 11, 15, 17…) as a date; DD = 00 means the last day of the month.

    Years are read as 20YY: medicines on sale now expire this century, and the domain has no clock to apply the
    GS1 sliding window.
    """
    if len(yymmdd) != 6 or not yymmdd.isascii() or not yymmdd.isdigit():
        return None
    year, month, day = 2000 + int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:])
    if not 1 <= month <= 12:
        return None
    last_day = calendar.monthrange(year, month)[1]
    if day == 0:
        day = last_day
    return date(year, month, day) if day <= last_day else None


def datamatrix_scan(text: str) -> Scan | None:
    """A GS1 DataMatrix as a Scan: its GTIN (AI 01, check digit verified), expiry (17), batch (10), serial (21).

    Without a valid AI 01 the symbol does not identify a product and is dropped. A malformed expiry is dropped
    alone: the GTIN stays usable and the student checks the date printed on the box.
    """
    elements = parse_gs1(text)
    gtin14 = (elements or {}).get("01", "")
    if elements is None or not _valid_digits(gtin14, 14):
        return None
    expiry = elements.get("17")
    return Scan(
        gtin=gtin14[1:] if gtin14.startswith("0") else gtin14,
        symbology=Symbology.DATAMATRIX,
        expiry=gs1_date(expiry) if expiry else None,
        batch=elements.get("10"),
        serial=elements.get("21"),
    )


_DIGITAL_LINK_QUALIFIERS = ("22", "10", "21")  # after 01 in the path, in this order when present (GS1 Digital Link)


def digital_link_scan(text: str) -> Scan | None:
    """A QR code's GS1 Digital Link URI (`https://host/…/01/<GTIN>/10/<batch>/21/<serial>?17=YYMMDD`) as a Scan.

    The GTIN may be written with 8, 12, 13 or 14 digits; it is padded to 14 and checked like a DataMatrix's AI 01.
    Any other URL or text (a QR code of a website, a leaflet) gives None: it does not identify a product.
    """
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return None
    segments = [unquote(segment) for segment in parts.path.split("/")]
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or "01" not in segments:
        return None
    start = segments.index("01")
    pairs: dict[str, str] = {}
    for key, value in zip(segments[start::2], segments[start + 1 :: 2], strict=False):
        pairs.setdefault(key, value)
    gtin = pairs.get("01", "")
    if len(gtin) not in (8, 12, 13, 14) or not _valid_digits(gtin.zfill(14), 14):
        return None
    gtin14 = gtin.zfill(14)
    expiry = (parse_qs(parts.query).get("17") or [""])[0]
    return Scan(
        gtin=gtin14[1:] if gtin14.startswith("0") else gtin14,
        symbology=Symbology.DIGITAL_LINK,
        expiry=gs1_date(expiry) if expiry else None,
        batch=pairs.get("10") or None,
        serial=pairs.get("21") or None,
    )


def interpret(raw: RawSymbol) -> Scan | None:
    """One decoder report as a Scan, or None when it is not an accepted format or fails its checks."""
    name = _normalized_name(raw.symbology)
    if name == "DATAMATRIX":
        return datamatrix_scan(raw.text)
    if name in ("QRCODE", "QR"):
        return digital_link_scan(raw.text)
    return linear_scan(raw.symbology, raw.text)


def is_confirmed(scan: Scan, independent_reads: int, known: bool) -> bool:
    """Whether a decoded code may be shown as the medicine found (docs/domain.md#medicine-barcodes).

    A linear code's check digit misses some misreads, so one read alone is not enough: it needs a second read that
    agrees (another decoder or another scale), or a GTIN that is a product of the medicines reference. An
    error-corrected 2D symbol (DataMatrix, Digital Link QR) is right whenever it decodes.
    """
    return scan.symbology in ERROR_CORRECTED or independent_reads >= 2 or known


def with_confirmation(scan: Scan, independent_reads: int, known: bool) -> Scan:
    """The scan with `confirmed` set by `is_confirmed`."""
    return replace(scan, confirmed=is_confirmed(scan, independent_reads, known))


def merge_scans(scans: Iterable[Scan]) -> list[Scan]:
    """Distinct scans, in first-seen order.

    Two decoders, or two attempts, usually report the same code: it is kept once. A 2D symbol (DataMatrix,
    Digital Link QR) says more than the linear barcode of the same box (expiry, batch), so it replaces a linear
    scan of the same GTIN; 2D scans with different serials are different boxes and are all kept.
    """
    kept: list[Scan] = []
    for scan in scans:
        if scan in kept:
            continue
        same = next((index for index, other in enumerate(kept) if other.gtin == scan.gtin), None)
        if same is None:
            kept.append(scan)
        elif scan.symbology in ERROR_CORRECTED:
            if kept[same].symbology in ERROR_CORRECTED:
                kept.append(scan)
            else:
                kept[same] = scan
    return kept


def interpret_all(raws: Iterable[RawSymbol]) -> list[Scan]:
    """The validated, de-duplicated scans among decoder reports; the invalid ones are silently discarded."""
    return merge_scans(scan for scan in map(interpret, raws) if scan is not None)
