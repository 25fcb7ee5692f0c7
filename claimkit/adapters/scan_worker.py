"""Barcode decoding in a separate process with a time and a memory limit (issue 6).

A web worker must not be stalled or killed by a hostile upload (a decompression bomb, an image that sends a decoder
into a slow path, a crash in C code). So the web process never decodes pixels itself: it hands the bytes to one
long-lived child (`python -m claimkit.adapters.scan_worker`) that has an address-space limit, waits at most
`time_limit` seconds for the answer, and kills and replaces the child when it is late or dies.

The child answers with the raw symbols it accepted, as JSON (never pickle: the child is the less trusted side), and
the parent interprets them again with the domain rules before returning `Scan` values.

Usage from the web layer: create one `ScanWorker()` per process (nothing starts until the first scan), call
`scan(data)` in the request, and `close()` at shutdown (e.g. `atexit.register(worker.close)`).
"""

import json
import logging
import os
import resource
import selectors
import struct
import subprocess  # nosec B404
import sys
import threading
import time
from pathlib import Path
from typing import Any, BinaryIO

from claimkit.adapters import decoders
from claimkit.adapters.decoders import MAX_BYTES, MSG_EMPTY, MSG_TOO_LARGE, ScanRefused
from claimkit.domain.barcodes import RawSymbol, Scan, interpret_all
from claimkit.domain.messages import N_

log = logging.getLogger(__name__)

TIME_LIMIT = 2.0
MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the child; a 100 MP PNG needs about 600 MB
START_TIMEOUT = 20.0

MSG_TIMEOUT = N_(
    "L'image n'a pas pu être analysée à temps : reprenez la photo plus près du code-barres, bien éclairée, "
    "ou saisissez les 13 chiffres imprimés sous les barres."
)
MSG_FAILED = N_(
    "L'image n'a pas pu être analysée : reprenez la photo, ou saisissez les 13 chiffres imprimés sous les barres."
)
MSG_MEMORY = N_("L'image demande trop de mémoire pour être analysée : envoyez une photo ordinaire (moins de 20 Mo).")

# The only refusals the child may pass on: it is the less trusted side, so its words are not shown as such.
_REFUSALS = frozenset(
    {
        decoders.MSG_EMPTY,
        decoders.MSG_TOO_LARGE,
        decoders.MSG_NOT_IMAGE,
        decoders.MSG_HEIC,
        decoders.MSG_TOO_MANY_PIXELS,
        decoders.MSG_DAMAGED,
        MSG_FAILED,
        MSG_MEMORY,
    }
)
_REQUEST = struct.Struct(">Q")
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

    Thread-safe: concurrent `scan` calls of one web process take turns (a scan takes tens of milliseconds).
    """

    def __init__(
        self,
        *,
        time_limit: float = TIME_LIMIT,
        memory_limit: int = MEMORY_LIMIT,
        start_timeout: float = START_TIMEOUT,
    ) -> None:
        self.time_limit = time_limit
        self.memory_limit = memory_limit
        self.start_timeout = start_timeout
        self._lock = threading.Lock()
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
        package_root = str(Path(__file__).resolve().parents[2])
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

    def scan(self, data: bytes) -> list[Scan]:
        """The validated medicine barcodes in an uploaded image, [] when none was read.

        Raises ScanRefused (French message) for unusable files, and when the child is too slow or fails.
        """
        if not data:
            raise ScanRefused(MSG_EMPTY)
        if len(data) > MAX_BYTES:  # refused here: no need to copy 20 MB to the child to learn that
            raise ScanRefused(MSG_TOO_LARGE)
        with self._lock:
            process = self._ensure_started()
            deadline = time.monotonic() + self.time_limit
            try:
                _write_all(self._stdin(process), _REQUEST.pack(len(data)) + data, deadline)
                reply = self._receive(deadline)
            except _Late:
                log.warning("scan worker %s timed out after %.1f s; restarting it", process.pid, self.time_limit)
                self._stop()
                raise ScanRefused(MSG_TIMEOUT) from None
            except (_Gone, ValueError):
                log.warning("scan worker %s died or answered garbage; restarting it", process.pid)
                self._stop()
                raise ScanRefused(MSG_FAILED) from None
        if "refused" in reply:
            if reply.get("restart"):
                with self._lock:
                    self._stop()
            message = reply["refused"]
            raise ScanRefused(message if message in _REFUSALS else MSG_FAILED)
        symbols = reply.get("symbols")
        if not isinstance(symbols, list):
            raise ScanRefused(MSG_FAILED)
        return interpret_all(
            RawSymbol(str(item[0]), str(item[1])) for item in symbols if isinstance(item, list) and len(item) == 2
        )


# --- the child --------------------------------------------------------------------------------------------------


def _send(out: BinaryIO, message: dict[str, Any]) -> None:
    body = json.dumps(message).encode()
    out.write(_REPLY.pack(len(body)) + body)
    out.flush()


def _read_request(stream: BinaryIO) -> bytes | None:
    header = stream.read(_REQUEST.size)
    if len(header) < _REQUEST.size:
        return None
    (size,) = _REQUEST.unpack(header)
    data = stream.read(size)
    return data if len(data) == size else None


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
    while (data := _read_request(requests)) is not None:
        try:
            outcome = search_image(data)
            _send(out, {"symbols": [[raw.symbology, raw.text] for raw in outcome.symbols]})
        except ScanRefused as refusal:
            _send(out, {"refused": refusal.message})
        except MemoryError:
            _send(out, {"refused": MSG_MEMORY, "restart": True})
        except Exception:  # a decoder bug must not end the loop; the parent shows a generic message
            log.exception("barcode decoding failed")
            _send(out, {"refused": MSG_FAILED})


if __name__ == "__main__":  # pragma: no cover - run as the child process
    child_main(int(sys.argv[1]) if len(sys.argv) > 1 else MEMORY_LIMIT)
