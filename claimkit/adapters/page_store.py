"""A bounded, thread-safe LRU of drawn pages, by bytes (web/page_cache.py keeps the dashboard and claim pages in it).

Bounded by the memory the strings take (`sys.getsizeof`: 1 byte a character for French pages, 2 for Arabic ones,
plus the object's header), not by a count: a claim page with 40 acts is ten times a dashboard. One per app, i.e. per
worker process: nothing in it is needed by another worker or machine (a miss just draws the page again).
"""

import sys
import threading
from collections import OrderedDict

DEFAULT_BYTES = 16 * 2**20  # per worker: about 600 claim pages and 1 500 dashboards (docs/deployment.md)
_OVERHEAD = 200  # the key, the OrderedDict's node and slot: a rough, generous figure per entry


class PageStore:
    """Pages by key, the least recently used dropped first once `max_bytes` is exceeded; 0 turns it off."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, max_bytes)
        self._items: OrderedDict[bytes, str] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0  # for the tests and the bench

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @property
    def size(self) -> int:
        """The bytes counted for what is kept now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    @staticmethod
    def _cost(page: str) -> int:
        return sys.getsizeof(page) + _OVERHEAD

    def get(self, key: bytes) -> str | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found

    def put(self, key: bytes, page: str) -> None:
        """Kept unless it alone is larger than the whole store; older entries go until the rest fits."""
        cost = self._cost(page)
        if cost > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= self._cost(old)
            self._items[key] = page
            self._bytes += cost
            while self._bytes > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self._bytes -= self._cost(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
