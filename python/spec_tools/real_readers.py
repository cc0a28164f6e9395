"""Measures what real readers do on each edge case and writes spec Appendix A.

Readers measured (all real code, run in this process):
  * Python's ``gzip`` module: ``gzip.GzipFile(fileobj=BytesIO(payload), mode="rb").read()``
    (Metaflow's _unpack_v1);
  * python-lz4: ``lz4.frame.decompress(payload)`` (PR #3090's _unpack_v2);
  * Metaflow's published read path, through the Metaflow model (python/metaflow_model,
    profiles pre-cas, legacy, v2, v2-nolz4), which dispatches on the sidecar (pre-cas: reads
    none) and calls the modules above;
  * for comparison, the spec's `strict` reader as written in python/spec_reader.

Every edge case is built here, in memory, deterministically, with the fixture builders
(casblob_fixtures.builders): no oracle's code builds the inputs it is measured on.

  python3 -m spec_tools.real_readers            rewrite the generated block of spec/cas-blob-format.md
  python3 -m spec_tools.real_readers --check    re-measure; exit 1 if the spec's block differs
  python3 -m spec_tools.real_readers --print    print the block
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import platform
import random
import sys
import zlib
from pathlib import Path

import lz4
import lz4.frame
import metaflow_model
import spec_reader
from casblob_fixtures.builders import (LZ4_LEGACY_MAGIC, block_record, deflate_raw, flip, gzip_member, lz4_frame,
                                       skippable)
from casblob_fixtures.producers import python_gzip, python_lz4

from spec_tools import blocks

SPEC = blocks.repo_file("spec", "cas-blob-format.md")
BEGIN = "<!-- BEGIN GENERATED: real-readers -->"
END = "<!-- END GENERATED -->"

# ---- payloads -----------------------------------------------------------------------------

_rnd = random.Random(20261126)
SMALL = b"casblob appendix A: " + bytes(_rnd.randrange(8) for _ in range(2000))
BIG = b"".join(b"row %06d %s\n" % (i, bytes(_rnd.randrange(97, 101) for _ in range(20)))
               for i in range(8000))  # ~ 240 KB: several 64 KB lz4 blocks
SMALL_KEY = hashlib.sha1(SMALL).hexdigest()
BIG_KEY = hashlib.sha1(BIG).hexdigest()


def gz(data: bytes) -> bytes:
    """What Metaflow's v1 writer stores (gzip level 3), with MTIME 0."""
    return python_gzip(data, mtime=0)


def member(**fields) -> bytes:
    """A gzip member of SMALL with MTIME 0 and the given header fields."""
    return gzip_member(SMALL, mtime=0, **fields)


def _first_literal_flip(frame: bytes) -> bytes:
    # default python-lz4 frame of SMALL: header 15 bytes (magic 4, FLG, BD, size 8, HC),
    # block size 4 bytes; flip a bit inside the block's data
    return flip(frame, 15 + 4 + 40, 0x04)


DEFAULT_LZ = python_lz4(SMALL)
BIG_LZ = python_lz4(BIG)

# (name, payload, key) -- gzip payload cases, read as released Metaflow reads v1 / no sidecar
GZIP_CASES = [
    ("Metaflow v1 writer (level 3, FLG 0, OS 255)", gz(SMALL), SMALL_KEY),
    ("two members concatenated", gz(SMALL[:1000]) + gz(SMALL[1000:]), SMALL_KEY),
    ("member + 4 NUL bytes", gz(SMALL) + b"\0" * 4, SMALL_KEY),
    ("member + NUL bytes + member", gz(SMALL[:1000]) + b"\0\0" + gz(SMALL[1000:]), SMALL_KEY),
    ("member + trailing `xyz`", gz(SMALL) + b"xyz", SMALL_KEY),
    ("member + NULs + `x`", gz(SMALL) + b"\0\0x", SMALL_KEY),
    ("member + lone `1F`", gz(SMALL) + b"\x1f", SMALL_KEY),
    ("empty file (0 bytes)", b"", SMALL_KEY),
    ("empty member (gzip of b\"\")", gz(b""), hashlib.sha1(b"").hexdigest()),
    ("FHCRC present, correct", member(hcrc=True), SMALL_KEY),
    ("FHCRC present, wrong", member(hcrc=True, bad_hcrc=True), SMALL_KEY),
    ("FEXTRA + FNAME + FCOMMENT", member(extra=b"AB\x00\x00", name=b"name", comment=b"comment"), SMALL_KEY),
    ("reserved FLG bit 5 set", member(reserved=0x20), SMALL_KEY),
    ("FTEXT set, XFL 2, OS 3", member(ftext=True, xfl=2, os_byte=3), SMALL_KEY),
    ("CM = 7", member(cm=7), SMALL_KEY),
    ("CRC32 wrong", flip(gz(SMALL), -8), SMALL_KEY),
    ("ISIZE wrong", flip(gz(SMALL), -4), SMALL_KEY),
    ("trailer cut (last 4 bytes missing)", gz(SMALL)[:-4], SMALL_KEY),
    ("cut inside the deflate data", gz(SMALL)[:200], SMALL_KEY),
    ("header only (10 bytes)", gz(SMALL)[:10], SMALL_KEY),
    ("deflate block type 3 (invalid)", member(deflated=b"\x07" + deflate_raw(SMALL)[1:]), SMALL_KEY),
    ("lz4 frame instead of gzip", DEFAULT_LZ, SMALL_KEY),
]

