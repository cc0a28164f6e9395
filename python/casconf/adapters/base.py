"""The adapter interface: what the driver asks of an implementation under test.

A new implementation is one module in this folder with one ``Adapter`` subclass, registered by
name in ``BUILTIN`` (adapters/__init__.py); or, in any language, a JSON config for the command
protocol (PROTOCOL.md) and no Python at all."""

from __future__ import annotations

import abc
import errno
import os
import stat
import threading

from casconf.model import ReadRequest, Response


class Adapter(abc.ABC):
    """An implementation under test.

    ``profiles``: the reader profiles it claims (a subset of model.PROFILES).
    ``write_versions``: the cas_versions it can write (empty: not a writer); ``writes_raw``
    whether it can write raw (``cas_raw: true``) blobs.
    """

    name = ""
    profiles: tuple[str, ...] = ()
    write_versions: tuple[int, ...] = ()
    writes_raw = False
    # True: on `i_` (implementation-defined) cases, a strict reader's different clean outcome
    # is a warning, not a failure (wrong bytes, crashes and timeouts still fail).
    lenient_implementation_defined = False

    def unavailable(self) -> str | None:
        """None when the implementation can run here, else a one-line reason."""
        return None

    @abc.abstractmethod
    def read(self, profile: str, requests: list[ReadRequest]) -> list[Response]:
        """One Response per request, same order. Must not raise for a bad input."""

    def encode(self, payload: bytes, version: int, raw: bool, workdir: str) -> tuple[bytes, bytes | None]:
        """Writes ``payload`` as the given cas_version; returns (stored bytes, sidecar bytes).
        Only called when ``write_versions`` names the version."""
        raise NotImplementedError("%s is not a writer" % self.name)


# In-process adapters read whole files: bounded, so that a stray huge file (or /dev/zero, which
# read_regular refuses anyway) cannot exhaust memory. The corpus' largest blob is a few MiB.
MAX_INPUT_BYTES = 256 << 20


def read_regular(path: str, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes. A FIFO, device or directory is
    refused before any read (opened non-blocking: a FIFO cannot hang the run). Raises OSError."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", path)
        if st.st_size > limit:
            raise OSError(errno.EFBIG, "larger than the %d bytes an in-process adapter reads" % limit, path)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            total += len(chunk)
            if total > limit:  # grew while read
                raise OSError(errno.EFBIG, "larger than the %d bytes an in-process adapter reads" % limit, path)
            chunks.append(chunk)
    finally:
        os.close(fd)


def load_inputs(req: ReadRequest) -> tuple[bytes, bytes | None]:
    """Blob and sidecar bytes of a request (for in-process adapters). Raises OSError."""
    blob = read_regular(req.blob)
    sidecar = None if req.meta is None else read_regular(req.meta)
    return blob, sidecar


def call_with_timeout(fn, timeout: float):
    """fn() on a helper thread; raises TimeoutError after ``timeout`` seconds (F10: an
    in-process implementation that hangs becomes a `timeout` status, not a hung run; the thread
    is abandoned, a daemon, so the run can still end)."""
    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # re-raised in the caller
            box["error"] = exc

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        raise TimeoutError("no answer within %gs" % timeout)
    if "error" in box:
        raise box["error"]
    return box["value"]


def io_response(exc: OSError) -> Response:
    if isinstance(exc, FileNotFoundError):
        return Response.err("not_found", message=str(exc))
    return Response.err("io_error", message=str(exc))
