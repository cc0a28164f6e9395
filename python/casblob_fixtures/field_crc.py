"""Writes the FieldDamage blob that is too large to store: a v1 gzip member of >= 2 GiB whose
CRC32 is wrong while its deflate data and ISIZE are intact, as Apple Silicon CPython wrote
members of 2^31 bytes or more (Metaflow #1229; CPython #100260, #105967). The small stand-in in
the corpus is ``n_field_gzip_crc32_wrong_deflate_intact``; the wrong CRC is made the same way
(the CRC32 of the first half of the content).

  python3 -m casblob_fixtures.field_crc OUT [--size BYTES]      (default 2^31 bytes)

OUT becomes a Metaflow local CAS prefix: OUT/<kk>/<key> and its v1 sidecar <key>_meta. The
content is deterministic (the same key for the same size); the file is written as it is
compressed, never held in memory. Prints one JSON line: the key, the paths, the sizes and what
each profile does with it (every reader rejects it: ``pre-cas`` BadGzipFile, the CAS-era
profiles ``corrupt``, ``strict`` corrupt/checksum, or limit_exceeded beyond its 4 GiB limit)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import zlib

from casblob_fixtures.builders.gzip_member import MTIME
from casblob_fixtures.case import META_V1
from casblob_fixtures.payloads import text

CHUNK = 1 << 20
DEFAULT_SIZE = 1 << 31
STRICT_LIMIT = 1 << 32


def content_chunks(size: int):
    """Deterministic compressible content: 1 MiB blocks of words, each led by its index."""
    base = text(CHUNK)
    done, i = 0, 0
    while done < size:
        block = (b"%012d " % i + base)[: min(CHUNK, size - done)]
        yield block
        done += len(block)
        i += 1


def _header() -> bytes:
    # What Python's gzip.GzipFile(compresslevel=3, mtime=MTIME) writes: FLG 0, XFL 0, OS 255.
    return b"\x1f\x8b\x08\x00" + MTIME.to_bytes(4, "little") + b"\x00\xff"


def write(out_dir: str, size: int = DEFAULT_SIZE) -> dict:
    sha, half_crc, total = hashlib.sha1(), 0, 0
    half = size // 2
    comp = zlib.compressobj(3, zlib.DEFLATED, -zlib.MAX_WBITS, zlib.DEF_MEM_LEVEL, 0)
    tmp = os.path.join(out_dir, ".field-crc.tmp")
    os.makedirs(out_dir, exist_ok=True)
    with open(tmp, "wb") as f:
        f.write(_header())
        for block in content_chunks(size):
            sha.update(block)
            if total < half:
                half_crc = zlib.crc32(block[: half - total], half_crc)
            total += len(block)
            f.write(comp.compress(block))
        f.write(comp.flush())
        f.write(half_crc.to_bytes(4, "little") + (size & 0xFFFFFFFF).to_bytes(4, "little"))
        stored = f.tell()
    key = sha.hexdigest()
    blob = os.path.join(out_dir, key[:2], key)
    os.makedirs(os.path.dirname(blob), exist_ok=True)
    os.replace(tmp, blob)
    with open(blob + "_meta", "wb") as f:
        f.write(META_V1)
    strict = {"outcome": "error", "error": "corrupt", "detail": "checksum"}
    if size > STRICT_LIMIT:
        strict = {"outcome": "error", "error": "limit_exceeded"}
    return {
        "key": key, "blob": blob, "meta": blob + "_meta", "content_size": size, "stored_size": stored,
        "expect": {
            "pre-cas": {"outcome": "error", "error": "unhandled", "exception": "BadGzipFile"},
            "legacy": {"outcome": "error", "error": "corrupt"},
            "v2": {"outcome": "error", "error": "corrupt"},
            "v2-nolz4": {"outcome": "error", "error": "corrupt"},
            "strict": strict,
        },
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="casblob_fixtures.field_crc", description=__doc__.split("\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="folder to write the CAS prefix into")
    ap.add_argument("--size", type=int, default=DEFAULT_SIZE, help="content size in bytes (default 2^31)")
    a = ap.parse_args(argv)
    if a.size < 2:
        ap.error("--size must be at least 2")
    print(json.dumps(write(a.out, a.size)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
