"""Checks for the identifiers a claim carries.

Two kinds of result: a *problem* (a French message, the value is refused) when a checksum proves the
value wrong, and a *warning* (the value is kept) when only its shape is unusual. No official format is
published for CNIE, Massar or INPE, so those never block (DOMAIN.md).
"""

import re

from stdnum import ean
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.ma import ice

from claimkit.domain.messages import N_

_SEPARATORS = re.compile(r"[\s\-./]+")
RIB_LENGTH = 24
_IBAN_MA_LENGTH = 28


def _compact(text: str) -> str:
    return _SEPARATORS.sub("", text).upper()


def _mod97(digits: str) -> int:
    return int(digits) % 97


def _iban_remainder(iban: str) -> int:
    rearranged = iban[4:] + iban[:4]
    return _mod97("".join(str(int(ch, 36)) for ch in rearranged))


def rib_key(first_22_digits: str) -> str:
    """The two-digit key that makes the 24-digit RIB divisible by 97."""
    return f"{97 - (_mod97(first_22_digits) * 100) % 97:02d}"


def iban_from_rib(rib: str) -> str:
    """`MA` + check digits + the 24-digit RIB, in the compact electronic form."""
    check = 98 - _iban_remainder("MA00" + rib)
    return f"MA{check:02d}{rib}"


def rib_problem(text: str) -> str | None:
    """Why `text` is not a usable RIB or Moroccan IBAN, or None when it is."""
    value = _compact(text)
    if not value:
        return N_("Saisissez le RIB (24 chiffres) ou l'IBAN (MA + 26 chiffres).")
    if value.startswith("MA"):
        if len(value) != _IBAN_MA_LENGTH or not value[2:].isdigit():
            return N_("Un IBAN marocain s'écrit MA suivi de 26 chiffres.")
        if _iban_remainder(value) != 1:
            return N_("Les chiffres de contrôle de l'IBAN (après MA) ne correspondent pas.")
        value = value[4:]
    elif not value.isdigit():
        return N_("Le RIB ne doit contenir que des chiffres (ou commencer par MA pour un IBAN).")
    if len(value) != RIB_LENGTH:
        return N_("Le RIB doit compter 24 chiffres.")
    if _mod97(value) != 0:
        return N_("La clé du RIB (2 derniers chiffres) ne correspond pas : vérifiez chaque chiffre.")
    return None


def is_valid_rib(text: str) -> bool:
    """True for a 24-digit RIB or an IBAN MA with a correct key, spaces allowed."""
    return rib_problem(text) is None


def normalize_rib(text: str) -> str:
    """The 24-digit RIB of a valid RIB or IBAN MA (call only after `rib_problem` returned None)."""
    value = _compact(text)
    return value[4:] if value.startswith("MA") else value


def format_rib(rib: str) -> str:
    """Bank, city, account and key groups, as printed on a relevé d'identité bancaire."""
    return f"{rib[:3]} {rib[3:6]} {rib[6:22]} {rib[22:]}"


_CNIE_SHAPE = re.compile(r"[A-Z]{1,2}\d{3,7}")
_ID_CHARS = re.compile(r"[A-Z0-9]+")


def normalize_cnie(text: str) -> str:
    """Upper case without spaces or dashes: the form in which the CNIE is printed on the feuille."""
    return _compact(text)


def cnie_problem(text: str) -> str | None:
    """Refuses only what cannot be any identity document number."""
    value = normalize_cnie(text)
    if not value:
        return N_("Saisissez le numéro de votre CNIE (ou de votre passeport / carte de séjour).")
    if not _ID_CHARS.fullmatch(value):
        return N_("Le numéro de CNIE ne contient que des lettres et des chiffres.")
    return None


def cnie_warning(text: str) -> str | None:
    """A CNIE is usually 1–2 letters then digits (AB123456); anything else may be a typo or a passport."""
    if _CNIE_SHAPE.fullmatch(normalize_cnie(text)):
        return None
    return N_(
        "Ce numéro ne ressemble pas à une CNIE (1 ou 2 lettres puis des chiffres, ex. AB123456). "
        "Vérifiez-le ; s'il s'agit d'un passeport ou d'une carte de séjour, gardez-le."
    )


_IMMATRICULATION_SHAPE = re.compile(r"\d{9}")


def normalize_immatriculation(text: str) -> str:
    return _compact(text)


def immatriculation_problem(text: str) -> str | None:
    """A parent's N° d'immatriculation at the CNSS is a number: letters prove a mix-up (e.g. with the CIN)."""
    value = normalize_immatriculation(text)
    if not value:
        return N_("Saisissez le N° d'immatriculation CNSS de votre parent.")
    if not value.isdigit():
        return N_("Le N° d'immatriculation CNSS ne contient que des chiffres (ce n'est pas le n° de CIN).")
    return None


def immatriculation_warning(text: str) -> str | None:
    """The CNSS sheets print the immatriculation in 9 boxes; other lengths are kept but flagged."""
    if _IMMATRICULATION_SHAPE.fullmatch(normalize_immatriculation(text)):
        return None
    return N_(
        "Le N° d'immatriculation CNSS compte normalement 9 chiffres : vérifiez-le sur la carte ou l'attestation "
        "CNSS de votre parent."
    )


_MASSAR_SHAPES = (re.compile(r"[A-Z]\d{9}"), re.compile(r"\d{10}"))


def normalize_massar(text: str) -> str:
    return _compact(text)


def massar_warning(text: str) -> str | None:
    """Massar codes look like D130000000 (a letter and 9 digits); old CNE numbers have 10 digits."""
    value = normalize_massar(text)
    if any(shape.fullmatch(value) for shape in _MASSAR_SHAPES):
        return None
    return N_("Ce code ne ressemble pas à un code Massar (une lettre et 9 chiffres) ni à un CNE (10 chiffres).")


_INPE_SHAPE = re.compile(r"\d{9}")


def inpe_warning(text: str) -> str | None:
    """The forms print the INPE in 9 boxes; other lengths are kept but flagged."""
    if _INPE_SHAPE.fullmatch(_compact(text)):
        return None
    return N_("L'INPE compte normalement 9 chiffres : vérifiez-le sur le cachet du praticien.")


def ice_problem(text: str) -> str | None:
    """ICE: 15 digits with a mod-97 check (stdnum.ma.ice)."""
    try:
        ice.validate(text)
    except InvalidChecksum:
        return N_("La clé de l'ICE (2 derniers chiffres) ne correspond pas.")
    except (InvalidLength, InvalidFormat):
        return N_("L'ICE compte 15 chiffres.")
    return None


def ean13_problem(text: str) -> str | None:
    """A box's barcode is accepted only with 13 digits and a valid check digit."""
    value = _compact(text)
    if len(value) != 13 or not value.isdigit():
        return N_("Le code-barres EAN-13 compte 13 chiffres.")
    if not ean.is_valid(value):
        return N_("Le dernier chiffre du code-barres (clé de contrôle) ne correspond pas : relisez les chiffres.")
    return None


_PHONE_CHARS = re.compile(r"\+?\d{9,14}")


def normalize_phone(text: str) -> str:
    return _SEPARATORS.sub("", text).replace("(", "").replace(")", "")


def phone_problem(text: str) -> str | None:
    if _PHONE_CHARS.fullmatch(normalize_phone(text)):
        return None
    return N_("Le numéro de téléphone ne contient que des chiffres (ex. 06 12 34 56 78 ou +212 6 12 34 56 78).")
