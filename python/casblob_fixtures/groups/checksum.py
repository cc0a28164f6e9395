"""Checksum: integrity fields that disagree with the data (CRC32, ISIZE, lz4 header, block and
content checksums, content size)."""

import struct

from casblob_fixtures.builders import flip, gzip_member, lz4_parse, xxh32
from casblob_fixtures.case import Case, META_V1, META_V2, err
from casblob_fixtures.payloads import KIB, float64_smooth, small_dict, text
from casblob_fixtures.producers import lz4_cli, python_gzip, python_lz4

TYPE = "Checksum"
COMMENT = "integrity fields that do not match the data"


def set_content_size(frame: bytes, size: int) -> bytes:
    assert frame[4] & 0x08
    hl = lz4_parse(frame)["header_len"]
    b = bytearray(frame)
    b[6:14] = struct.pack("<Q", size)
    b[hl - 1] = (xxh32(bytes(b[4:hl - 1])) >> 8) & 0xFF
    return bytes(b)


def cases():
    out = []
    t = text(8 * KIB)
    d = small_dict()

    def add(name, blob, strict, comment, sidecar, content=t, flags=(), producer="handcrafted"):
        out.append(Case(name, comment, blob, sidecar, content, strict, producer=producer, flags=["ChecksumError", *flags]))

    g = python_gzip(t)
    crc_off, isize_off = len(g) - 8, len(g) - 4
    add("n_checksum_gzip_crc32_bit_flipped", flip(g, crc_off), err("corrupt", "checksum"), "CRC32 with its lowest bit flipped", META_V1)
    add("n_checksum_gzip_crc32_zero", g[:crc_off] + b"\0\0\0\0" + g[isize_off:], err("corrupt", "checksum"), "CRC32 written as 0", META_V1)
    add("n_checksum_gzip_isize_plus_1", g[:isize_off] + struct.pack("<I", len(t) + 1), err("corrupt", "size_mismatch"), "ISIZE one more than the content size", META_V1)
    add("n_checksum_gzip_isize_zero", g[:isize_off] + b"\0\0\0\0", err("corrupt", "size_mismatch"), "ISIZE written as 0", META_V1)
    add("n_checksum_gzip_crc32_and_isize_wrong", g[:crc_off] + b"\1\2\3\4\5\6\7\x08", err("corrupt", "checksum"),
        "both trailer fields wrong: CRC32 is checked first", META_V1)
    add("n_checksum_gzip_crc32_wrong_no_sidecar", flip(g, crc_off + 3, 0x80), err("corrupt", "checksum"), "CRC32 high bit flipped, no sidecar", None, flags=["NoSidecar"])
    two = gzip_member(t[:4000]) + gzip_member(t[4000:], crc=0xDEADBEEF)
    add("n_checksum_gzip_second_member_crc32", two, err("corrupt", "checksum"), "two members, the second with a wrong CRC32", META_V1, flags=["MultiMember"])
    e = python_gzip(b"")
    add("n_checksum_gzip_empty_content_isize_1", e[:-4] + b"\1\0\0\0", err("corrupt", "size_mismatch"), "gzip of empty content whose ISIZE says 1", META_V1, content=b"")

    f = python_lz4(d)
    hl = lz4_parse(f)["header_len"]
    add("n_checksum_lz4_header_checksum_wrong", flip(f, hl - 1), err("corrupt", "header"), "python-lz4 default frame with a wrong header checksum byte", META_V2, content=d)
    cli = lz4_cli(d)
    add("n_checksum_lz4_header_checksum_wrong_cli", flip(cli, lz4_parse(cli)["header_len"] - 1, 0x80), err("corrupt", "header"), "lz4 CLI frame with a wrong header checksum byte", META_V2, content=d, flags=["Lz4Cli"])
    c = float64_smooth(9000)  # 72000 bytes: two 64 KB blocks
    fb = python_lz4(c, block_checksum=True)
    ib = lz4_parse(fb)
    s, dd, n, _ = ib["blocks"][0]
    add("n_checksum_lz4_block_checksum_wrong_first", flip(fb, dd + n), err("corrupt", "checksum"), "block checksums on, the first block's checksum wrong", META_V2, content=c, flags=["BlockChecksum"])
    s, dd, n, _ = ib["blocks"][1]
    add("n_checksum_lz4_block_checksum_wrong_last", flip(fb, dd + n + 3, 0x10), err("corrupt", "checksum"), "block checksums on, the last block's checksum wrong", META_V2, content=c, flags=["BlockChecksum"])
    fc = python_lz4(c, content_checksum=True)
    add("n_checksum_lz4_content_checksum_wrong", flip(fc, len(fc) - 4), err("corrupt", "checksum"), "content checksum with a bit flipped", META_V2, content=c, flags=["ContentChecksum"])
    add("n_checksum_lz4_content_checksum_wrong_cli", flip(cli, len(cli) - 1, 0x40), err("corrupt", "checksum"), "lz4 CLI frame with a wrong content checksum", META_V2, content=d, flags=["ContentChecksum", "Lz4Cli"])
    add("n_checksum_lz4_content_size_plus_1", set_content_size(f, len(d) + 1), err("corrupt", "size_mismatch"), "content size field one more than the content (header checksum recomputed)", META_V2, content=d)
    add("n_checksum_lz4_content_size_minus_1", set_content_size(f, len(d) - 1), err("corrupt", "size_mismatch"), "content size field one less than the content (header checksum recomputed)", META_V2, content=d)
    add("n_checksum_lz4_content_size_zero", set_content_size(f, 0), err("corrupt", "size_mismatch"), "content size field 0 on a non-empty frame (header checksum recomputed)", META_V2, content=d)
    add("n_checksum_lz4_content_size_2gib", set_content_size(f, 1 << 31), err("corrupt", "size_mismatch"),
        "content size field 2 GiB on a 90-byte content: a reader that preallocates the declared size allocates 2 GiB", META_V2, content=d, flags=["DecompressionBomb"])
    f2 = python_lz4(c)
    add("n_checksum_lz4_content_size_plus_1_multiblock", set_content_size(f2, len(c) + 1), err("corrupt", "size_mismatch"), "two-block frame whose content size is one too many", META_V2, content=c)
    return out
