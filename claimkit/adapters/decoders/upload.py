"""The cheap checks on an upload, from its size and header only, before any pixel is decoded."""

import io
import warnings

from PIL import Image, UnidentifiedImageError

from claimkit.domain.messages import N_

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 100_000_000
FORMATS = ("JPEG", "PNG", "WEBP")

MSG_EMPTY = N_("Le fichier est vide : choisissez une photo du code-barres.")
MSG_TOO_LARGE = N_("La photo dépasse 20 Mo : reprenez-la en qualité normale ou réduisez-la.")
MSG_NOT_IMAGE = N_("Ce fichier n'est pas une image lisible : envoyez une photo du code-barres (JPEG ou PNG).")
MSG_HEIC = N_("Les photos HEIC ne sont pas prises en charge : envoyez la photo au format JPEG.")
MSG_TOO_MANY_PIXELS = N_("L'image est trop grande (plus de 100 mégapixels) : envoyez une photo ordinaire.")
MSG_DAMAGED = N_("La photo est incomplète ou endommagée : envoyez-la à nouveau.")

_HEIF_BRANDS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypheim", b"ftypheis", b"ftypmif1", b"ftypmsf1")


class ScanRefused(Exception):
    """The upload cannot be analysed; `message` (French) says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def open_checked(data: bytes) -> Image.Image:
    """Opens the upload after the cheap checks, reading only its header.

    Refuses (ScanRefused) empty and oversized files, HEIC, anything that is not JPEG/PNG/WebP, and images over
    100 megapixels, before any pixel is decoded.
    """
    if not data:
        raise ScanRefused(MSG_EMPTY)
    if len(data) > MAX_BYTES:
        raise ScanRefused(MSG_TOO_LARGE)
    if data[4:12] in _HEIF_BRANDS:
        raise ScanRefused(MSG_HEIC)
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own default (89 MP); claimkit's limit, checked below, is 100 MP.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except Image.DecompressionBombError:
        raise ScanRefused(MSG_TOO_MANY_PIXELS) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ScanRefused(MSG_NOT_IMAGE) from None
    if image.width * image.height > MAX_PIXELS:
        raise ScanRefused(MSG_TOO_MANY_PIXELS)
    return image
