"""Barcode decoding in a separate process with a time and a memory limit (issue 6).

A web worker must not be stalled or killed by a hostile upload (a decompression bomb, an image that sends a decoder
into a slow path, a crash in C code). So the web process never decodes pixels itself: it hands the bytes to one
long-lived child (`python -m claimkit.adapters.scan_worker`) that has an address-space limit, waits at most
`time_limit` seconds for the answer, and kills and replaces the child when it is late or dies.

The child answers with the raw symbols it kept and how many independent reads each had, as JSON (never pickle:
the child is the less trusted side); the parent interprets them again with the domain rules and decides which are
confirmed (`is_confirmed`: two reads, a 2D symbol, or a product of the reference). The reference's GTINs are sent
to the child with a request only when they changed, so that it can end its search at a single read of a known
product instead of spending its whole budget looking for a second one.

Under attack (issue 19) the parent protects the web process before the child is involved: the header checks run
here (a 1 × 99,000,000 px PNG is refused in a millisecond), an account has at most one scan in flight, and scans
wait for the child in a bounded queue with a deadline. The child keeps the web's CPU priority: niced, it starved on a
busy machine and its search budget ran out before it had read anything.

Usage from the web layer: create one `ScanWorker()` per process (nothing starts until the first scan), call
`scan(data)` in the request, and `close()` at shutdown (e.g. `atexit.register(worker.close)`).
"""

import fcntl
import json
import logging
import os
import re
import resource
import selectors
import struct
import subprocess  # nosec B404
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from claimkit.adapters import decoders
from claimkit.adapters.decoders import MSG_EMPTY, TOO_LARGE, ScanRefused, check_header
from claimkit.adapters.package_data import package_path
from claimkit.domain import limits
from claimkit.domain.barcodes import RawSymbol, Scan, interpret, merge_scans, with_confirmation
from claimkit.domain.messages import N_, Message

log = logging.getLogger(__name__)

TIME_LIMIT = 2.0
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the child; a 100 MP PNG needs about 600 MB
START_TIMEOUT = 20.0
MAX_WAITING = 4  # scans waiting for the child beyond the one it decodes; more are refused at once
QUEUE_WAIT = 3.0  # seconds a scan may wait for its turn before the student is asked to retry

MSG_TIMEOUT = N_(
    "L'image n'a pas pu être analysée à temps : reprenez la photo plus près du code-barres, bien éclairée, "
    "ou saisissez les 13 chiffres imprimés sous les barres."
)
MSG_FAILED = N_(
    "L'image n'a pas pu être analysée : reprenez la photo, ou saisissez les 13 chiffres imprimés sous les barres."
)
MSG_MEMORY = N_("L'image demande trop de mémoire pour être analysée : envoyez une photo ordinaire (moins de %(size)s).")
MEMORY = Message(MSG_MEMORY, {"size": limits.shown(limits.UPLOAD_BYTES)})
MSG_BUSY = N_(
    "Beaucoup de photos sont en cours d'analyse : réessayez dans quelques secondes, ou tapez les 13 chiffres."
)
MSG_ONE_AT_A_TIME = N_("Une photo de votre compte est déjà en cours d'analyse : attendez son résultat, puis réessayez.")

# The only refusals the child may pass on: it is the less trusted side, so its words are not shown as such. It
# sends a msgid; the parent refuses with its own message, values (the size limit) included.
_REFUSALS = {
    refusal.msgid: refusal
    for refusal in (
        Message(decoders.MSG_EMPTY),
        decoders.TOO_LARGE,
        Message(decoders.MSG_NOT_IMAGE),
        Message(decoders.MSG_HEIC),
        Message(decoders.MSG_TOO_MANY_PIXELS),
        Message(decoders.MSG_DAMAGED),
        Message(decoders.MSG_TOO_MANY_PIXELS_LOSSLESS),
        Message(decoders.MSG_BAD_SHAPE),
        Message(MSG_FAILED),
        MEMORY,
    )
}
_REQUEST = struct.Struct(">QQ")  # length of the known GTINs (0: unchanged), length of the image
_REPLY = struct.Struct(">I")
_MAX_REPLY = 1024 * 1024


