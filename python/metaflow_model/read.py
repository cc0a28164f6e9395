"""Metaflow's read paths, dispatch modelled, codecs real (spec 7, Appendix A):

* before the CAS (2.0.0-2.3.6, profile ``pre-cas``): LocalDataStore.load_data is
  ``with gzip.open(path, "rb") as f: return f.read()`` (S3DataStore: ``gzip.GzipFile(fileobj=buf)``);
  there is no sidecar and no try: every blob is gunzipped and gzip's exceptions escape;
* LocalStorage.load_bytes: the sidecar ``<key>_meta`` is read with ``json.load`` on a file
  opened in text mode (UTF-8 assumed), *outside* any error handling;
* ContentAddressedStore.load_blobs (released 2.x): ``meta and meta.get("cas_raw", False)``
  truthy -> bytes as stored; ``meta is None`` -> gzip; ``meta.get("cas_version", -1) == -1``
  -> DataException; ``getattr(self, "_unpack_v%d" % version)`` picks the decoder, missing ->
  DataException; decoder exceptions are wrapped in DataException;
* _unpack_v1: ``gzip.GzipFile(fileobj=f, mode="rb").read()``;
* PR #3090 (proposed v2): _unpack_v2 = ``lz4.frame.decompress(f.read())``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import zlib

from metaflow_model.errors import DataException, corrupt_detail

try:  # python3-lz4 (Debian); absent -> v2 profiles report codec_unavailable
    import lz4.frame as lz4frame
except ImportError:  # pragma: no cover - exercised only on machines without python3-lz4
    lz4frame = None

# In the order of the readers' history, as the library's profile table (spec 7).
PROFILES = ("pre-cas", "legacy", "v2", "v2-nolz4")
PRE_CAS = "pre-cas"


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


# The decoders each profile's Metaflow has: one column of this table per profile.
DECODERS = {
    "legacy": {1: _unpack_v1},
    "v2": {1: _unpack_v1, 2: _unpack_v2},
    "v2-nolz4": {1: _unpack_v1, 2: _unpack_v2_nolz4},
}


def _python_percent_d(version) -> str:
    # "_unpack_v%d" % version: raises TypeError/ValueError/OverflowError for non-numbers,
    # NaN and infinities; truncates floats; bool is an int. Kept as the real expression.
    return "%d" % version


def _load_data_pre_cas(blob: bytes) -> bytes:
    # LocalDataStore.load_data (2.0.0-2.3.6): gzip.open(path) on the blob file; no sidecar
    # existed, so whatever a later writer put beside the blob is never opened.
    with gzip.GzipFile(fileobj=io.BytesIO(blob), mode="rb") as f:
        return f.read()


def load_blob(blob: bytes, sidecar: bytes | None, profile: str) -> bytes:
    """Returns what the modelled reader returns, or raises what it raises."""
    if profile == PRE_CAS:
        return _load_data_pre_cas(blob)
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
            raise DataException("version_unsupported", "Unknown encoding version %s" % suffix)
    try:
        return unpack(blob)
    except Exception as exc:  # Metaflow wraps every decoder exception
        if isinstance(exc, ImportError):
            raise DataException("codec_unavailable", "Could not unpack artifact: %s" % exc)
        raise DataException(
            "corrupt", "Could not unpack artifact: %s" % exc, corrupt_detail(exc, blob), exc
        )


def exception_name(exc: BaseException) -> str:
    """How the manifest names an exception that escapes: its class name, except zlib's, whose
    class is called just ``error``."""
    return "zlib.error" if isinstance(exc, zlib.error) else type(exc).__name__


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
        name = exception_name(exc)
        return {"outcome": "error", "error": "unhandled", "detail": name, "message": "%s: %s" % (name, exc)}
    sha1 = hashlib.sha1(data).hexdigest()
    if sha1 == key:
        return {"outcome": "ok"}
    return {"outcome": "wrong_bytes", "sha1": sha1, "size": len(data)}
