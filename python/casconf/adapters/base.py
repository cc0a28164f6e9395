"""The adapter interface: what the driver asks of an implementation under test.

A new implementation is one module in this folder with one ``Adapter`` subclass, registered by
name in ``BUILTIN`` (adapters/__init__.py); or, in any language, a JSON config for the command
protocol (PROTOCOL.md) and no Python at all."""

from __future__ import annotations

import abc

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


def load_inputs(req: ReadRequest) -> tuple[bytes, bytes | None]:
    """Blob and sidecar bytes of a request (for in-process adapters). Raises OSError."""
    with open(req.blob, "rb") as f:
        blob = f.read()
    sidecar = None
    if req.meta is not None:
        with open(req.meta, "rb") as f:
            sidecar = f.read()
    return blob, sidecar


def io_response(exc: OSError) -> Response:
    if isinstance(exc, FileNotFoundError):
        return Response.err("not_found", message=str(exc))
    return Response.err("io_error", message=str(exc))