class _Late(Exception):
    pass


class _Gone(Exception):
    pass


def _wait_ready(selector: selectors.BaseSelector, deadline: float) -> None:
    """Blocks until the pipe is ready, or raises _Late once the scan's deadline has passed."""
    remaining = deadline - time.monotonic()
    if remaining <= 0 or not selector.select(remaining):
        raise _Late


def _write_all(fd: int, data: bytes, deadline: float) -> None:
    view = memoryview(data)
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_WRITE)
        while view:
            _wait_ready(selector, deadline)
            try:
                view = view[os.write(fd, view) :]
            except BlockingIOError:
                continue
            except (BrokenPipeError, ConnectionResetError):
                raise _Gone from None


def _read_exact(fd: int, size: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while size:
            _wait_ready(selector, deadline)
            try:
                chunk = os.read(fd, min(size, 1 << 20))
            except BlockingIOError:
                continue
            if not chunk:
                raise _Gone
            chunks.append(chunk)
            size -= len(chunk)
    return b"".join(chunks)


class ScanWorker:
    """One child decoding process, started on first use, replaced after a timeout or a crash.

    Thread-safe: concurrent `scan` calls of one web process take turns (a scan takes tens of milliseconds), at most
    `max_waiting` of them wait, each at most `queue_wait` seconds. One `owner` (an account) has one scan in flight:
    in this process, and across the server's processes when `owner_locks` names a folder they share (one lock
    file per account there, `flock`ed while its scan runs; the instance folder in the app).
    """

    def __init__(
        self,
        *,
        time_limit: float = TIME_LIMIT,
        memory_limit: int = MEMORY_LIMIT,
        start_timeout: float = START_TIMEOUT,
        max_waiting: int = MAX_WAITING,
        queue_wait: float = QUEUE_WAIT,
        owner_locks: Path | None = None,
    ) -> None:
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.start_timeout = start_timeout
        self.max_waiting = max_waiting
        self.queue_wait = queue_wait
        self.owner_locks = owner_locks
        self._lock = threading.Lock()
        self._gate = threading.Lock()  # guards the two fields below, never held while decoding
        self._waiting = 0
        self._owners: set[str] = set()
        self._known_sent: frozenset[str] | None = None  # what the current child holds
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = os.getpid()

    # Life cycle ------------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Starts the child now (the first scan does it otherwise); useful to warm up."""
        with self._lock:
            self._ensure_started()

    def close(self) -> None:
        """Stops the child, if any. The worker can still be used afterwards: a new child is started."""
        with self._lock:
            self._stop()

    def __enter__(self) -> "ScanWorker":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        """The child's process id, for tests and logs."""
        return self._process.pid if self._process is not None and self._process.poll() is None else None

    def _ensure_started(self) -> subprocess.Popen[bytes]:
        if self._owner != os.getpid():  # forked (e.g. gunicorn preload): the child belongs to the parent
            self._process, self._owner = None, os.getpid()
        if self._process is not None and self._process.poll() is None:
            return self._process
        self._stop()
        # The folder claimkit itself is imported from (site-packages, or a checkout on sys.path): the child runs
        # `-m claimkit.adapters.scan_worker` and must find the same package whatever its working directory.
        package_root = str(package_path().parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (package_root, env.get("PYTHONPATH"))))
        # A fixed argv (this interpreter, this module): no shell, no user input.
        process = subprocess.Popen(  # nosec B603
            [sys.executable, "-m", "claimkit.adapters.scan_worker", str(self.memory_limit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            close_fds=True,
        )
        self._process = process
        os.set_blocking(self._stdin(process), False)
        os.set_blocking(self._stdout(process), False)
        try:
            ready = self._receive(time.monotonic() + self.start_timeout)
        except (_Late, _Gone):
            self._stop()
            raise ScanRefused(MSG_FAILED) from None
        if not ready.get("ready"):
            self._stop()
            raise ScanRefused(MSG_FAILED)
        return process

    def _stop(self) -> None:
        process, self._process = self._process, None
        self._known_sent = None
        if process is None:
            return
        if process.poll() is None:
            process.kill()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - a killed process always ends
                log.warning("scan worker %s did not exit after SIGKILL", process.pid)
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    # Requests --------------------------------------------------------------------------------------------------
    @staticmethod
    def _stdin(process: "subprocess.Popen[bytes]") -> int:
        if process.stdin is None:  # pragma: no cover - always a pipe, see Popen above
            raise _Gone
        return process.stdin.fileno()

    @staticmethod
    def _stdout(process: "subprocess.Popen[bytes]") -> int:
        if process.stdout is None:  # pragma: no cover - always a pipe, see Popen above
            raise _Gone
        return process.stdout.fileno()

    def _receive(self, deadline: float) -> dict[str, Any]:
        if self._process is None:  # pragma: no cover - only called with a started process
            raise _Gone
        fd = self._stdout(self._process)
        (size,) = _REPLY.unpack(_read_exact(fd, _REPLY.size, deadline))
        if size > _MAX_REPLY:
            raise _Gone
        reply = json.loads(_read_exact(fd, size, deadline))
        if not isinstance(reply, dict):
            raise _Gone
        return reply

    def scan(self, data: bytes, *, known: Iterable[str] = frozenset(), owner: int | str | None = None) -> list[Scan]:
        """The validated medicine barcodes in an uploaded image, each confirmed or not; [] when none was read.

        `known`: the GTINs of the medicines reference (a single read of one of them is confirmed). `owner`: who
        asks (an account id); a second scan of the same owner while one runs is refused. Raises ScanRefused
        (French message) for unusable files, when the queue is full or too slow, and when the child fails.
        """
        if not data:
            raise ScanRefused(MSG_EMPTY)
        if len(data) > limits.UPLOAD_BYTES:  # refused here: no need to copy 20 MB to the child to learn that
            raise ScanRefused(TOO_LARGE)
        check_header(data)  # a hostile header costs this process a millisecond and the queue nothing
        known_set = frozenset(known)
        with self._owner_turn(owner):
            with self._gate:
                if self._waiting > self.max_waiting:
                    raise ScanRefused(MSG_BUSY)
                self._waiting += 1
            try:
                if not self._lock.acquire(timeout=self.queue_wait):
                    raise ScanRefused(MSG_BUSY)
                try:
                    reply = self._exchange(data, known_set)
                finally:
                    self._lock.release()
            finally:
                with self._gate:
                    self._waiting -= 1
        return self._scans(reply, known_set)

    @contextmanager
    def _owner_turn(self, owner: int | str | None) -> Iterator[None]:
        """Holds the owner's turn for one scan, or raises ScanRefused(MSG_ONE_AT_A_TIME) when one is running."""
        if owner is None:
            yield
            return
        name = re.sub(r"[^0-9A-Za-z_-]", "_", str(owner))
        with self._gate:
            if name in self._owners:
                raise ScanRefused(MSG_ONE_AT_A_TIME)
            self._owners.add(name)
        try:
            if self.owner_locks is None:
                yield
                return
            self.owner_locks.mkdir(parents=True, exist_ok=True)
            with (self.owner_locks / f"{name}.lock").open("a") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise ScanRefused(MSG_ONE_AT_A_TIME) from None
                yield  # closing the file releases the lock, also if this process dies
        finally:
            with self._gate:
                self._owners.discard(name)

    def _exchange(self, data: bytes, known: frozenset[str]) -> dict[str, Any]:
        """One request to the child (started if needed), under `_lock`; its reply, refusals raised."""
        process = self._ensure_started()
        deadline = time.monotonic() + self.time_limit
        blob = b"" if known == self._known_sent else "\n".join(sorted(known)).encode() or b"\n"
        try:
            _write_all(self._stdin(process), _REQUEST.pack(len(blob), len(data)) + blob + data, deadline)
            reply = self._receive(deadline)
        except _Late:
            log.warning("scan worker %s timed out after %.1f s; restarting it", process.pid, self.time_limit)
            self._stop()
            raise ScanRefused(MSG_TIMEOUT) from None
        except (_Gone, ValueError):
            log.warning("scan worker %s died or answered garbage; restarting it", process.pid)
            self._stop()
            raise ScanRefused(MSG_FAILED) from None
        self._known_sent = known
        if "refused" in reply:
            if reply.get("restart"):
                self._stop()
            message = reply["refused"]
            raise ScanRefused(_REFUSALS.get(message, MSG_FAILED) if isinstance(message, str) else MSG_FAILED)
        return reply

    @staticmethod
    def _scans(reply: dict[str, Any], known: frozenset[str]) -> list[Scan]:
        """The child's codes, interpreted again by the domain and confirmed here, not by the child's word."""
        found = reply.get("found")
        if not isinstance(found, list):
            raise ScanRefused(MSG_FAILED)
        scans = []
        for item in found:
            if not (isinstance(item, list) and len(item) == 3 and isinstance(item[2], int)):
                continue
            scan = interpret(RawSymbol(str(item[0]), str(item[1])))
            if scan is not None:
                scans.append(with_confirmation(scan, item[2], scan.gtin in known))
        confirmed = [scan for scan in scans if scan.confirmed]
        return merge_scans(confirmed + [scan for scan in scans if not scan.confirmed])


# --- the child --------------------------------------------------------------------------------------------------


def _send(out: BinaryIO, message: dict[str, Any]) -> None:
    body = json.dumps(message).encode()
    out.write(_REPLY.pack(len(body)) + body)
    out.flush()


def _read_request(stream: BinaryIO) -> tuple[bytes | None, bytes] | None:
    """The known GTINs (None: unchanged since the last request) and the image; None when the pipe closed."""
    header = stream.read(_REQUEST.size)
    if len(header) < _REQUEST.size:
        return None
    known_size, size = _REQUEST.unpack(header)
    known = stream.read(known_size) if known_size else None
    data = stream.read(size)
    if len(data) != size or (known is not None and len(known) != known_size):
        return None
    return known, data


def child_main(memory_limit: int) -> None:
    """The decoding loop: one request, one reply, until the parent closes the pipe."""
    from PIL import Image

    from claimkit.adapters.decoders import MAX_PIXELS, search_image

    # The protocol owns the real stdout; anything a library prints goes to stderr instead.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow's own bomb check, at claimkit's limit (refused at twice it)
    if memory_limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    _send(out, {"ready": True})
    known: frozenset[str] = frozenset()
    while (request := _read_request(requests)) is not None:
        blob, data = request
        if blob is not None:
            known = frozenset(filter(None, blob.decode("ascii", "replace").split("\n")))
        try:
            outcome = search_image(data, is_known=known.__contains__)
            _send(out, {"found": [[raw.symbology, raw.text, reads] for raw, reads in outcome.found]})
        except ScanRefused as refusal:
            _send(out, {"refused": refusal.message})
        except MemoryError:
            _send(out, {"refused": MSG_MEMORY, "restart": True})
        except Exception:  # a decoder bug must not end the loop; the parent shows a generic message
            log.exception("barcode decoding failed")
            _send(out, {"refused": MSG_FAILED})


if __name__ == "__main__":  # pragma: no cover - run as the child process
    child_main(int(sys.argv[1]) if len(sys.argv) > 1 else MEMORY_LIMIT)
