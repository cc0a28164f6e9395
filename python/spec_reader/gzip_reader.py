"""The gzip payload (spec 5.2.2, R-R1-1 to R-R1-8), on top of ``zlib`` raw deflate
(wbits=-15): the header, FHCRC, CRC32, ISIZE, member concatenation and NUL padding are all
parsed here."""

from __future__ import annotations

import struct
import zlib

from spec_reader.errors import corrupt
from spec_reader.output import Output

GZIP_MAGIC = b"\x1f\x8b"
M32 = 0xFFFFFFFF


def _need(blob: bytes, pos: int, n: int) -> None:
    if pos + n > len(blob):
        raise corrupt("truncated", "input ends inside a gzip member")  # R-R1-6


def _member(blob: bytes, pos: int, out: Output) -> int:
    """Decodes the member starting at blob[pos] (whose 1F 8B was checked); returns its end."""
    start = pos
    # File order decides (spec 6.2): a field that is present and invalid is reported even
    # when the input ends right after it (R-R1-1).
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
    if flg & 0x04:  # FEXTRA (R-R1-2)
        _need(blob, pos, 2)
        (xlen,) = struct.unpack_from("<H", blob, pos)
        pos += 2
        _need(blob, pos, xlen)
        pos += xlen
    for bit in (0x08, 0x10):  # FNAME, FCOMMENT: zero-terminated (R-R1-2)
        if flg & bit:
            end = blob.find(b"\x00", pos)
            if end < 0:
                raise corrupt("truncated", "input ends inside FNAME/FCOMMENT")
            pos = end + 1
    if flg & 0x02:  # FHCRC (R-R1-3)
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
        raise corrupt("data", "deflate: %s" % exc) from None  # R-R1-4
    if not d.eof:
        raise corrupt("truncated", "input ends inside the deflate stream")
    pos = len(blob) - len(d.unused_data)
    _need(blob, pos, 8)
    got_crc, isize = struct.unpack_from("<II", blob, pos)
    if got_crc != crc:  # R-R1-5: CRC32 first, then ISIZE
        raise corrupt("checksum", "CRC32 mismatch")
    if isize != size & M32:
        raise corrupt("size_mismatch", "ISIZE mismatch")
    return pos + 8


def decode_gzip(blob: bytes, out: Output) -> None:
    pos = _member(blob, 0, out)
    n = len(blob)
    while pos < n:
        while pos < n and blob[pos] == 0:  # NUL padding (R-R1-7)
            pos += 1
        if pos == n:
            return
        rest = blob[pos:pos + 2]
        if rest == GZIP_MAGIC:
            pos = _member(blob, pos, out)  # members concatenate (R-R1-7, R-R1-8)
        elif len(rest) < 2 and GZIP_MAGIC.startswith(rest):
            raise corrupt("truncated", "input ends inside a gzip member header")
        else:
            raise corrupt("trailing_data", "non-gzip bytes after a member at offset %d" % pos)
