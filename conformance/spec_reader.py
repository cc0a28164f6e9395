#!/usr/bin/python3
"""A minimal `strict` CAS blob reader written from spec/cas-blob-format.md alone.

It exists to test the specification, not to be fast: every normative reading step of the
spec's section 6 ("Reading a blob") is implemented here, in order, with the error names of
section 9. Codecs are built from primitives only:

* gzip (RFC 1952) on top of ``zlib`` raw deflate (wbits=-15): header, FHCRC, CRC32, ISIZE,
  member concatenation and NUL padding are all parsed here;
* the lz4 frame format on top of ``lz4.block`` (block decoder, with the previous 64 KiB as
  dictionary for linked blocks) and a pure-Python XXH32. ``lz4.frame`` is never used.

API:  read(blob, sidecar, key, max_size) -> ("ok", bytes) | ("error", name, detail)

CLI (conformance command protocol):
  spec_reader.py decode --json [--meta FILE | --no-meta] [--key K] [--max-size N] IN
  spec_reader.py batch        (JSON lines {"blob","meta","profile","key","max_size"} on stdin)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import struct
import sys
import zlib

try:
    import lz4.block as lz4block
except ImportError:  # built "without lz4": v2 payloads fail with codec_unavailable (R-READ-7)
    lz4block = None

DEFAULT_MAX_SIZE = 1 << 32  # R-SEC-1
KEY_RE = re.compile(r"[0-9a-f]{40}\Z")

GZIP_MAGIC = b"\x1f\x8b"
LZ4_MAGIC = b"\x04\x22\x4d\x18"
LEGACY_LZ4_MAGIC = b"\x02\x21\x4c\x18"
BLOCK_MAX = {4: 1 << 16, 5: 1 << 18, 6: 1 << 20, 7: 1 << 22}


class ReadError(Exception):
    def __init__(self, name: str, detail: str | None = None, message: str = ""):
        super().__init__(message or (name + ("/" + detail if detail else "")))
        self.name = name
        self.detail = detail


def corrupt(detail: str, message: str = "") -> ReadError:
    return ReadError("corrupt", detail, message)


# ---- XXH32 (xxHash specification, 32-bit variant) -----------------------------------------

P1, P2, P3, P4, P5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393
M32 = 0xFFFFFFFF


def xxh32(data, seed: int = 0) -> int:
    n = len(data)
    mv = memoryview(data)
    i = 0
    if n >= 16:
        v1 = (seed + P1 + P2) & M32
        v2 = (seed + P2) & M32
        v3 = seed & M32
        v4 = (seed - P1) & M32
        stop = n - (n % 16)
        for a, b, c, d in struct.iter_unpack("<4I", mv[:stop]):
            v1 = (v1 + a * P2) & M32
            v1 = (((v1 << 13) | (v1 >> 19)) & M32) * P1 & M32
            v2 = (v2 + b * P2) & M32
            v2 = (((v2 << 13) | (v2 >> 19)) & M32) * P1 & M32
            v3 = (v3 + c * P2) & M32
            v3 = (((v3 << 13) | (v3 >> 19)) & M32) * P1 & M32
            v4 = (v4 + d * P2) & M32
            v4 = (((v4 << 13) | (v4 >> 19)) & M32) * P1 & M32
        i = stop
        h = (((v1 << 1) | (v1 >> 31)) + ((v2 << 7) | (v2 >> 25))
             + ((v3 << 12) | (v3 >> 20)) + ((v4 << 18) | (v4 >> 14))) & M32
    else:
        h = (seed + P5) & M32
    h = (h + n) & M32
    while i + 4 <= n:
        (w,) = struct.unpack_from("<I", mv, i)
        h = (h + w * P3) & M32
        h = (((h << 17) | (h >> 15)) & M32) * P4 & M32
        i += 4
    while i < n:
        h = (h + mv[i] * P5) & M32
        h = (((h << 11) | (h >> 21)) & M32) * P1 & M32
        i += 1
    h ^= h >> 15
    h = (h * P2) & M32
    h ^= h >> 13
    h = (h * P3) & M32
    h ^= h >> 16
    return h


# ---- output with a size limit (R-SEC-1) ---------------------------------------------------


class Output:
    def __init__(self, max_size: int):
        self.max_size = max_size
        self.parts: list[bytes] = []
        self.size = 0

    def room(self) -> int:
        return self.max_size - self.size

    def add(self, data: bytes) -> None:
        if self.size + len(data) > self.max_size:
            raise ReadError("limit_exceeded", None, "decoded size exceeds %d" % self.max_size)
        self.parts.append(data)
        self.size += len(data)

    def value(self) -> bytes:
        return b"".join(self.parts)


# ---- gzip (spec 5.3 reader rules) ---------------------------------------------------------


def _need(blob: bytes, pos: int, n: int) -> None:
    if pos + n > len(blob):
        raise corrupt("truncated", "input ends inside a gzip member")


def _gzip_member(blob: bytes, pos: int, out: Output) -> int:
    """Decodes the member starting at blob[pos] (whose 1F 8B was checked); returns end."""
    start = pos
    # File order decides (spec 6): a field that is present and invalid is reported even
    # when the input ends right after it.
    _need(blob, pos, 3)
    cm = blob[pos + 2]
    if cm != 8:
        raise corrupt("header", "CM is %d, not 8 (deflate)" % cm)
    _need(blob, pos, 4)
    flg = blob[pos + 3]
    if flg & 0xE0:
        raise corrupt("header", "reserved FLG bits set: 0x%02x" % flg)
    _need(blob, pos, 10)
    pos += 10
    if flg & 0x04:  # FEXTRA
        _need(blob, pos, 2)
        (xlen,) = struct.unpack_from("<H", blob, pos)
        pos += 2
        _need(blob, pos, xlen)
        pos += xlen
    for bit in (0x08, 0x10):  # FNAME, FCOMMENT: zero-terminated
        if flg & bit:
            end = blob.find(b"\x00", pos)
            if end < 0:
                raise corrupt("truncated", "input ends inside FNAME/FCOMMENT")
            pos = end + 1
    if flg & 0x02:  # FHCRC
        _need(blob, pos, 2)
        (hcrc,) = struct.unpack_from("<H", blob, pos)
        if hcrc != zlib.crc32(blob[start:pos]) & 0xFFFF:
            raise corrupt("header", "FHCRC mismatch")
        pos += 2
    d = zlib.decompressobj(-15)
    crc = 0
    size = 0
    buf = memoryview(blob)[pos:]
    chunk = 1 << 20
    try:
        while not d.eof:
            room = out.room()
            data = d.decompress(buf, min(chunk, room + 1))
            if data:
                crc = zlib.crc32(data, crc)
                size += len(data)
                out.add(data)
            buf = d.unconsumed_tail
            if not data and not buf:
                break  # input exhausted (or zlib needs more than there is)
        if not d.eof:
            data = d.flush()
            if data:
                crc = zlib.crc32(data, crc)
                size += len(data)
                out.add(data)
    except zlib.error as exc:
        raise corrupt("data", "deflate: %s" % exc) from None
    if not d.eof:
        raise corrupt("truncated", "input ends inside the deflate stream")
    pos = len(blob) - len(d.unused_data)
    _need(blob, pos, 8)
    got_crc, isize = struct.unpack_from("<II", blob, pos)
    if got_crc != crc:
        raise corrupt("checksum", "CRC32 mismatch")
    if isize != size & M32:
        raise corrupt("size_mismatch", "ISIZE mismatch")
    return pos + 8


def decode_gzip(blob: bytes, out: Output) -> None:
    pos = _gzip_member(blob, 0, out)
    n = len(blob)
    while pos < n:
        while pos < n and blob[pos] == 0:  # NUL padding (R-R1-6)
            pos += 1
        if pos == n:
            return
        rest = blob[pos:pos + 2]
        if rest == GZIP_MAGIC:
            pos = _gzip_member(blob, pos, out)
        elif len(rest) < 2 and GZIP_MAGIC.startswith(rest):
            raise corrupt("truncated", "input ends inside a gzip member header")
        else:
            raise corrupt("trailing_data", "non-gzip bytes after a member at offset %d" % pos)


# ---- lz4 frame (spec 5.4 reader rules) ----------------------------------------------------


def _is_skippable(b4: bytes) -> bool:
    return len(b4) == 4 and (b4[0] & 0xF0) == 0x50 and b4[1:] == b"\x2a\x4d\x18"


def _lz4_need(blob: bytes, pos: int, n: int, what: str) -> None:
    if pos + n > len(blob):
        raise corrupt("truncated", "input ends inside %s" % what)


def _lz4_frame(blob: bytes, pos: int, out: Output) -> int:
    """Decodes the lz4 frame whose magic is at blob[pos]; returns the position after it."""
    pos += 4
    # File order decides (spec 6): FLG is checked before BD is required.
    _lz4_need(blob, pos, 1, "the frame descriptor")
    flg = blob[pos]
    if flg >> 6 != 1:
        raise corrupt("header", "frame version is not 01")
    if flg & 0x02:
        raise corrupt("header", "reserved bit set in FLG")
    if flg & 0x01:
        raise corrupt("header", "dictionary id present")
    _lz4_need(blob, pos, 2, "the frame descriptor")
    bd = blob[pos + 1]
    if bd & 0x8F:
        raise corrupt("header", "reserved bits set in BD")
    bsid = (bd >> 4) & 7
    if bsid not in BLOCK_MAX:
        raise corrupt("header", "block maximum size id %d" % bsid)
    independent = bool(flg & 0x20)
    block_checksum = bool(flg & 0x10)
    has_size = bool(flg & 0x08)
    content_checksum = bool(flg & 0x04)
    desc_len = 2 + (8 if has_size else 0)
    _lz4_need(blob, pos, desc_len + 1, "the frame descriptor")
    desc = blob[pos:pos + desc_len]
    if blob[pos + desc_len] != (xxh32(desc) >> 8) & 0xFF:
        raise corrupt("header", "header checksum mismatch")
    content_size = struct.unpack_from("<Q", desc, 2)[0] if has_size else None
    pos += desc_len + 1
    bmax = BLOCK_MAX[bsid]
    frame_start = out.size
    frame_parts = [] if content_checksum else None
    prev = b""  # dictionary for linked blocks: up to the last 64 KiB of this frame
    while True:
        _lz4_need(blob, pos, 4, "a block header")
        (word,) = struct.unpack_from("<I", blob, pos)
        pos += 4
        if word == 0:
            break  # EndMark
        stored = not (word & 0x80000000)
        size = word & 0x7FFFFFFF
        if size > bmax:
            raise corrupt("data", "block of %d bytes exceeds the maximum %d" % (size, bmax))
        _lz4_need(blob, pos, size, "a block")
        data = blob[pos:pos + size]
        pos += size
        if block_checksum:
            _lz4_need(blob, pos, 4, "a block checksum")
            if struct.unpack_from("<I", blob, pos)[0] != xxh32(data):
                raise corrupt("checksum", "block checksum mismatch")
            pos += 4
        if not stored:
            decoded = data
        else:
            try:
                if independent or not prev:
                    decoded = lz4block.decompress(data, uncompressed_size=bmax)
                else:
                    decoded = lz4block.decompress(data, uncompressed_size=bmax, dict=prev)
            except lz4block.LZ4BlockError as exc:
                raise corrupt("data", "lz4 block: %s" % exc) from None
        # A declared content size is a promise: exceeding it is a size mismatch at once.
        if content_size is not None and out.size - frame_start + len(decoded) > content_size:
            raise corrupt("size_mismatch", "frame decodes to more than its content size")
        out.add(decoded)
        if frame_parts is not None:
            frame_parts.append(decoded)
        if not independent:
            prev = (prev + decoded)[-65536:]
    if content_size is not None and out.size - frame_start != content_size:
        raise corrupt("size_mismatch", "frame content size mismatch")
    if content_checksum:
        _lz4_need(blob, pos, 4, "the content checksum")
        if struct.unpack_from("<I", blob, pos)[0] != xxh32(b"".join(frame_parts)):
            raise corrupt("checksum", "content checksum mismatch")
        pos += 4
    return pos


def decode_lz4(blob: bytes, out: Output) -> None:
    n = len(blob)
    pos = 0
    while pos < n:
        magic = blob[pos:pos + 4]
        if magic == LZ4_MAGIC:
            pos = _lz4_frame(blob, pos, out)
        elif _is_skippable(magic):
            _lz4_need(blob, pos, 8, "a skippable frame header")
            (size,) = struct.unpack_from("<I", blob, pos + 4)
            _lz4_need(blob, pos + 8, size, "a skippable frame")
            pos += 8 + size
        elif len(magic) < 4 and (LZ4_MAGIC.startswith(magic) or _is_skippable_prefix(magic)):
            raise corrupt("truncated", "input ends inside a frame magic number")
        elif pos == 0:
            raise corrupt("bad_magic", "not an lz4 frame")
        else:
            raise corrupt("trailing_data", "non-frame bytes at offset %d" % pos)
    # A payload of skippable frames only decodes to nothing (R-R2-8), as with the lz4 CLI.


def _is_skippable_prefix(b: bytes) -> bool:
    if not b:
        return False
    if (b[0] & 0xF0) != 0x50:
        return False
    return b"\x2a\x4d\x18".startswith(b[1:])


# ---- the reader (spec 6) ------------------------------------------------------------------


class _Float:
    """Marks a JSON number written with a fraction or an exponent."""

    def __init__(self, text: str):
        self.text = text


def _no_constants(name: str):
    raise ValueError("%s is not JSON" % name)


def _pairs(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise ValueError("duplicate member name %r" % k)
        seen.add(k)
    return dict(pairs)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(v) -> bool:
    """R-META-6: escapes of unpaired surrogates (\\ud800 alone) are not allowed (I-JSON).
    Python's json joins escaped pairs into one code point, so any surrogate left is unpaired."""
    if isinstance(v, str):
        return bool(_SURROGATE.search(v))
    if isinstance(v, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(x) for k, x in v.items())
    if isinstance(v, list):
        return any(_has_lone_surrogate(x) for x in v)
    return False


