"""gzip (RFC 1952) bytes built field by field: a member whose every header field, the deflate
body and the trailer can be chosen. Defaults reproduce Python's ``gzip`` module byte for byte."""

from __future__ import annotations

import struct
import zlib

GZIP_MAGIC = b"\x1f\x8b"
MTIME = 1764115200  # 2025-11-26T00:00:00Z: the MTIME of every Python-written fixture


def deflate_raw(data: bytes, level: int = 3) -> bytes:
    """A raw deflate stream (RFC 1951, no zlib or gzip wrapper), as Python's gzip writes it."""
    c = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS, zlib.DEF_MEM_LEVEL, 0)
    return c.compress(data) + c.flush()


FTEXT, FHCRC, FEXTRA, FNAME, FCOMMENT = 1, 2, 4, 8, 16


def gzip_member(
    data: bytes,
    level: int = 3,
    mtime: int = MTIME,
    xfl: int | None = None,
    os_byte: int = 255,
    cm: int = 8,
    ftext: bool = False,
    extra: bytes | None = None,
    name: bytes | None = None,
    comment: bytes | None = None,
    hcrc: bool = False,
    bad_hcrc: bool = False,
    reserved: int = 0,
    crc: int | None = None,
    isize: int | None = None,
    deflated: bytes | None = None,
) -> bytes:
    """One RFC 1952 member. Defaults reproduce Python's gzip module byte for byte."""
    flg = reserved
    if ftext:
        flg |= FTEXT
    if hcrc:
        flg |= FHCRC
    if extra is not None:
        flg |= FEXTRA
    if name is not None:
        flg |= FNAME
    if comment is not None:
        flg |= FCOMMENT
    if xfl is None:
        xfl = 2 if level == 9 else 4 if level == 1 else 0
    head = GZIP_MAGIC + bytes([cm, flg]) + struct.pack("<I", mtime) + bytes([xfl, os_byte])
    if extra is not None:
        head += struct.pack("<H", len(extra)) + extra
    if name is not None:
        head += name + b"\0"
    if comment is not None:
        head += comment + b"\0"
    if hcrc:
        c16 = zlib.crc32(head) & 0xFFFF
        if bad_hcrc:
            c16 ^= 0x5A5A
        head += struct.pack("<H", c16)
    body = deflate_raw(data, level) if deflated is None else deflated
    trailer = struct.pack(
        "<II",
        zlib.crc32(data) if crc is None else crc,
        (len(data) & 0xFFFFFFFF) if isize is None else isize,
    )
    return head + body + trailer


def gzip_header_len(member: bytes) -> int:
    flg = member[3]
    pos = 10
    if flg & FEXTRA:
        pos += 2 + struct.unpack_from("<H", member, pos)[0]
    if flg & FNAME:
        pos = member.index(b"\0", pos) + 1
    if flg & FCOMMENT:
        pos = member.index(b"\0", pos) + 1
    if flg & FHCRC:
        pos += 2
    return pos
