"""The cheap checks on an upload, from its size and header only, before any pixel is decoded.

The web process runs them too (`ScanWorker.scan`), so a hostile file is refused in a millisecond without taking
the decoding child's turn (docs/domain.md#medicine-barcodes, "the worker under attack").
"""

import io
import warnings

from PIL import Image, UnidentifiedImageError

from claimkit.domain import limits
from claimkit.domain.messages import N_, Message, Refusal

MAX_PIXELS = 100_000_000
FORMATS = ("JPEG", "PNG", "WEBP")
# Per format: phone cameras write JPEG (up to 50 MP today, 200 MP sensors bin to 12–50 MP); PNG and WebP come from
# screenshots and apps, far below 40 MP. A PNG compresses a plain area ~1000×: its pixel count, not its file size,
# is what decoding costs (a 192 KB PNG of 1 × 99,000,000 px took 2.1 s).
MAX_PIXELS_BY_FORMAT = {"JPEG": MAX_PIXELS, "PNG": 40_000_000, "WEBP": 40_000_000}
MAX_ASPECT = 8  # long side / short side: photos are 4:3 to 20:9, a panorama 4:1; a barcode never needs more

MSG_EMPTY = N_("Le fichier est vide : choisissez une photo du code-barres.")
MSG_TOO_LARGE = N_("La photo dépasse %(size)s : reprenez-la en qualité normale ou réduisez-la.")
TOO_LARGE = Message(MSG_TOO_LARGE, {"size": limits.shown(limits.UPLOAD_BYTES)})
MSG_NOT_IMAGE = N_("Ce fichier n'est pas une image lisible : envoyez une photo du code-barres (JPEG ou PNG).")
MSG_HEIC = N_("Les photos HEIC ne sont pas prises en charge : envoyez la photo au format JPEG.")
MSG_TOO_MANY_PIXELS = N_("L'image est trop grande (plus de 100 mégapixels) : envoyez une photo ordinaire.")
MSG_DAMAGED = N_("La photo est incomplète ou endommagée : envoyez-la à nouveau.")
MSG_TOO_MANY_PIXELS_LOSSLESS = N_(
    "L'image PNG ou WebP est trop grande (plus de 40 mégapixels) : envoyez la photo au format JPEG."
)
MSG_BAD_SHAPE = N_("L'image est trop étroite ou trop allongée pour être une photo : envoyez une photo ordinaire.")

_HEIF_BRANDS = (b"ftypheic", b"ftypheix", b"ftyphevc", b"ftypheim", b"ftypheis", b"ftypmif1", b"ftypmsf1")


class ScanRefused(Refusal):
    """The upload cannot be analysed; the message says why and what to do."""


def open_checked(data: bytes) -> Image.Image:
    """Opens the upload after the cheap checks, reading only its header.

    Refuses (ScanRefused) empty and oversized files, HEIC, anything that is not JPEG/PNG/WebP, images over the
    pixel count of their format and images too narrow to be photos, before any pixel is decoded.
    """
    if not data:
        raise ScanRefused(MSG_EMPTY)
    if len(data) > limits.UPLOAD_BYTES:
        raise ScanRefused(TOO_LARGE)
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
    pixels = image.width * image.height
    if pixels > MAX_PIXELS:
        raise ScanRefused(MSG_TOO_MANY_PIXELS)
    if max(image.size) > MAX_ASPECT * max(1, min(image.size)):
        raise ScanRefused(MSG_BAD_SHAPE)
    if pixels > MAX_PIXELS_BY_FORMAT.get(image.format or "", MAX_PIXELS):
        raise ScanRefused(MSG_TOO_MANY_PIXELS_LOSSLESS)
    return image


def check_header(data: bytes) -> None:
    """Raises ScanRefused when `open_checked` would: the same checks, for a caller that decodes elsewhere."""
    open_checked(data).close()