def parse_sidecar(sidecar: bytes) -> tuple[bool, int]:
    """Steps 3-5: returns (raw, version) or raises meta_invalid / version_missing."""
    if sidecar.startswith(b"\xef\xbb\xbf"):
        raise ReadError("meta_invalid", None, "sidecar starts with a byte order mark")
    try:
        text = sidecar.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ReadError("meta_invalid", None, "sidecar is not UTF-8") from None
    try:
        doc = json.loads(text, parse_float=_Float, parse_constant=_no_constants,
                         object_pairs_hook=_pairs)
    except (ValueError, RecursionError) as exc:
        raise ReadError("meta_invalid", None, "sidecar is not JSON: %s" % exc) from None
    if not isinstance(doc, dict):
        raise ReadError("meta_invalid", None, "sidecar is not a JSON object")
    try:
        lone = _has_lone_surrogate(doc)
    except RecursionError:
        lone = True  # nesting deeper than this reader handles: not a sidecar anyone wrote
    if lone:
        raise ReadError("meta_invalid", None, "sidecar string escapes an unpaired surrogate")
    raw = doc.get("cas_raw", False)
    if type(raw) is not bool:
        raise ReadError("meta_invalid", None, "cas_raw is not true/false")
    if "cas_version" not in doc:
        raise ReadError("version_missing", None, "sidecar has no cas_version")
    version = doc["cas_version"]
    if type(version) is not int or version < 1:
        raise ReadError("meta_invalid", None, "cas_version is not an integer >= 1")
    return raw, version