LZ4_CASES = [
    ("python-lz4 defaults, 2 KB (one block)", DEFAULT_LZ, SMALL_KEY),
    ("python-lz4 defaults, 240 KB (linked blocks)", BIG_LZ, BIG_KEY),
    ("content + block checksums", python_lz4(BIG, content_checksum=True, block_checksum=True), BIG_KEY),
    ("no content size (store_size=False)", python_lz4(SMALL, store_size=False), SMALL_KEY),
    ("4 MB blocks, independent", python_lz4(BIG, block_size=lz4.frame.BLOCKSIZE_MAX4MB, block_linked=False),
     BIG_KEY),
    ("two frames concatenated", python_lz4(SMALL[:1000]) + python_lz4(SMALL[1000:]), SMALL_KEY),
    ("frame + trailing `xyz`", DEFAULT_LZ + b"xyz", SMALL_KEY),
    ("skippable frame + frame", skippable(b"ssss") + DEFAULT_LZ, SMALL_KEY),
    ("frame + skippable frame", DEFAULT_LZ + skippable(b"ssss"), SMALL_KEY),
    ("empty file (0 bytes)", b"", SMALL_KEY),
    ("magic only", b"\x04\x22\x4d\x18", SMALL_KEY),
    ("cut inside a block", BIG_LZ[:1000], BIG_KEY),
    ("EndMark missing", DEFAULT_LZ[:-4], SMALL_KEY),
    ("bit flip in block data, no checksums", _first_literal_flip(DEFAULT_LZ), SMALL_KEY),
    ("same bit flip, content checksum", _first_literal_flip(python_lz4(SMALL, content_checksum=True)),
     SMALL_KEY),
    ("block checksum wrong", flip(python_lz4(SMALL, block_checksum=True), -5), SMALL_KEY),
    ("content checksum wrong", flip(python_lz4(SMALL, content_checksum=True), -1), SMALL_KEY),
    ("content size field + 1", lz4_frame(SMALL, uncompressed=True, declared_size=len(SMALL) + 1), SMALL_KEY),
    ("content size field - 1", lz4_frame(SMALL, uncompressed=True, declared_size=len(SMALL) - 1), SMALL_KEY),
    ("header checksum wrong", flip(DEFAULT_LZ, 14), SMALL_KEY),
    ("reserved FLG bit 1 set (HC fixed)", lz4_frame(SMALL, flg_reserved=0x02), SMALL_KEY),
    ("reserved BD bit 7 set (HC fixed)", lz4_frame(SMALL, bd_reserved=0x80), SMALL_KEY),
    ("version bits 00 (HC fixed)", lz4_frame(SMALL, version=0), SMALL_KEY),
    ("block max size id 3 (HC fixed)", lz4_frame(SMALL, block_max_id=3, chunks=[SMALL]), SMALL_KEY),
    ("stored block larger than 64 KB max",
     lz4_frame(BIG[:70000], store_size=False, uncompressed=True, chunks=[BIG[:70000]]),
     hashlib.sha1(BIG[:70000]).hexdigest()),
    ("legacy lz4 format (02 21 4C 18)", LZ4_LEGACY_MAGIC + block_record(SMALL), SMALL_KEY),

    ("gzip member instead of lz4", gz(SMALL), SMALL_KEY),
]

