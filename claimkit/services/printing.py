"""Printing the student's part onto a paper feuille bought in a bookshop: the values-only PDF, the calibration
page and the printer offset the student measures on it once (docs/domain.md, "Official sheets and the student's
part").

The values-only print uses the official sheet loaded for the claim's insurer and kind (the same one the packet
carries): a bookshop sheet is that printed sheet, so its labels are at the same places.
"""

from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from claimkit.adapters import l10n, official_forms, values_only
from claimkit.adapters.db import models as db_models
from claimkit.domain import printing
from claimkit.domain.messages import N_
from claimkit.domain.sheets import overlay_fields
from claimkit.services import Clock, ServiceError, official_sheets, packets
from claimkit.services.claims import ClaimView

NO_SHEET = N_(
    "Aucune feuille officielle n'est chargée pour ce dossier : l'impression sur une feuille papier a besoin de "
    "ses positions."
)
CALIBRATION_TITLE = N_("Page de calibrage de l'imprimante")
CALIBRATION_STEPS = (
    N_("1. Imprimez cette page à 100 % (« taille réelle », sans « ajuster à la page »), sur papier A4."),
    N_("2. Avec une règle, vérifiez l'échelle : de 10 à 110 sur une règle imprimée, il doit y avoir 100 mm."),
    N_(
        "3. Mesurez depuis le bord gauche de la feuille jusqu'au centre de la croix du haut à gauche : il devrait "
        "y avoir 50 mm. Puis depuis le bord haut : 50 mm aussi."
    ),
    N_(
        "4. Entrez la correction dans votre profil : si vous mesurez 52 mm au lieu de 50, entrez -2 ; si vous "
        "mesurez 48,5 mm, entrez 1,5. X pour le bord gauche, Y pour le bord haut."
    ),
    N_("5. Imprimez ensuite « valeurs seules » sur la feuille achetée en librairie, placée comme cette page."),
)
CROSS = N_("%(x)d mm du bord gauche, %(y)d mm du bord haut")


def _user(db: Session, user_id: int) -> db_models.User:
    user = db.get(db_models.User, user_id)
    if user is None:
        raise ServiceError(N_("Compte introuvable."))
    return user


def has_sheet(db: Session, clock: Clock, root: Path, view: ClaimView) -> bool:
    """Whether an official sheet is in force for one of the claim's forms (the page shows the link then only).
    Judged from the claim page's own view: the packet's forms are `view.forms`, and a file's presence is enough
    (nothing is read or drawn for a link)."""
    if view.straddle:  # acts on both sides of law 54-23's cut-over: the claim is split first
        return False
    rows = packets.chosen_sheets(db, clock, view, view.forms)
    return any(official_sheets.stored(root, row) for row in rows.values())


def values_only_pdf(db: Session, clock: Clock, root: Path, user_id: int, claim_id: int) -> bytes:
    """The student's values alone, one page per official sheet in force, moved by the account's offset. A sheet
    whose labels cannot be found is refused with its label named, as the packet's overlay does."""
    data = packets.packet_data(db, clock, user_id, claim_id)
    sources = packets.sheet_sources(db, clock, root, user_id, claim_id, data)
    sheets = [(sources[form], overlay_fields(values)) for form, values in data.forms if form in sources]
    if not sheets:
        raise ServiceError(NO_SHEET)
    x_mm, y_mm = offset(db, user_id)
    try:
        return values_only.values_only(sheets, printing.to_points(x_mm, y_mm))
    except official_forms.SheetRefused as refusal:
        raise ServiceError(refusal.as_message) from refusal


def calibration_pdf(db: Session, user_id: int) -> bytes:
    """The calibration page, its instructions in the student's language."""
    locale = l10n.language(_user(db, user_id).locale)
    gettext = l10n.translations(locale).gettext
    text = values_only.CalibrationText(
        title=gettext(CALIBRATION_TITLE),
        steps=[gettext(step) for step in CALIBRATION_STEPS],
        cross=gettext(CROSS),
        rtl=locale.rtl,
    )
    return values_only.calibration_page(text)


def offset(db: Session, user_id: int) -> tuple[Decimal, Decimal]:
    user = _user(db, user_id)
    return Decimal(user.print_offset_x_mm), Decimal(user.print_offset_y_mm)


def set_offset(db: Session, user_id: int, x_raw: str, y_raw: str) -> tuple[Decimal, Decimal]:
    """Stores the offset typed in mm ("1,5", "-2"); either one out of ±15 mm refuses both and keeps the old one."""
    user = _user(db, user_id)
    x_mm, y_mm = printing.parse_offset(x_raw), printing.parse_offset(y_raw)
    if x_mm is None or y_mm is None:
        problem = printing.offset_problem("X" if x_mm is None else "Y")
        raise ServiceError(problem.msgid, problem.values)
    user.print_offset_x_mm, user.print_offset_y_mm = x_mm, y_mm
    db.commit()
    return offset(db, user_id)
