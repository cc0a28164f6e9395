"""GzipStructure: RFC 1952 features and misuses inside v1 payloads (multi-member, optional header
fields, FHCRC, reserved bits, padding, trailing bytes)."""

from casblob_fixtures.builders import GZIP_MAGIC, gzip_member
from casblob_fixtures.case import Case, META_V1, err, ok
from casblob_fixtures.payloads import KIB, small_dict, text
from casblob_fixtures.producers import zstd_cli

TYPE = "GzipStructure"
COMMENT = "gzip (RFC 1952) structure: members, optional header fields, padding, trailing bytes"


def cases():
    out = []
    d = small_dict()
    t = text(8 * KIB)

    def add(name, blob, strict, comment, content=d, flags=(), sidecar=META_V1):
        out.append(Case(name, comment, blob, sidecar, content, strict, producer="handcrafted", flags=list(flags)))

    # multi-member
    add("y_gzip_two_members", gzip_member(t[:3000]) + gzip_member(t[3000:]), ok(),
        "two members whose contents concatenate to the key's content (like `cat a.gz b.gz`)", content=t, flags=["MultiMember"])
    add("y_gzip_three_members_one_empty", gzip_member(t[:100]) + gzip_member(b"") + gzip_member(t[100:]), ok(),
        "three members, the middle one of empty content", content=t, flags=["MultiMember"])
    add("y_gzip_many_small_members", b"".join(gzip_member(t[i:i + 256]) for i in range(0, len(t), 256)), ok(),
        "32 members of 256 bytes each", content=t, flags=["MultiMember"])
    add("y_gzip_two_members_no_sidecar", gzip_member(t[:4000]) + gzip_member(t[4000:]), ok(),
        "two members, no sidecar", content=t, flags=["MultiMember", "NoSidecar"], sidecar=None)
    add("y_gzip_second_member_different_header", gzip_member(t[:5000]) + gzip_member(t[5000:], level=9, name=b"part2", os_byte=3, mtime=0), ok(),
        "second member at level 9 with FNAME, OS 3 and MTIME 0", content=t, flags=["MultiMember", "FNAME"])
    # optional header fields
    add("y_gzip_fextra", gzip_member(d, extra=b"AP\x04\x00test"), ok(), "FEXTRA with one 4-byte subfield 'AP'", flags=["FEXTRA"])
    add("y_gzip_fextra_empty", gzip_member(d, extra=b""), ok(), "FEXTRA with XLEN 0", flags=["FEXTRA"])
    add("y_gzip_fname", gzip_member(d, name=b"artifact.pkl"), ok(), "FNAME 'artifact.pkl'", flags=["FNAME"])
    add("y_gzip_fname_latin1", gzip_member(d, name="caf\u00e9.pkl".encode("latin-1")), ok(), "FNAME in ISO 8859-1 with a byte >= 0x80", flags=["FNAME"])
    add("y_gzip_fcomment", gzip_member(d, comment=b"written by casblob fixtures"), ok(), "FCOMMENT", flags=["FCOMMENT"])
    add("y_gzip_fhcrc_valid", gzip_member(d, hcrc=True), ok(), "FHCRC with the correct CRC16 of the header", flags=["FHCRC"])
    add("y_gzip_all_optional_fields", gzip_member(d, extra=b"XY\x02\x00ab", name=b"a.pkl", comment=b"c", hcrc=True, ftext=True), ok(),
        "FTEXT, FEXTRA, FNAME, FCOMMENT and a valid FHCRC together", flags=["FEXTRA", "FNAME", "FCOMMENT", "FHCRC"])
    add("y_gzip_ftext", gzip_member(d, ftext=True), ok(), "FTEXT set (a hint; binary content anyway)")
    add("y_gzip_os_unix_xfl_odd", gzip_member(d, os_byte=3, xfl=0x7F), ok(), "OS 3 and an unusual XFL: both informational")
    add("n_gzip_fhcrc_bad", gzip_member(d, hcrc=True, bad_hcrc=True), err("corrupt", "header"),
        "FHCRC present but wrong: Python reads the two bytes and never checks them", flags=["FHCRC", "IgnoredByPython"])
    add("n_gzip_fhcrc_bad_with_fname", gzip_member(d, name=b"artifact.pkl", hcrc=True, bad_hcrc=True), err("corrupt", "header"),
        "FNAME then a wrong FHCRC", flags=["FHCRC", "FNAME", "IgnoredByPython"])
    for bit in (5, 6, 7):
        add("n_gzip_reserved_flag_bit%d" % bit, gzip_member(d, reserved=1 << bit), err("corrupt", "header"),
            "reserved FLG bit %d set: RFC 1952 says a reader must give an error; Python ignores it" % bit,
            flags=["ReservedBits", "IgnoredByPython"])
    add("n_gzip_reserved_flag_bits_all", gzip_member(d, reserved=0xE0), err("corrupt", "header"),
        "all three reserved FLG bits set", flags=["ReservedBits", "IgnoredByPython"])
    add("n_gzip_cm_7", gzip_member(d, cm=7), err("corrupt", "header"), "CM 7 (reserved) instead of 8 (deflate)")
    add("n_gzip_cm_0", gzip_member(d, cm=0), err("corrupt", "header"), "CM 0 instead of 8")
    # padding and trailing bytes
    m = gzip_member(d)
    add("y_gzip_zero_padding_1", m + b"\0", ok(), "one NUL byte after the member (tape-block padding)", flags=["Padding"])
    add("y_gzip_zero_padding_512", m + bytes(512 - len(m) % 512), ok(), "NUL padding to a 512-byte boundary", flags=["Padding"])
    add("i_gzip_zero_padding_between_members", gzip_member(t[:4000]) + bytes(16) + gzip_member(t[4000:]), ok(),
        "NUL padding between two members: Python skips it and reads the next member; GNU gzip only accepts padding at the end",
        content=t, flags=["Padding", "MultiMember"])
    add("n_gzip_trailing_garbage", m + b"garbage!", err("corrupt", "trailing_data"), "8 ASCII bytes after the member", flags=["TrailingData"])
    add("n_gzip_trailing_one_byte", m + b"\x01", err("corrupt", "trailing_data"), "one 0x01 byte after the member", flags=["TrailingData"])
    add("n_gzip_trailing_after_padding", m + bytes(4) + b"\xff", err("corrupt", "trailing_data"), "NUL padding then a non-NUL byte", flags=["TrailingData", "Padding"])
    add("n_gzip_trailing_magic_only", m + GZIP_MAGIC, err("corrupt", "truncated"),
        "a second member that ends right after its magic", flags=["TrailingData", "MultiMember"])
    add("n_gzip_trailing_newline", m + b"\n", err("corrupt", "trailing_data"), "a newline after the member (a text-mode copy)", flags=["TrailingData"])
    add("n_gzip_trailing_zstd_frame", m + zstd_cli(b"x" * 64, "-3"), err("corrupt", "trailing_data"),
        "a zstd frame (zstd CLI) after the member", flags=["TrailingData"])
    # deflate flavours
    add("n_gzip_deflate_reserved_block_type", gzip_member(d, deflated=b"\x07\x00"), err("corrupt", "data"),
        "deflate block type 3 (reserved); CRC32/ISIZE are those of the content", flags=["DeflateError"])
    add("n_gzip_deflate_stored_len_nlen_mismatch", gzip_member(b"abc", deflated=b"\x01\x03\x00\x00\x00abc"), err("corrupt", "data"),
        "stored deflate block whose NLEN is not the complement of LEN", content=b"abc", flags=["DeflateError"])
    add("y_gzip_deflate_stored_block_handmade", gzip_member(b"abc", deflated=b"\x01\x03\x00\xfc\xffabc"), ok(),
        "a hand-made stored deflate block", content=b"abc")
    add("y_gzip_deflate_fixed_huffman_empty_then_stored", gzip_member(b"abc", deflated=b"\x02\x04\x03\x00\xfc\xffabc"), ok(),
        "an empty non-final fixed-Huffman block, then a final stored block", content=b"abc")
    return out
