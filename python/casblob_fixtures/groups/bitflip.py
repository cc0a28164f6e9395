"""BitFlip: single-bit errors, including ones a checksum-less v2 reader cannot see.

Flip positions are found by deterministic search (first position, in file order, whose effect
is the one the case names), so the corpus does not depend on hand-picked offsets."""

import struct
import zlib

import lz4.frame

from casblob_fixtures.builders import FHCRC, flip, gzip_header_len, lz4_parse
from casblob_fixtures.case import Case, META_V1, META_V2, err
from casblob_fixtures.payloads import KIB, text
from casblob_fixtures.producers import python_gzip, python_lz4

TYPE = "BitFlip"
COMMENT = "single-bit flips in every region; some decode to other bytes without any error"


def strict_gzip_detail(b: bytes):
    """Strict-reader verdict for a gzip payload (preamble step 9): None if it decodes, else detail."""
    if len(b) < 2 or b[:2] != b"\x1f\x8b":
        return "bad_magic"
    pos, n = 0, len(b)
    while True:
        if n - pos < 10:
            return "truncated"
        cm, flg = b[pos + 2], b[pos + 3]
        if cm != 8 or flg & 0xE0:
            return "header"
        p = pos + 10
        if flg & 4:
            if p + 2 > n:
                return "truncated"
            p += 2 + struct.unpack_from("<H", b, p)[0]
            if p > n:
                return "truncated"
        for bit in (8, 16):
            if flg & bit:
                i = b.find(b"\0", p)
                if i < 0:
                    return "truncated"
                p = i + 1
        if flg & FHCRC:
            if p + 2 > n:
                return "truncated"
            if struct.unpack_from("<H", b, p)[0] != zlib.crc32(b[pos:p]) & 0xFFFF:
                return "header"
            p += 2
        d = zlib.decompressobj(-15)
        try:
            data = d.decompress(b[p:])
        except zlib.error:
            return "data"
        if not d.eof:
            return "truncated"
        p = n - len(d.unused_data)
        if n - p < 8:
            return "truncated"
        crc, isize = struct.unpack_from("<II", b, p)
        if crc != zlib.crc32(data):
            return "checksum"
        if isize != len(data) & 0xFFFFFFFF:
            return "size_mismatch"
        p += 8
        while p < n and b[p] == 0:
            p += 1
        if p == n:
            return None
        if b[p:p + 2] != b"\x1f\x8b":
            return "trailing_data"
        pos = p


def lz4_sequences(block: bytes):
    """(literal_start, literal_len, offset_pos or None) for each sequence of an lz4 block."""
    seqs, p = [], 0
    while p < len(block):
        token = block[p]
        p += 1
        lit = token >> 4
        if lit == 15:
            while True:
                x = block[p]
                p += 1
                lit += x
                if x != 255:
                    break
        seqs.append((p, lit, p + lit if p + lit < len(block) else None))
        p += lit
        if p >= len(block):
            break
        p += 2
        if token & 15 == 15:
            while block[p] == 255:
                p += 1
            p += 1
    return seqs


def lz4_verdict(frame: bytes, content: bytes):
    """What liblz4 (python-lz4) makes of a flipped single frame: 'wrong', 'ok' or an error string."""
    try:
        out = lz4.frame.decompress(frame)
    except RuntimeError as exc:
        return str(exc)
    return "ok" if out == content else "wrong"