V1 = b'{"cas_raw": false, "cas_version": 1}'
V2 = b'{"cas_raw": false, "cas_version": 2}'
# (name, payload, sidecar bytes or None, key) -- sidecar dispatch in Metaflow's read path
META_CASES = [
    ("v1 sidecar, gzip payload", gz(SMALL), V1, SMALL_KEY),
    ("v2 sidecar, lz4 payload", DEFAULT_LZ, V2, SMALL_KEY),
    ("no sidecar, gzip payload", gz(SMALL), None, SMALL_KEY),
    ("no sidecar, lz4 payload (sidecar lost)", DEFAULT_LZ, None, SMALL_KEY),
    ("no sidecar, raw payload (sidecar lost)", SMALL, None, SMALL_KEY),
    ("no sidecar, empty file (key of b\"\")", b"", None, hashlib.sha1(b"").hexdigest()),
    ("no sidecar, empty file (truncated write)", b"", None, SMALL_KEY),
    ("v1 sidecar, empty file (truncated write)", b"", V1, SMALL_KEY),
    ("v2 sidecar, empty file (truncated write)", b"", V2, SMALL_KEY),
    ("v2 sidecar, gzip payload", gz(SMALL), V2, SMALL_KEY),
    ("v1 sidecar, lz4 payload", DEFAULT_LZ, V1, SMALL_KEY),
    ("`{\"cas_raw\": true, \"cas_version\": 1}`, raw payload", SMALL,
     b'{"cas_raw": true, "cas_version": 1}', SMALL_KEY),
    ("`{\"cas_raw\": true, \"cas_version\": 2}`, raw payload", SMALL,
     b'{"cas_raw": true, "cas_version": 2}', SMALL_KEY),
    ("`{\"cas_raw\": true, \"cas_version\": 7}`, raw payload", SMALL,
     b'{"cas_raw": true, "cas_version": 7}', SMALL_KEY),
    ("`{\"cas_raw\": true}` (no version), raw payload", SMALL, b'{"cas_raw": true}', SMALL_KEY),
    ("`{\"cas_raw\": \"false\", ...: 1}`, gzip payload", gz(SMALL),
     b'{"cas_raw": "false", "cas_version": 1}', SMALL_KEY),
    ("`{\"cas_raw\": 1, ...: 1}`, gzip payload", gz(SMALL),
     b'{"cas_raw": 1, "cas_version": 1}', SMALL_KEY),
    ("`{\"cas_raw\": 0, ...: 1}`, gzip payload", gz(SMALL),
     b'{"cas_raw": 0, "cas_version": 1}', SMALL_KEY),
    ("`{\"cas_raw\": null, ...: 1}`, gzip payload", gz(SMALL),
     b'{"cas_raw": null, "cas_version": 1}', SMALL_KEY),
    ("`null`, gzip payload", gz(SMALL), b"null", SMALL_KEY),
    ("`{}`, gzip payload", gz(SMALL), b"{}", SMALL_KEY),
    ("`[]`, gzip payload", gz(SMALL), b"[]", SMALL_KEY),
    ("`[1]`, gzip payload", gz(SMALL), b"[1]", SMALL_KEY),
    ("`\"v1\"`, gzip payload", gz(SMALL), b'"v1"', SMALL_KEY),
    ("`1`, gzip payload", gz(SMALL), b"1", SMALL_KEY),
    ("empty sidecar (0 bytes)", gz(SMALL), b"", SMALL_KEY),
    ("`{\"cas_version\": 1.0}`", gz(SMALL), b'{"cas_version": 1.0}', SMALL_KEY),
    ("`{\"cas_version\": 1.9}`", gz(SMALL), b'{"cas_version": 1.9}', SMALL_KEY),
    ("`{\"cas_version\": 2.5}`, lz4 payload", DEFAULT_LZ, b'{"cas_version": 2.5}', SMALL_KEY),
    ("`{\"cas_version\": 1e0}`", gz(SMALL), b'{"cas_version": 1e0}', SMALL_KEY),
    ("`{\"cas_version\": \"1\"}`", gz(SMALL), b'{"cas_version": "1"}', SMALL_KEY),
    ("`{\"cas_version\": true}`", gz(SMALL), b'{"cas_version": true}', SMALL_KEY),
    ("`{\"cas_version\": null}`", gz(SMALL), b'{"cas_version": null}', SMALL_KEY),
    ("`{\"cas_version\": NaN}`", gz(SMALL), b'{"cas_version": NaN}', SMALL_KEY),
    ("`{\"cas_version\": Infinity}`", gz(SMALL), b'{"cas_version": Infinity}', SMALL_KEY),
    ("`{\"cas_version\": 0}`", gz(SMALL), b'{"cas_version": 0}', SMALL_KEY),
    ("`{\"cas_version\": -1}`", gz(SMALL), b'{"cas_version": -1}', SMALL_KEY),
    ("`{\"cas_version\": 3}`", gz(SMALL), b'{"cas_version": 3}', SMALL_KEY),
    ("`{\"cas_version\": 1e400}`", gz(SMALL), b'{"cas_version": 1e400}', SMALL_KEY),
    ("`{\"cas_version\": 2, \"cas_version\": 1}` (duplicate)", gz(SMALL),
     b'{"cas_version": 2, "cas_version": 1}', SMALL_KEY),
    ("v1 sidecar + unknown member `\"x\": [1]`", gz(SMALL),
     b'{"cas_raw": false, "cas_version": 1, "x": [1]}', SMALL_KEY),
    ("v1 sidecar with UTF-8 BOM", gz(SMALL), b"\xef\xbb\xbf" + V1, SMALL_KEY),
    ("v1 sidecar + invalid UTF-8 in an unknown member", gz(SMALL),
     b'{"cas_version": 1, "x": "\xff"}', SMALL_KEY),
    ("v1 sidecar + trailing `x`", gz(SMALL), V1 + b"x", SMALL_KEY),
    ("v1 sidecar + trailing newline", gz(SMALL), V1 + b"\n", SMALL_KEY),
]

