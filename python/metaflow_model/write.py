"""Metaflow's save path: released Metaflow writes v1 (gzip level 3), PR #3090 v2
(``lz4.frame.compress`` defaults); the sidecar is ``json.dumps`` of both flags."""

from __future__ import annotations

import gzip
import hashlib
import io
import json

try:
    import lz4.frame as lz4frame
except ImportError:  # pragma: no cover - exercised only on machines without python3-lz4
    lz4frame = None


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