def cases():
    out = []
    t = text(8 * KIB)

    def add(name, blob, strict, comment, sidecar, content, flags=(), producer="handcrafted"):
        out.append(Case(name, comment, blob, sidecar, content, strict, producer=producer, flags=["BitFlip", *flags]))

    # ---- gzip header fields
    g = python_gzip(t)
    add("y_bitflip_gzip_mtime", flip(g, 5), {"outcome": "ok"}, "MTIME bit flipped: MTIME is informational", META_V1, t)
    add("y_bitflip_gzip_xfl", flip(g, 8, 0x04), {"outcome": "ok"}, "XFL bit flipped (0 -> 4): informational", META_V1, t)
    add("y_bitflip_gzip_os", flip(g, 9, 0x01), {"outcome": "ok"}, "OS byte 255 -> 254: informational", META_V1, t)
    add("n_bitflip_gzip_magic_byte0", flip(g, 0, 0x01), err("corrupt", "bad_magic"), "first magic byte 1F -> 1E", META_V1, t)
    add("n_bitflip_gzip_magic_byte1", flip(g, 1, 0x80), err("corrupt", "bad_magic"), "second magic byte 8B -> 0B", META_V1, t)
    add("n_bitflip_gzip_cm", flip(g, 2, 0x01), err("corrupt", "header"), "CM 8 -> 9", META_V1, t)
    for mask, flag, why in ((FHCRC, "FHCRC", "the first two deflate bytes are taken as a header CRC16 that does not match"),
                            (8, "FNAME", "deflate bytes up to the next NUL are taken as a file name"),
                            (16, "FCOMMENT", "deflate bytes up to the next NUL are taken as a comment"),
                            (4, "FEXTRA", "two deflate bytes are taken as XLEN")):
        b = flip(g, 3, mask)
        det = strict_gzip_detail(b)
        add("n_bitflip_gzip_flg_%s" % flag.lower(), b, err("corrupt", det),
            "FLG bit %s set by a flip: %s" % (flag, why), META_V1, t, flags=[flag])

    # ---- gzip deflate data: first flip (file order, bit 0x10) giving each strict detail
    h = gzip_header_len(g)
    found = {}
    for pos in range(h, len(g) - 8):
        for mask in (0x10, 0x01, 0x80):
            det = strict_gzip_detail(flip(g, pos, mask))
            if det and det not in found:
                found[det] = (pos, mask)
    for det in ("data", "checksum", "size_mismatch", "truncated", "trailing_data"):
        if det in found:
            pos, mask = found[det]
            add("n_bitflip_gzip_deflate_gives_%s" % det, flip(g, pos, mask), err("corrupt", det),
                "deflate byte %d (of %d) xor 0x%02x: the strict reader stops with corrupt/%s" % (pos, len(g), mask, det),
                META_V1, t)
    add("n_bitflip_gzip_crc32", flip(g, len(g) - 7, 0x20), err("corrupt", "checksum"), "a bit of the CRC32 field", META_V1, t, flags=["ChecksumError"])
    add("n_bitflip_gzip_isize", flip(g, len(g) - 4, 0x02), err("corrupt", "size_mismatch"), "a bit of the ISIZE field", META_V1, t, flags=["ChecksumError"])

    # ---- lz4 (python-lz4 defaults: no block or content checksum)
    f = python_lz4(t)
    info = lz4_parse(f)
    (s1, d1, n1, comp), = info["blocks"]
    assert comp
    seqs = lz4_sequences(f[d1:d1 + n1])
    lit_pos = next(d1 + start + ln // 2 for start, ln, _ in seqs if ln >= 4)
    off_pos = None
    for _, _, op in seqs:
        if op is not None and lz4_verdict(flip(f, d1 + op, 0x01), t) == "wrong":
            off_pos = d1 + op
            break
    assert lz4_verdict(flip(f, lit_pos, 0x01), t) == "wrong"
    add("n_bitflip_lz4_default_literal", flip(f, lit_pos, 0x01), err("key_mismatch"),
        "a bit flipped inside a literal run of a python-lz4 default frame (byte %d): decodes without error to bytes of the right length but the wrong content" % lit_pos,
        META_V2, t, flags=["NoChecksum"])
    add("n_bitflip_lz4_default_match_offset", flip(f, off_pos, 0x01), err("key_mismatch"),
        "low bit of a match offset (byte %d) of a python-lz4 default frame: copies from the wrong place, no error" % off_pos,
        META_V2, t, flags=["NoChecksum"])
    fns = python_lz4(t, store_size=False)
    dns = lz4_parse(fns)["blocks"][0][1]
    add("n_bitflip_lz4_no_content_size_literal", flip(fns, dns + (lit_pos - d1), 0x01), err("key_mismatch"),
        "the same literal flip in a frame without content size", META_V2, t, flags=["NoChecksum", "NoContentSize"])
    sns = lz4_parse(fns)["blocks"][0][0]
    add("n_bitflip_lz4_no_content_size_uncompressed_bit", flip(fns, sns + 3, 0x80), err("key_mismatch"),
        "the 'uncompressed' bit of the block size flipped in a frame without content size: the compressed bytes are output as the content",
        META_V2, t, flags=["NoChecksum", "NoContentSize"])
    fcc = python_lz4(t, content_checksum=True)
    assert lz4_parse(fcc)["blocks"][0][1] == d1
    add("n_bitflip_lz4_content_checksum_literal", flip(fcc, lit_pos, 0x01), err("corrupt", "checksum"),
        "the same literal flip with content_checksum=True: caught by the content checksum", META_V2, t, flags=["ContentChecksum"])
    fbc = python_lz4(t, block_checksum=True)
    add("n_bitflip_lz4_block_checksum_literal", flip(fbc, lit_pos, 0x01), err("corrupt", "checksum"),
        "the same literal flip with block_checksum=True: caught by the block checksum", META_V2, t, flags=["BlockChecksum"])
    add("n_bitflip_lz4_default_uncompressed_bit", flip(f, s1 + 3, 0x80), err("corrupt", "size_mismatch"),
        "the 'uncompressed' bit of the block size flipped in a default frame: the content size check catches the length change",
        META_V2, t, flags=["NoChecksum"])
    # first flip in file order that makes the block undecodable
    data_pos = None
    for pos in range(d1, d1 + n1):
        v = lz4_verdict(flip(f, pos, 0x80), t)
        if "decompressionFailed" in v or "ERROR_decompressionFailed" in v:
            data_pos = pos
            break
    add("n_bitflip_lz4_default_block_undecodable", flip(f, data_pos, 0x80), err("corrupt", "data"),
        "block byte %d xor 0x80: the block no longer decodes" % data_pos, META_V2, t)
    add("n_bitflip_lz4_content_size_field", flip(f, 6, 0x01), err("corrupt", "header"),
        "a bit of the content size field: the header checksum no longer matches", META_V2, t)
    add("n_bitflip_lz4_flg_content_checksum_bit", flip(f, 4, 0x04), err("corrupt", "header"),
        "FLG content-checksum bit set by a flip: the header checksum no longer matches", META_V2, t)
    add("n_bitflip_lz4_magic", flip(f, 0, 0x01), err("corrupt", "bad_magic"), "first magic byte 04 -> 05", META_V2, t)
    add("n_bitflip_lz4_end_mark", flip(f, info["end_off"], 0x01), err("corrupt", "truncated"),
        "end mark 00000000 -> 01000000: read as a 1-byte block that is not there", META_V2, t)
    return out
