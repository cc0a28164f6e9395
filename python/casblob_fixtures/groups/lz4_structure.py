"""Lz4Structure: lz4 frame format features and misuses inside v2 payloads (concatenated and
skippable frames, legacy format, header fields, block limits, trailing bytes)."""

import struct

from casblob_fixtures.builders import gzip_member, lz4_descriptor, lz4_frame, lz4_parse, skippable, xxh32
from casblob_fixtures.case import Case, META_V2, err, ok
from casblob_fixtures.payloads import KIB, float64_smooth, small_dict, text
from casblob_fixtures.producers import lz4_cli, python_lz4

TYPE = "Lz4Structure"
COMMENT = "lz4 frame format structure: concatenated and skippable frames, legacy format, header fields, block limits, trailing bytes"


def set_flg_bd(frame: bytes, flg: int | None = None, bd: int | None = None) -> bytes:
    """Rewrites FLG/BD of a frame and recomputes the header checksum."""
    info = lz4_parse(frame)
    b = bytearray(frame)
    if flg is not None:
        b[4] = flg
    if bd is not None:
        b[5] = bd
    hl = info["header_len"]
    b[hl - 1] = (xxh32(bytes(b[4:hl - 1])) >> 8) & 0xFF
    return bytes(b)


def cases():
    out = []
    d = small_dict()
    t = text(8 * KIB)
    a, b = t[:5000], t[5000:]

    def add(name, blob, strict, comment, content=d, flags=(), producer="handcrafted"):
        out.append(Case(name, comment, blob, META_V2, content, strict, producer=producer, flags=list(flags)))

    add("y_lz4_two_frames_concatenated", python_lz4(a) + python_lz4(b), ok(),
        "two python-lz4 default frames back to back (`cat a.lz4 b.lz4`); the lz4 CLI outputs both contents",
        content=t, flags=["ConcatenatedFrames"])
    add("y_lz4_three_frames_mixed_options", python_lz4(t[:100]) + lz4_cli(t[100:3000]) + lz4_frame(t[3000:], content_checksum=True, block_checksum=True), ok(),
        "three frames: python-lz4 defaults, lz4 CLI, handcrafted with both checksums", content=t, flags=["ConcatenatedFrames"])
    add("y_lz4_empty_frame_then_frame", python_lz4(b"") + python_lz4(t), ok(),
        "an empty-content frame, then the real frame: a first-frame-only reader returns b''", content=t, flags=["ConcatenatedFrames"])
    add("y_lz4_skippable_first", skippable(b"metadata") + python_lz4(d), ok(),
        "a skippable frame (magic 0x184D2A50, 8 bytes) before the data frame", flags=["SkippableFrame"])
    add("y_lz4_skippable_middle", python_lz4(a) + skippable(b"index", 3) + python_lz4(b), ok(),
        "frame, skippable frame (magic 0x184D2A53), frame", content=t, flags=["SkippableFrame", "ConcatenatedFrames"])
    add("y_lz4_skippable_last", python_lz4(d) + skippable(b"\0" * 16, 0xF), ok(),
        "data frame then a skippable frame (magic 0x184D2A5F) as trailer", flags=["SkippableFrame"])
    add("y_lz4_skippable_empty_first", skippable(b"") + python_lz4(d), ok(),
        "a skippable frame with size 0 before the data frame", flags=["SkippableFrame"])
    add("i_lz4_skippable_only", skippable(b"nothing here"), ok(),
        "a payload that is only a skippable frame: empty output under the strict rules (the lz4 CLI also outputs nothing)",
        content=b"", flags=["SkippableFrame"])
    add("n_lz4_skippable_size_past_end", struct.pack("<II", 0x184D2A50, 1000) + b"short", err("corrupt", "truncated"),
        "a skippable frame whose size field runs past the end of the payload, nothing else", flags=["SkippableFrame"])
    add("n_lz4_legacy_format", lz4_cli(d, "-l"), err("corrupt", "bad_magic"),
        "`lz4 -l` legacy format (magic 02 21 4C 18) under a v2 sidecar", producer="lz4-cli", flags=["LegacyLz4"])
    f = python_lz4(d)
    add("n_lz4_trailing_garbage", f + b"garbage!", err("corrupt", "trailing_data"),
        "8 ASCII bytes after the frame: python-lz4 ignores everything after the first frame", flags=["TrailingData"])
    add("n_lz4_trailing_zero_bytes", f + bytes(16), err("corrupt", "trailing_data"),
        "16 NUL bytes after the frame (unlike gzip, lz4 has no padding rule)", flags=["TrailingData", "Padding"])
    add("n_lz4_trailing_newline", f + b"\n", err("corrupt", "trailing_data"), "a newline after the frame", flags=["TrailingData"])
    add("n_lz4_trailing_gzip_member", f + gzip_member(b"x"), err("corrupt", "trailing_data"), "a gzip member after the frame", flags=["TrailingData"])
    add("n_lz4_trailing_legacy_frame", f + lz4_cli(b"x", "-l"), err("corrupt", "trailing_data"),
        "a legacy-format lz4 frame after the frame", flags=["TrailingData", "LegacyLz4"])
    # header fields (header checksum recomputed so only the named field is wrong)
    flg = f[4]
    add("n_lz4_version_00", set_flg_bd(f, flg=flg & 0x3F), err("corrupt", "header"), "FLG version bits 00 (must be 01)", flags=["ReservedBits"])
    add("n_lz4_version_11", set_flg_bd(f, flg=flg | 0xC0), err("corrupt", "header"), "FLG version bits 11 (must be 01)", flags=["ReservedBits"])
    add("n_lz4_flg_reserved_bit1", set_flg_bd(f, flg=flg | 0x02), err("corrupt", "header"), "FLG reserved bit 1 set", flags=["ReservedBits"])
    add("n_lz4_bd_reserved_bit7", set_flg_bd(f, bd=f[5] | 0x80), err("corrupt", "header"), "BD reserved bit 7 set", flags=["ReservedBits"])
    add("n_lz4_bd_reserved_low_bits", set_flg_bd(f, bd=f[5] | 0x0F), err("corrupt", "header"), "BD reserved bits 0-3 set", flags=["ReservedBits"])
    for bid in (0, 3):
        add("n_lz4_block_max_id_%d" % bid, set_flg_bd(f, bd=bid << 4), err("corrupt", "header"),
            "block maximum size id %d (only 4..7 are defined)" % bid)
    add("n_lz4_dict_id_present", lz4_frame(d, dict_id=0x12345678), err("corrupt", "header"),
        "dictionary id flag set (id 0x12345678) although the blocks need no dictionary; the spec forbids dictionaries")
    add("y_lz4_linked_flag_on_independent_blocks", lz4_frame(t, chunks=[t[:3000], t[3000:]], independent=False), ok(),
        "block independence flag cleared while every block is self-contained: linked decoding gives the same bytes", content=t, flags=["LinkedBlocks"])
    lc = float64_smooth(9000)
    linked = python_lz4(lc)
    add("n_lz4_linked_blocks_marked_independent", set_flg_bd(linked, flg=linked[4] | 0x20), err("corrupt", "data"),
        "python-lz4 linked 64 KB blocks with the independence flag set: the second block refers back into the first",
        content=lc, flags=["LinkedBlocks"])
    big = bytes(range(256)) * 257  # 65792 bytes
    add("n_lz4_uncompressed_block_larger_than_max", lz4_frame(big, chunks=[big], uncompressed=True), err("corrupt", "data"),
        "one uncompressed block of 65792 bytes in a frame whose block maximum is 64 KB", content=big)
    add("n_lz4_compressed_block_expands_past_max", lz4_frame(bytes(70000), chunks=[bytes(70000)]), err("corrupt", "data"),
        "one compressed block that decodes to 70000 bytes in a frame whose block maximum is 64 KB", content=bytes(70000))
    bad = lz4_descriptor(content_size=len(d)) + struct.pack("<I", 4) + b"\x10A\x00\x00" + b"\0\0\0\0"
    add("n_lz4_block_invalid_offset_zero", bad, err("corrupt", "data"),
        "a compressed block: one literal, then a match with offset 0 (invalid)", flags=["BlockError"])
    bad = lz4_descriptor(content_size=len(d)) + struct.pack("<I", 4) + b"\x10A\x10\x00" + b"\0\0\0\0"
    add("n_lz4_block_offset_before_start", bad, err("corrupt", "data"),
        "a compressed block: one literal, then a match 16 bytes back (before the start of output)", flags=["BlockError"])
    add("i_lz4_uncompressed_block_length_zero", lz4_descriptor() + struct.pack("<I", 0x80000000) + b"\0\0\0\0", ok(),
        "an uncompressed block of length 0 (size field 0x80000000) then the end mark: nothing in the format forbids it; decodes to nothing", content=b"")
    return out
