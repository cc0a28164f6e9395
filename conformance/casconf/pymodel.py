"""A model of the real Metaflow CAS read and write paths, run on the real Python modules.

This is ground truth for the `legacy`, `v2` and `v2-nolz4` profiles (spec 7, Appendix A).
It re-states, in our own words, the decisions of Metaflow's published code:

* LocalStorage.load_bytes: the sidecar `<key>_meta` is read with ``json.load`` on a file
  opened in text mode (UTF-8 assumed), *outside* any error handling;
* ContentAddressedStore.load_blobs (released 2.x): ``meta and meta.get("cas_raw", False)``
  truthy -> bytes as stored; ``meta is None`` -> gzip; ``meta.get("cas_version", -1) == -1``
  -> DataException; ``getattr(self, "_unpack_v%d" % version)`` picks the decoder, missing ->
  DataException; decoder exceptions are wrapped in DataException;
* _unpack_v1: ``gzip.GzipFile(fileobj=f, mode="rb").read()``;
* PR #3090 (proposed v2): _unpack_v2 = ``lz4.frame.decompress(f.read())``; writer
  ``lz4.frame.compress(blob)``; sidecar ``{"cas_raw": raw, "cas_version": 2}``.

The payload decoders and the JSON parser are the real ones (gzip, zlib, lz4.frame, json):
nothing here re-implements a codec. Only the dispatch is modelled, and it is kept as close
to the published logic as a model can be, so that every quirk (truthy strings, floats in
``%d``, ``null`` sidecars) behaves as it does in the field.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import zlib

try:  # python3-lz4 (Debian); absent -> v2 profiles report codec_unavailable
    import lz4.frame as lz4frame
except ImportError:  # pragma: no cover - exercised only on machines without python3-lz4
    lz4frame = None

PROFILES = ("legacy", "v2", "v2-nolz4")


class DataException(Exception):
    """Stands for metaflow.datastore.exceptions.DataException: Metaflow's clean error."""

    def __init__(self, error: str, message: str, detail: str | None = None, cause=None):
        super().__init__(message)
        self.error = error
        self.detail = detail
        self.cause = cause


# ---- payload decoders: the real modules ---------------------------------------------------


def _unpack_v1(blob: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(blob), mode="rb") as f:
        return f.read()


def _unpack_v2(blob: bytes) -> bytes:
    if lz4frame is None:
        raise ImportError("No module named 'lz4'")
    return lz4frame.decompress(blob)


def _unpack_v2_nolz4(blob: bytes) -> bytes:
    # A v2-aware Metaflow that imports lz4 lazily, inside the decoder: the ImportError is
    # raised in the try block and wrapped as DataException. (PR #3090 as written imports lz4
    # at module level, so without lz4 Metaflow does not start at all: spec Appendix B, H-NOLZ4.)
    raise ImportError("No module named 'lz4'")


DECODERS = {
    "legacy": {1: _unpack_v1},
    "v2": {1: _unpack_v1, 2: _unpack_v2},
    "v2-nolz4": {1: _unpack_v1, 2: _unpack_v2_nolz4},
}


# ---- exception -> error name (spec 9) -----------------------------------------------------

_LZ4_DETAILS = [
    ("frameType_unknown", "bad_magic"),
    ("frameHeader_incomplete", "truncated"),
    ("Frame incomplete", "truncated"),
    ("srcPtr_wrong", "truncated"),
    ("contentChecksum_invalid", "checksum"),
    ("blockChecksum_invalid", "checksum"),
    ("headerChecksum_invalid", "header"),
    ("reservedFlag_set", "header"),
    ("headerVersion_wrong", "header"),
    ("maxBlockSize_invalid", "header"),
    ("frameSize_wrong", "size_mismatch"),
    ("decompressionFailed", "data"),
]