def _check_magic(blob: bytes, declared: str) -> None:
    """Step 8."""
    if not blob:
        raise corrupt("truncated", "empty payload")
    head = blob[:4]
    is_lz4 = head == LZ4_MAGIC or _is_skippable(head)
    is_gzip = blob[:2] == GZIP_MAGIC
    if declared == "gzip":
        if is_lz4:
            raise ReadError("format_mismatch", None, "gzip declared, lz4 frame found")
        if not is_gzip:
            if len(blob) < 2 and GZIP_MAGIC.startswith(blob):
                raise corrupt("truncated", "payload shorter than the gzip magic")
            raise corrupt("bad_magic", "not a gzip member")
    else:
        if is_gzip:
            raise ReadError("format_mismatch", None, "lz4 declared, gzip member found")
        if not is_lz4:
            if len(blob) < 4 and (LZ4_MAGIC.startswith(blob) or _is_skippable_prefix(blob)):
                raise corrupt("truncated", "payload shorter than the lz4 magic")
            raise corrupt("bad_magic", "not an lz4 frame")


def read(blob: bytes, sidecar: bytes | None, key: str | None, max_size: int = DEFAULT_MAX_SIZE):
    try:
        return ("ok", _read(blob, sidecar, key, max_size))
    except ReadError as exc:
        return ("error", exc.name, exc.detail)


