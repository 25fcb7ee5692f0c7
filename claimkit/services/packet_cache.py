"""The ready-to-post packet, named by a cheap key of everything it is built from (HTTP ETag), kept built a while.

Why: building the packet PDF costs about 30 times a page view, and a student often opens it several times
(print preview, then print, then again at the post office). Hashing its whole content (`PacketData`) to know
whether it changed meant loading and assessing the claim on every download (15.7 ms of CPU for a repeat, issue
20). The key is now read in one query: the claim's content revision, the student's revision (account, profile,
registration), the reference data's revision — all bumped at every flush that changes them
(adapters/db/revisions.py) — with the language, today's date ("il reste N jours") and a fingerprint of the code,
form templates and migrations that draw it:
- a browser that already has it sends If-None-Match and gets 304 without anything being loaded or built;
- any change to the claim, the profile, the reference rates or sheets, a new day, or a new release gives another
  key, hence a rebuilt PDF (test_packet.py::test_every_change_gives_a_new_etag).
The built bytes are kept in a small LRU of the app (one per process, web/deps.py) under that key. Nothing
another worker needs lives there: a worker without the entry rebuilds the same bytes (docs/deployment.md,
scale-out). After restoring a backup, restart the workers: the counters go back with the database.
"""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from claimkit.adapters import l10n
from claimkit.adapters.db import revisions
from claimkit.adapters.package_data import package_path
from claimkit.domain.deadlines import local_today
from claimkit.services import Clock, packets

PACKAGE = package_path()


def _code_fingerprint() -> bytes:
    """Changes with any release: every module, catalogue and form template of the package (the packet's content
    depends on the domain's rules, the estimate, the catalogues and the drawing code; a migration may rewrite
    reference rows without a flush). Read once per process, a few milliseconds."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.suffix in {".py", ".mo", ".pdf"}):
        digest.update(str(path.relative_to(PACKAGE)).encode())
        digest.update(path.read_bytes())
    return digest.digest()


FINGERPRINT = _code_fingerprint()


def etag(db: Session, clock: Clock, user_id: int, claim_id: int) -> str:
    """The packet's key, from one read of three counters (raises NotFound for a claim the student cannot see)."""
    claim_revision, user_revision, reference, locale = revisions.packet_revisions(db, user_id, claim_id)
    day = local_today(clock()).isoformat()
    parts = f"{claim_id}:{claim_revision}:{user_id}:{user_revision}:{reference}:{l10n.language(locale)}:{day}"
    return hashlib.sha256(FINGERPRINT + parts.encode()).hexdigest()[:32]


class Recent:
    """A bounded, thread-safe LRU of built PDFs (a few hundred kB each)."""

    def __init__(self, size: int = 32) -> None:
        self.size = size
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_build(self, key: str, build: Callable[[], bytes], still: Callable[[], bool] = lambda: True) -> bytes:
        with self._lock:
            if (found := self._items.get(key)) is not None:
                self._items.move_to_end(key)
                return found
        content = build()  # outside the lock: two threads may build the same PDF once each, never a wrong one
        if not still():
            return content
        with self._lock:
            self._items[key] = content
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return content


def content(
    recent: Recent, db: Session, clock: Clock, user_id: int, claim_id: int, key: str, sheets_root: Path | None = None
) -> bytes:
    """The bytes named by `key` (from `etag`): from the app's LRU, else built and kept. Kept only when the key
    still holds after the build, so a change committed meanwhile never leaves newer bytes under an older key."""
    return recent.get_or_build(
        key,
        lambda: packets.packet(db, clock, user_id, claim_id, sheets_root),
        still=lambda: etag(db, clock, user_id, claim_id) == key,
    )
