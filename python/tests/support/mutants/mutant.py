"""Deliberately broken strict readers, to prove the driver catches each kind of defect.

Each mutant is python/spec_reader's ``read`` with one defect, spoken through the command
protocol (``decode`` one case, ``batch`` JSON lines) as ``python3 -m tests.support.mutants.mutant``
(run from python/: the configs set ``"cwd": "{packages}"``). Mutations:

  ignore_sidecar   never reads the sidecar: sniffs the payload magic instead (gzip -> v1,
                   lz4 -> v2, anything else -> raw)
  no_crc           skips the gzip trailer checks (CRC32, ISIZE): inflates with
                   zlib.decompressobj and ignores the last 8 bytes
  unknown_version  returns the stored bytes for an unknown cas_version instead of failing
  crash_hang       correct, except: aborts (SIGABRT) on raw blobs under cas_version 2, hangs
                   on an empty blob without a sidecar
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
import zlib

import spec_reader
from spec_reader import EXIT_CODES


def _gzip_no_trailer(blob: bytes) -> bytes:
    """Inflates the first member's deflate stream; never looks at CRC32/ISIZE."""
    flg, pos = blob[3], 10
    if flg & 4:
        pos += 2 + int.from_bytes(blob[pos:pos + 2], "little")
    for bit in (8, 16):
        if flg & bit:
            pos = blob.index(b"\0", pos) + 1
    if flg & 2:
        pos += 2
    return zlib.decompressobj(-15).decompress(blob[pos:])


def _sidecar_version(sidecar):
    try:
        meta = json.loads(sidecar)
    except (ValueError, TypeError):
        return None, None
    if not isinstance(meta, dict):
        return None, None
    return meta.get("cas_raw", False), meta.get("cas_version")


def read(mutation: str, blob: bytes, sidecar, key, max_size):
    if mutation == "ignore_sidecar":
        if blob[:2] == b"\x1f\x8b":
            sidecar = b'{"cas_version": 1}'
        elif blob[:4] == b"\x04\x22\x4d\x18":
            sidecar = b'{"cas_version": 2}'
        else:
            sidecar = b'{"cas_raw": true, "cas_version": 1}'
    elif mutation == "no_crc":
        raw, version = _sidecar_version(sidecar) if sidecar is not None else (False, 1)
        if raw is False and version == 1 and blob[:2] == b"\x1f\x8b":
            try:
                return ("ok", _gzip_no_trailer(blob))
            except (zlib.error, IndexError, ValueError):
                pass
    elif mutation == "unknown_version":
        raw, version = _sidecar_version(sidecar) if sidecar is not None else (None, None)
        if type(version) is int and version not in (1, 2):
            return ("ok", blob)
    elif mutation == "crash_hang":
        if not blob and sidecar is None:
            time.sleep(3600)
        raw, version = _sidecar_version(sidecar) if sidecar is not None else (None, None)
        if raw is True and version == 2:
            sys.stdout.flush()
            os.abort()
    return spec_reader.read(blob, sidecar, key, max_size)


def result(mutation, blob_path, meta_path, key, max_size) -> dict:
    with open(blob_path, "rb") as f:
        blob = f.read()
    sidecar = None
    if meta_path:
        with open(meta_path, "rb") as f:
            sidecar = f.read()
    r = read(mutation, blob, sidecar, key, spec_reader.DEFAULT_MAX_SIZE if max_size is None else max_size)
    if r[0] == "ok":
        return {"ok": True, "sha1": hashlib.sha1(r[1]).hexdigest(), "decoded_size": len(r[1])}
    return {"ok": False, "error": r[1], "detail": r[2]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mutation", required=True,
                    choices=("ignore_sidecar", "no_crc", "unknown_version", "crash_hang"))
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decode")
    d.add_argument("--meta")
    d.add_argument("--key")
    d.add_argument("--max-size", type=int)
    d.add_argument("input")
    sub.add_parser("batch")
    a = ap.parse_args()
    if a.cmd == "decode":
        res = result(a.mutation, a.input, a.meta, a.key, a.max_size)
        print(json.dumps(res))
        return 0 if res["ok"] else EXIT_CODES[res["error"]]
    for line in sys.stdin:
        if line.strip():
            req = json.loads(line)
            res = result(a.mutation, req["blob"], req.get("meta"), req.get("key"), req.get("max_size"))
            sys.stdout.write(json.dumps(res) + "\n")
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
