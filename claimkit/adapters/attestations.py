"""The attestation d'immatriculation a student keeps (issue 15): the CNOPS's PDF as it came, or a photo of it.

What the file is comes from its first bytes, never from its name or the browser's Content-Type. A PDF must open
with pypdf and have a page; a JPEG or PNG goes through the photo checks and is re-encoded without its EXIF
(adapters/photos.py: the phone's GPS position never reaches the disk). Anything else is refused with a message.
"""

import io
from dataclasses import dataclass

from pypdf import PdfReader

from claimkit.adapters import photos
from claimkit.domain import limits
from claimkit.domain.messages import N_, Message, Refusal

PDF_MAGIC = b"%PDF-"
IMAGE_MAGICS = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # JPEG, PNG
MSG_EMPTY = N_("Le fichier est vide : choisissez le PDF de votre attestation ou une photo de celle-ci.")
MSG_TOO_LARGE = N_("Fichier trop lourd : %(size)s au plus pour l'attestation.")
MSG_WRONG_TYPE = N_("Ce fichier n'est ni un PDF ni une image JPEG ou PNG : envoyez l'attestation en PDF ou en photo.")
MSG_BAD_PDF = N_("Ce PDF est illisible ou protégé : téléchargez-le à nouveau sur le site de la CNOPS.")


class AttestationRefused(Refusal):
    """The upload is not a file we keep; the message says why."""


@dataclass(frozen=True)
class Kept:
    data: bytes
    content_type: str
    suffix: str


def _readable_pdf(data: bytes) -> bool:
    try:
        reader = PdfReader(io.BytesIO(data))
        return not reader.is_encrypted and len(reader.pages) > 0
    except Exception:  # pypdf raises many kinds for a broken file; all mean "not a PDF we can read"
        return False


def clean(data: bytes) -> Kept:
    """The file to keep, or AttestationRefused."""
    if not data:
        raise AttestationRefused(MSG_EMPTY)
    if len(data) > limits.ATTESTATION_BYTES:
        raise AttestationRefused(Message(MSG_TOO_LARGE, {"size": limits.shown(limits.ATTESTATION_BYTES)}))
    if data.startswith(PDF_MAGIC):
        if not _readable_pdf(data):
            raise AttestationRefused(MSG_BAD_PDF)
        return Kept(data, "application/pdf", ".pdf")
    if not data.startswith(IMAGE_MAGICS):
        raise AttestationRefused(MSG_WRONG_TYPE)
    try:
        kept, _thumb = photos.clean(data)
    except photos.PhotoRefused as refused:
        raise AttestationRefused(refused.as_message) from None
    return Kept(kept, "image/jpeg", ".jpg")