def _read(blob, sidecar, key, max_size):
    if max_size is None:
        max_size = DEFAULT_MAX_SIZE
    # Step 1: the key.
    if key is not None and not KEY_RE.match(key):
        raise ReadError("usage", None, "key is not 40 lowercase hex digits")
    out = Output(max_size)
    if sidecar is None:
        # Step 2: no sidecar -> gzip.
        _check_magic(blob, "gzip")
        decode_gzip(blob, out)
    else:
        raw, version = parse_sidecar(sidecar)  # steps 3-5
        if raw:  # step 6
            out.add(bytes(blob))
        elif version == 1:  # step 7
            _check_magic(blob, "gzip")
            decode_gzip(blob, out)
        elif version == 2:
            if lz4block is None:
                raise ReadError("codec_unavailable", None, "built without lz4")
            _check_magic(blob, "lz4")
            decode_lz4(blob, out)
        else:
            raise ReadError("version_unsupported", None, "cas_version %d" % version)
    data = out.value()
    # Step 12: the key.
    if key is not None and hashlib.sha1(data).hexdigest() != key:
        raise ReadError("key_mismatch", None, "SHA-1 of the decoded bytes is not the key")
    return data


# ---- CLI ----------------------------------------------------------------------------------


def _result(blob_path, meta_path, key, max_size) -> dict:
    try:
        with open(blob_path, "rb") as f:
            blob = f.read()
    except FileNotFoundError:
        return {"ok": False, "error": "not_found", "detail": None}
    except OSError:
        return {"ok": False, "error": "io_error", "detail": None}
    sidecar = None
    if meta_path is not None:
        try:
            with open(meta_path, "rb") as f:
                sidecar = f.read()
        except FileNotFoundError:
            sidecar = None
        except OSError:
            return {"ok": False, "error": "io_error", "detail": None}
    r = read(blob, sidecar, key, DEFAULT_MAX_SIZE if max_size is None else max_size)
    if r[0] == "ok":
        return {"ok": True, "sha1": hashlib.sha1(r[1]).hexdigest(), "decoded_size": len(r[1])}
    return {"ok": False, "error": r[1], "detail": r[2]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decode")
    d.add_argument("--json", action="store_true")
    d.add_argument("--profile", default="strict")
    g = d.add_mutually_exclusive_group()
    g.add_argument("--meta")
    g.add_argument("--no-meta", action="store_true")
    d.add_argument("--key")
    d.add_argument("--max-size", type=int)
    d.add_argument("input")
    d.add_argument("output", nargs="?")
    sub.add_parser("batch")
    a = ap.parse_args(argv)
    if a.cmd == "decode":
        if a.profile != "strict":
            print(json.dumps({"ok": False, "error": "usage", "detail": None}))
            return 2
        meta = None
        if a.meta is not None:
            meta = a.meta
        elif not a.no_meta and os.path.exists(a.input + "_meta"):
            meta = a.input + "_meta"
        key = a.key
        if key is None and KEY_RE.match(os.path.basename(a.input)):
            key = os.path.basename(a.input)
        res = _result(a.input, meta, key, a.max_size)
        print(json.dumps(res))
        return 0 if res["ok"] else EXIT_CODES.get(res["error"], 1)
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        if req.get("profile", "strict") not in (None, "strict"):
            res = {"ok": False, "error": "usage", "detail": None}
        else:
            res = _result(req["blob"], req.get("meta"), req.get("key"), req.get("max_size"))
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()
    return 0


EXIT_CODES = {
    "usage": 2, "meta_invalid": 10, "version_missing": 11, "version_unsupported": 12,
    "codec_unavailable": 13, "corrupt": 14, "format_mismatch": 15, "key_mismatch": 16,
    "limit_exceeded": 17, "not_found": 18, "io_error": 19, "unhandled": 20,
}

if __name__ == "__main__":
    sys.exit(main())
