"""The reading steps of spec 6.1, in order; the first step that fails decides (R-READ-1)."""

from __future__ import annotations

import hashlib
import re

from spec_reader import gzip_reader, lz4_reader
from spec_reader.errors import ReadError, corrupt
from spec_reader.output import DEFAULT_MAX_SIZE, Output
from spec_reader.sidecar import parse_sidecar

KEY_RE = re.compile(r"[0-9a-f]{40}\Z")


def _check_magic(blob: bytes, declared: str) -> None:
    """Step 8 (R-READ-4)."""
    if not blob:
        raise corrupt("truncated", "empty payload")
    head = blob[:4]
    is_lz4 = head == lz4_reader.LZ4_MAGIC or lz4_reader.is_skippable(head)
    is_gzip = blob[:2] == gzip_reader.GZIP_MAGIC
    if declared == "gzip":
        if is_lz4:
            raise ReadError("format_mismatch", None, "gzip declared, lz4 frame found")
        if not is_gzip:
            if len(blob) < 2 and gzip_reader.GZIP_MAGIC.startswith(blob):
                raise corrupt("truncated", "payload shorter than the gzip magic")
            raise corrupt("bad_magic", "not a gzip member")
    else:
        if is_gzip:
            raise ReadError("format_mismatch", None, "lz4 declared, gzip member found")
        if not is_lz4:
            if len(blob) < 4 and (lz4_reader.LZ4_MAGIC.startswith(blob)
                                  or lz4_reader.is_skippable_prefix(blob)):
                raise corrupt("truncated", "payload shorter than the lz4 magic")
            raise corrupt("bad_magic", "not an lz4 frame")


def read(blob: bytes, sidecar: bytes | None, key: str | None, max_size: int | None = DEFAULT_MAX_SIZE):
    """("ok", content) or ("error", name, detail): the outcome of spec 6 for one blob."""
    try:
        return ("ok", _read(blob, sidecar, key, DEFAULT_MAX_SIZE if max_size is None else max_size))
    except ReadError as exc:
        return ("error", exc.name, exc.detail)


def _read(blob: bytes, sidecar: bytes | None, key: str | None, max_size: int) -> bytes:
    # Step 1: the key (R-KEY-2).
    if key is not None and not KEY_RE.match(key):
        raise ReadError("usage", None, "key is not 40 lowercase hex digits")
    out = Output(max_size)
    if sidecar is None:
        # Step 2: no sidecar -> gzip (R-NS-2).
        _check_magic(blob, "gzip")
        gzip_reader.decode_gzip(blob, out)
    else:
        raw, version = parse_sidecar(sidecar)  # steps 3-5
        if raw:  # step 6 (R-RAW-2)
            out.add(bytes(blob))
        elif version == 1:  # step 7 (R-READ-2)
            _check_magic(blob, "gzip")
            gzip_reader.decode_gzip(blob, out)
        elif version == 2:
            if not lz4_reader.available():
                raise ReadError("codec_unavailable", None, "built without lz4")  # R-READ-3
            _check_magic(blob, "lz4")
            lz4_reader.decode_lz4(blob, out)
        else:
            raise ReadError("version_unsupported", None, "cas_version %d" % version)
    data = out.value()
    # Step 12: the key (R-KEY-5).
    if key is not None and hashlib.sha1(data).hexdigest() != key:
        raise ReadError("key_mismatch", None, "SHA-1 of the decoded bytes is not the key")
    return data
