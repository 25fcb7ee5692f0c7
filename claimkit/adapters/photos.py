"""Photos of the originals (ordonnance, factures, reçu du recommandé) kept before they go in the envelope.

The upload goes through the same checks as a barcode photo (decoders.open_checked: size, format, pixel count)
and is then re-encoded: turned upright, at most 2 400 px on its long side, as a JPEG written without any EXIF,
so the phone's GPS position, its model and the time never reach the disk. A 320 px thumbnail goes with it.
"""

import io

from PIL import Image, ImageOps

from claimkit.adapters.decoders import MSG_EMPTY, MSG_NOT_IMAGE, ScanRefused, open_checked
from claimkit.domain.messages import N_, Refusal

LONG_SIDE = 2400  # a page photographed at this size stays readable; larger only costs storage
THUMB_SIDE = 320
MSG_PHOTO_EMPTY = N_("Le fichier est vide : choisissez une photo du document.")
MSG_PHOTO_NOT_IMAGE = N_("Ce fichier n'est pas une image lisible : envoyez une photo du document (JPEG ou PNG).")
_MESSAGES = {MSG_EMPTY: MSG_PHOTO_EMPTY, MSG_NOT_IMAGE: MSG_PHOTO_NOT_IMAGE}


class PhotoRefused(Refusal):
    """The upload is not a photo we keep; the message says why."""


def _jpeg(image: Image.Image, side: int) -> bytes:
    copy = image.copy()
    copy.thumbnail((side, side))
    out = io.BytesIO()
    copy.save(out, "JPEG", quality=85, optimize=True)  # no exif= argument: nothing of the original's EXIF
    return out.getvalue()


def clean(data: bytes) -> tuple[bytes, bytes]:
    """The photo to keep and its thumbnail, both JPEG without EXIF; PhotoRefused for what is not a photo."""
    try:
        image = open_checked(data)
        image.load()
    except ScanRefused as refused:
        raise PhotoRefused(_MESSAGES.get(refused.message, refused.message)) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise PhotoRefused(MSG_PHOTO_NOT_IMAGE) from None
    upright = ImageOps.exif_transpose(image).convert("RGB")
    return _jpeg(upright, LONG_SIDE), _jpeg(upright, THUMB_SIDE)
