"""lz4 frame bytes (lz4 frame format 1.6) built field by field: the frame descriptor (every
flag, reserved bits, a wrong header checksum), frames of chosen blocks, block records,
skippable frames, and a parser giving the offsets of a well-formed frame's parts."""

from __future__ import annotations

import struct

import lz4.block

from casblob_fixtures.builders.xxh32 import xxh32

KIB = 1024
MIB = 1024 * 1024
LZ4_MAGIC = b"\x04\x22\x4d\x18"
LZ4_LEGACY_MAGIC = b"\x02\x21\x4c\x18"

BLOCK_MAX = {4: 64 * KIB, 5: 256 * KIB, 6: MIB, 7: 4 * MIB}


def lz4_descriptor(
    block_max_id: int = 4,
    independent: bool = True,
    block_checksum: bool = False,
    content_size: int | None = None,
    content_checksum: bool = False,
    dict_id: int | None = None,
    version: int = 1,
    flg_reserved: int = 0,
    bd_reserved: int = 0,
    bad_hc: bool = False,
) -> bytes:
    """Magic + frame descriptor (FLG, BD, [content size], [dict id], HC)."""
    flg = (version << 6) | flg_reserved
    if independent:
        flg |= 0x20
    if block_checksum:
        flg |= 0x10
    if content_size is not None:
        flg |= 0x08
    if content_checksum:
        flg |= 0x04
    if dict_id is not None:
        flg |= 0x01
    bd = (block_max_id << 4) | bd_reserved
    desc = bytes([flg, bd])
    if content_size is not None:
        desc += struct.pack("<Q", content_size)
    if dict_id is not None:
        desc += struct.pack("<I", dict_id)
    hc = (xxh32(desc) >> 8) & 0xFF
    if bad_hc:
        hc ^= 0xFF
    return LZ4_MAGIC + desc + bytes([hc])


def block_record(chunk: bytes, uncompressed: bool = False, checksum: bool = False) -> bytes:
    """One block: the size word (bit 31 = stored uncompressed), the body, its XXH32 if asked.
    Compressed with lz4.block unless that does not make it smaller (as liblz4 decides)."""
    comp = lz4.block.compress(chunk, store_size=False)
    if uncompressed or len(comp) >= len(chunk):
        body, size = chunk, len(chunk) | 0x80000000
    else:
        body, size = comp, len(comp)
    out = struct.pack("<I", size) + body
    if checksum:
        out += struct.pack("<I", xxh32(body))
    return out


def lz4_frame(
    content: bytes,
    block_max_id: int = 4,
    block_checksum: bool = False,
    content_checksum: bool = False,
    store_size: bool = True,
    uncompressed: bool = False,
    chunks: list | None = None,
    declared_size: int | None = None,
    **desc_kwargs,
) -> bytes:
    """A handcrafted frame of independent blocks (lz4.block for each block). ``chunks`` splits
    the content into blocks of any size (default: the block maximum); ``declared_size``
    writes another content size than the real one."""
    if chunks is None:
        bmax = BLOCK_MAX[block_max_id]
        chunks = [content[i : i + bmax] for i in range(0, len(content), bmax)]
    if store_size:
        size = len(content) if declared_size is None else declared_size
    else:
        size = None
    out = lz4_descriptor(
        block_max_id=block_max_id,
        block_checksum=block_checksum,
        content_size=size,
        content_checksum=content_checksum,
        **desc_kwargs,
    )
    for chunk in chunks:
        out += block_record(chunk, uncompressed, block_checksum)
    out += b"\0\0\0\0"
    if content_checksum:
        out += struct.pack("<I", xxh32(content))
    return out


def lz4_parse(frame: bytes) -> dict:
    """Offsets of a well-formed frame's parts: header_len, blocks [(size_off, data_off, len)], end_off."""
    flg, bd = frame[4], frame[5]
    pos = 6
    if flg & 0x08:
        pos += 8
    if flg & 0x01:
        pos += 4
    pos += 1  # HC
    info = {"flg": flg, "bd": bd, "header_len": pos, "blocks": []}
    while True:
        (size,) = struct.unpack_from("<I", frame, pos)
        if size == 0:
            info["end_off"] = pos
            pos += 4
            break
        n = size & 0x7FFFFFFF
        info["blocks"].append((pos, pos + 4, n, not (size & 0x80000000)))
        pos += 4 + n
        if flg & 0x10:
            pos += 4
    if flg & 0x04:
        info["content_checksum_off"] = pos
        pos += 4
    info["frame_len"] = pos
    return info


def skippable(payload: bytes, nibble: int = 0) -> bytes:
    """An lz4 skippable frame (magic 0x184D2A5?) holding ``payload``."""
    return struct.pack("<II", 0x184D2A50 + nibble, len(payload)) + payload
