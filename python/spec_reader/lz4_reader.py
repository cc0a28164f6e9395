"""The lz4 frame payload (spec 5.4.2, R-R2-1 to R-R2-9), on top of ``lz4.block`` (the block
decoder, with the previous 64 KiB as dictionary for linked blocks) and this package's XXH32.
``lz4.frame`` is never used."""

from __future__ import annotations

import struct

from spec_reader.errors import corrupt
from spec_reader.output import Output
from spec_reader.xxh32 import xxh32

try:
    import lz4.block as lz4block
except ImportError:  # built "without lz4": v2 payloads fail with codec_unavailable (R-READ-3)
    lz4block = None

LZ4_MAGIC = b"\x04\x22\x4d\x18"
BLOCK_MAX = {4: 1 << 16, 5: 1 << 18, 6: 1 << 20, 7: 1 << 22}


def available() -> bool:
    return lz4block is not None


def is_skippable(b4: bytes) -> bool:
    return len(b4) == 4 and (b4[0] & 0xF0) == 0x50 and b4[1:] == b"\x2a\x4d\x18"


def is_skippable_prefix(b: bytes) -> bool:
    if not b or (b[0] & 0xF0) != 0x50:
        return False
    return b"\x2a\x4d\x18".startswith(b[1:])


def _need(blob: bytes, pos: int, n: int, what: str) -> None:
    if pos + n > len(blob):
        raise corrupt("truncated", "input ends inside %s" % what)  # R-R2-6


def _frame(blob: bytes, pos: int, out: Output) -> int:
    """Decodes the lz4 frame whose magic is at blob[pos]; returns the position after it."""
    pos += 4
    # File order decides (R-R2-1): FLG is checked before BD is required.
    _need(blob, pos, 1, "the frame descriptor")
    flg = blob[pos]
    if flg >> 6 != 1:
        raise corrupt("header", "frame version is not 01")
    if flg & 0x02:
        raise corrupt("header", "reserved bit set in FLG")
    if flg & 0x01:
        raise corrupt("header", "dictionary id present")
    _need(blob, pos, 2, "the frame descriptor")
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
    _need(blob, pos, desc_len + 1, "the frame descriptor")
    desc = blob[pos:pos + desc_len]
    if blob[pos + desc_len] != (xxh32(desc) >> 8) & 0xFF:
        raise corrupt("header", "header checksum mismatch")
    content_size = struct.unpack_from("<Q", desc, 2)[0] if has_size else None
    pos += desc_len + 1
    bmax = BLOCK_MAX[bsid]
    frame_start = out.size
    frame_parts = [] if content_checksum else None
    prev = b""  # history for linked blocks (R-R2-3): up to the last 64 KiB of this frame
    while True:
        _need(blob, pos, 4, "a block header")
        (word,) = struct.unpack_from("<I", blob, pos)
        pos += 4
        if word == 0:
            break  # EndMark
        stored = not (word & 0x80000000)
        size = word & 0x7FFFFFFF
        if size > bmax:  # R-R2-2
            raise corrupt("data", "block of %d bytes exceeds the maximum %d" % (size, bmax))
        _need(blob, pos, size, "a block")
        data = blob[pos:pos + size]
        pos += size
        if block_checksum:  # R-R2-4: verified before the block is decoded
            _need(blob, pos, 4, "a block checksum")
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
        # R-R2-5: a declared content size is a promise; exceeding it is a size mismatch at once.
        if content_size is not None and out.size - frame_start + len(decoded) > content_size:
            raise corrupt("size_mismatch", "frame decodes to more than its content size")
        out.add(decoded)
        if frame_parts is not None:
            frame_parts.append(decoded)
        if not independent:
            prev = (prev + decoded)[-65536:]
    if content_size is not None and out.size - frame_start != content_size:
        raise corrupt("size_mismatch", "frame content size mismatch")
    if content_checksum:  # R-R2-4, after the content size (R-R2-5)
        _need(blob, pos, 4, "the content checksum")
        if struct.unpack_from("<I", blob, pos)[0] != xxh32(b"".join(frame_parts)):
            raise corrupt("checksum", "content checksum mismatch")
        pos += 4
    return pos


def decode_lz4(blob: bytes, out: Output) -> None:
    n = len(blob)
    pos = 0
    while pos < n:  # frames and skippable frames concatenate (R-R2-7)
        magic = blob[pos:pos + 4]
        if magic == LZ4_MAGIC:
            pos = _frame(blob, pos, out)
        elif is_skippable(magic):
            _need(blob, pos, 8, "a skippable frame header")
            (size,) = struct.unpack_from("<I", blob, pos + 4)
            _need(blob, pos + 8, size, "a skippable frame")
            pos += 8 + size
        elif len(magic) < 4 and (LZ4_MAGIC.startswith(magic) or is_skippable_prefix(magic)):
            raise corrupt("truncated", "input ends inside a frame magic number")
        elif pos == 0:
            raise corrupt("bad_magic", "not an lz4 frame")
        else:
            raise corrupt("trailing_data", "non-frame bytes at offset %d" % pos)  # R-R2-9
    # A payload of skippable frames only decodes to nothing (R-R2-8), as with the lz4 CLI.
