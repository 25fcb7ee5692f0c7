"""The ready-to-post packet, identified by the content it is built from (HTTP ETag) and kept built for a while.

Why: building the packet PDF costs about 30 times a page view, and a student often opens it several times
(print preview, then print, then again at the post office). Every input of the PDF is in `PacketData` (the claim,
the profile, the language, today's date for "il reste N jours"), so a hash of it, with a fingerprint of the code
and form templates that draw it, names one exact PDF:
- a browser that already has it sends If-None-Match and gets 304 without anything being built;
- any change to the claim or the profile, a new day, or a new release gives another ETag, hence a rebuilt PDF.
The built bytes are also kept in a small per-process LRU keyed by that ETag. Nothing another worker needs lives
there: a worker without the entry rebuilds the same bytes (docs/deployment.md, scale-out).
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from claimkit.adapters import official_forms, pdf, pdf_forms, pdf_packet
from claimkit.adapters.package_data import package_path
from claimkit.domain import packet as domain_packet
from claimkit.domain import sheets as domain_sheets
from claimkit.domain.forms import FormId
from claimkit.services import Clock, packets

Offsets = Mapping[str, tuple[int, int]]  # a sheet's nudges: key → (dx, dy) in mm

FORMS = package_path("forms_pdf")


def _code_fingerprint() -> bytes:
    """Changes when the code or the form templates that draw the packet change (a release)."""
    digest = hashlib.sha256()
    modules = (pdf_packet, pdf_forms, domain_packet, packets, official_forms, domain_sheets)
    sources = [Path(m.__file__ or "") for m in modules]
    for path in [*sources, *sorted(FORMS.glob("*.pdf"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


FINGERPRINT = _code_fingerprint()


def etag_of(
    data: pdf.PacketData, sheets: Mapping[FormId, bytes] | None = None, offsets: Mapping[FormId, Offsets] | None = None
) -> str:
    """PacketData is frozen dataclasses, strings, dates and Decimals: its repr is a stable, complete description;
    the official sheets it carries (issue 14) count by their content, and the student's nudges of their values."""
    digest = hashlib.sha256(FINGERPRINT + repr(data).encode())
    for form, sheet in sorted((sheets or {}).items()):
        digest.update(form.value.encode() + hashlib.sha256(sheet).digest())
        digest.update(repr(sorted((offsets or {}).get(form, {}).items())).encode())
    return digest.hexdigest()[:32]


class Recent:
    """A bounded, thread-safe LRU of built PDFs (a few hundred kB each)."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: str, build: Callable[[], bytes]) -> bytes:
        with self._lock:
            if (found := self._items.get(key)) is not None:
                self._items.move_to_end(key)
                return found
        content = build()  # outside the lock: two threads may build the same PDF once each, never a wrong one
        with self._lock:
            self._items[key] = content
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return content


RECENT = Recent()


@dataclass(frozen=True)
class Packet:
    etag: str
    data: pdf.PacketData
    sheets: Mapping[FormId, bytes] = field(default_factory=dict)  # official sheets as loaded, not yet written
    offsets: Mapping[FormId, Offsets] = field(default_factory=dict)  # the student's nudges (mm)

    def content(self) -> bytes:
        return RECENT.get_or_build(
            self.etag,
            lambda: pdf.build_packet(self.data, packets.written_sheets(self.data, dict(self.sheets), self.offsets)),
        )


def current(db: Session, clock: Clock, user_id: int, claim_id: int, sheets_root: Path | None = None) -> Packet:
    """The packet as it is now (raises NotFound for another student's claim); nothing built or OCR'd yet."""
    data = packets.packet_data(db, clock, user_id, claim_id)
    sheets = packets.sheet_sources(db, clock, sheets_root, user_id, claim_id, data) if sheets_root else {}
    offsets = packets.sheet_offsets(db, clock, user_id, claim_id, data) if sheets else {}
    return Packet(etag_of(data, sheets, offsets), data, sheets, offsets)