def _corrupt_detail(exc: BaseException, blob: bytes) -> str | None:
    msg = str(exc)
    if isinstance(exc, EOFError):
        return "truncated"
    if isinstance(exc, zlib.error):
        return "data"
    if isinstance(exc, gzip.BadGzipFile):
        if msg.startswith("Not a gzipped file"):
            return "trailing_data" if blob[:2] == b"\x1f\x8b" else "bad_magic"
        if msg.startswith("CRC check failed"):
            return "checksum"
        if msg.startswith("Incorrect length"):
            return "size_mismatch"
        return "header"
    for needle, detail in _LZ4_DETAILS:
        if needle in msg:
            return detail
    return None


# ---- the read path ------------------------------------------------------------------------


def _python_percent_d(version) -> str:
    # "_unpack_v%d" % version: raises TypeError/ValueError/OverflowError for non-numbers,
    # NaN and infinities; truncates floats; bool is an int. Kept as the real expression.
    return "%d" % version


def load_blob(blob: bytes, sidecar: bytes | None, profile: str) -> bytes:
    """Returns what the modelled reader returns, or raises what it raises."""
    # LocalStorage: json.load(open(path, "r")), not inside Metaflow's try.
    meta = None
    if sidecar is not None:
        meta = json.load(io.TextIOWrapper(io.BytesIO(sidecar), encoding="utf-8"))

    if meta and meta.get("cas_raw", False):
        return blob
    if meta is None:
        # "Previous version of the datastore had no meta information"
        unpack = DECODERS[profile][1]
    else:
        version = meta.get("cas_version", -1)
        if version == -1:
            raise DataException("version_missing", "Could not extract encoding version")
        suffix = _python_percent_d(version)
        unpack = DECODERS[profile].get(int(suffix)) if re.fullmatch(r"-?\d+", suffix) else None
        if unpack is None:
            raise DataException(
                "version_unsupported", "Unknown encoding version %s" % suffix
            )
    try:
        return unpack(blob)
    except Exception as exc:  # Metaflow wraps every decoder exception
        if isinstance(exc, ImportError):
            raise DataException("codec_unavailable", "Could not unpack artifact: %s" % exc)
        raise DataException(
            "corrupt", "Could not unpack artifact: %s" % exc, _corrupt_detail(exc, blob), exc
        )


def read_outcome(blob: bytes, sidecar: bytes | None, profile: str, key: str) -> dict:
    """Classifies one read as the fixture manifest does (fixtures/README.md)."""
    try:
        data = load_blob(blob, sidecar, profile)
    except DataException as exc:
        out = {"outcome": "error", "error": exc.error}
        if exc.detail:
            out["detail"] = exc.detail
        out["message"] = str(exc)
        return out
    except Exception as exc:  # anything else escapes Metaflow as-is: not a clean error
        return {
            "outcome": "error",
            "error": "unhandled",
            "detail": type(exc).__name__,
            "message": "%s: %s" % (type(exc).__name__, exc),
        }
    sha1 = hashlib.sha1(data).hexdigest()
    if sha1 == key:
        return {"outcome": "ok"}
    return {"outcome": "wrong_bytes", "sha1": sha1, "size": len(data)}


# ---- the write path -----------------------------------------------------------------------


def meta_text(raw: bool, version: int) -> bytes:
    # LocalStorage.save_bytes: json.dumps(metadata).encode("utf-8")
    return json.dumps({"cas_raw": raw, "cas_version": version}).encode("utf-8")


def pack_v1(blob: bytes, mtime: int | None = 0) -> bytes:
    # Metaflow passes no mtime (time.time() is written); fixtures fix it for reproducibility.
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=3, mtime=mtime) as f:
        f.write(blob)
    return buf.getvalue()


def pack_v2(blob: bytes) -> bytes:
    if lz4frame is None:
        raise ImportError("No module named 'lz4'")
    return lz4frame.compress(blob)


def save_blob(blob: bytes, version: int, raw: bool = False, mtime: int | None = 0):
    """Returns (key, stored bytes, sidecar bytes) as released Metaflow (1) or PR #3090 (2)."""
    key = hashlib.sha1(blob).hexdigest()
    if raw:
        stored = blob
    elif version == 1:
        stored = pack_v1(blob, mtime)
    elif version == 2:
        stored = pack_v2(blob)
    else:
        raise ValueError("unknown version %r" % version)
    return key, stored, meta_text(raw, version)