# ---- outcome rendering --------------------------------------------------------------------


def _clip(s: str, n: int = 70) -> str:
    s = s.replace("|", "\\|").replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


def _call(fn, payload: bytes, key: str) -> str:
    try:
        data = fn(payload)
    except Exception as exc:  # noqa: BLE001 - the whole point is to see what escapes
        return "raises `%s`" % _clip("%s: %s" % (type(exc).__name__, exc)).replace("`", "'")
    if hashlib.sha1(data).hexdigest() == key:
        return "ok"
    return "**wrong bytes** (%d B)" % len(data)


def py_gzip(payload: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(payload), mode="rb") as f:
        return f.read()


def py_lz4(payload: bytes) -> bytes:
    return lz4.frame.decompress(payload)


def model(payload, sidecar, profile, key) -> str:
    o = metaflow_model.read_outcome(payload, sidecar, profile, key)
    if o["outcome"] == "ok":
        return "ok"
    if o["outcome"] == "wrong_bytes":
        return "**wrong bytes**"
    s = o["error"]
    if o.get("detail"):
        s += "/" + o["detail"]
    return "**%s**" % s if o["error"] == "unhandled" else s


def strict(payload, sidecar, key) -> str:
    r = spec_reader.read(payload, sidecar, key, spec_reader.DEFAULT_MAX_SIZE)
    if r[0] == "ok":
        return "ok"
    return r[1] + ("/" + r[2] if r[2] else "")


def generate() -> str:
    lines = [BEGIN, ""]
    lines.append(
        "Measured with Python %s, zlib %s, python-lz4 %s (liblz4 %s), by "
        "`python/spec_tools/real_readers.py` (do not edit by hand; `--check` re-measures). "
        "`ok`: the bytes whose SHA-1 is the key; **wrong bytes**: other bytes returned "
        "without an error; `raises`: the exception and message; Metaflow columns use the "
        "error names of section 9 (`unhandled/X`: exception X escapes Metaflow unwrapped). "
        "The last column is this specification's `strict` reader (python/spec_reader)."
        % (platform.python_version(), zlib.ZLIB_RUNTIME_VERSION, lz4.__version__.split("+")[0],
           lz4.library_version_string()))
    for title, column, row_id, cases, reader, sidecar in (
            ("A.1 Python `gzip` (Metaflow `_unpack_v1`, blobs without sidecar, and every blob before the CAS)",
             "| # | gzip payload | `gzip.GzipFile(...).read()` | strict (v1 sidecar) |", "G", GZIP_CASES, py_gzip, V1),
            ("A.2 python-lz4 `lz4.frame.decompress` (PR #3090 `_unpack_v2`)",
             "| # | lz4 payload | `lz4.frame.decompress(...)` | strict (v2 sidecar) |", "L", LZ4_CASES, py_lz4, V2)):
        lines += ["", "#### " + title, "", column, "|---|---|---|---|"]
        for i, (name, payload, key) in enumerate(cases, 1):
            lines.append("| %s%d | %s | %s | %s |" % (row_id, i, name, _call(reader, payload, key),
                                                    strict(payload, sidecar, key)))
    lines += ["", "#### A.3 Metaflow's read paths: sidecar dispatch (`pre-cas`: none, every blob gunzipped)", ""]
    lines += ["| # | sidecar and payload | " + " | ".join(metaflow_model.PROFILES) + " | strict |",
              "|---|---|" + "---|" * len(metaflow_model.PROFILES) + "---|"]
    for i, (name, payload, sidecar, key) in enumerate(META_CASES, 1):
        row = [model(payload, sidecar, p, key) for p in metaflow_model.PROFILES]
        lines.append("| M%d | %s | %s | %s |" % (i, name, " | ".join(row),
                                               strict(payload, sidecar, key)))
    lines += ["", END]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="spec_tools.real_readers", description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="re-measure; fail if the spec's block differs")
    ap.add_argument("--print", action="store_true", help="print the block")
    ap.add_argument("--spec", default=str(SPEC))
    a = ap.parse_args(argv)
    block = generate()
    if a.print:
        print(block)
        return 0
    what = "Appendix A (%d gzip, %d lz4, %d sidecar cases)" % (len(GZIP_CASES), len(LZ4_CASES), len(META_CASES))
    return blocks.update(Path(a.spec), BEGIN, END, block, check=a.check, what=what,
                         fix="python3 -m spec_tools.real_readers")


if __name__ == "__main__":
    sys.exit(main())
