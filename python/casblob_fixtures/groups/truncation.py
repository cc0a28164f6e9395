"""Truncation: payloads cut inside each region of a gzip member and of an lz4 frame."""

from casblob_fixtures.builders import gzip_header_len, gzip_member, lz4_frame, lz4_parse
from casblob_fixtures.case import Case, META_V1, META_V2, err
from casblob_fixtures.payloads import KIB, float64_smooth, small_dict, text
from casblob_fixtures.producers import lz4_cli, python_gzip, python_lz4

TYPE = "Truncation"
COMMENT = "payloads that end early: every region of a gzip member and of an lz4 frame"

T = err("corrupt", "truncated")


def cases():
    out = []
    t = text(8 * KIB)

    def add(name, blob, comment, sidecar, content=t, flags=(), producer="handcrafted"):
        out.append(Case(name, comment, blob, sidecar, content, T, producer=producer, flags=["Truncated", *flags]))

    g = python_gzip(t)
    h = gzip_header_len(g)
    add("n_trunc_gzip_magic_only", g[:2], "only the 2 magic bytes of a v1 blob", META_V1)
    add("n_trunc_gzip_header_5_bytes", g[:5], "cut inside the 10-byte fixed header (MTIME)", META_V1)
    add("n_trunc_gzip_header_complete_no_data", g[:10], "the fixed header, then nothing", META_V1)
    gn = gzip_member(t, name=b"artifact.pkl", extra=b"AP\x04\x00abcd", hcrc=True)
    add("n_trunc_gzip_header_in_fextra", gn[:14], "cut inside FEXTRA", META_V1, flags=["FEXTRA"])
    add("n_trunc_gzip_header_in_fname", gn[:24], "cut inside FNAME (no terminating NUL)", META_V1, flags=["FNAME"])
    add("n_trunc_gzip_header_in_fhcrc", gn[:gzip_header_len(gn) - 1], "cut inside FHCRC", META_V1, flags=["FHCRC"])
    add("n_trunc_gzip_deflate_first_byte", g[:h + 1], "header and the first deflate byte", META_V1)
    add("n_trunc_gzip_deflate_half", g[:h + (len(g) - h - 8) // 2], "cut in the middle of the deflate stream", META_V1)
    add("n_trunc_gzip_deflate_last_byte_missing", g[:-9], "deflate stream missing its last byte, no trailer", META_V1)
    add("n_trunc_gzip_trailer_missing", g[:-8], "deflate stream complete, CRC32 and ISIZE missing", META_V1)
    add("n_trunc_gzip_trailer_crc_partial", g[:-6], "2 bytes of CRC32, no ISIZE", META_V1)
    add("n_trunc_gzip_trailer_isize_partial", g[:-1], "last byte of ISIZE missing", META_V1)
    add("n_trunc_gzip_deflate_half_no_sidecar", g[:len(g) // 2], "cut in the middle of the deflate stream, no sidecar", None, flags=["NoSidecar"])
    two = gzip_member(t[:4000]) + gzip_member(t[4000:])
    add("n_trunc_gzip_second_member_half", two[: len(two) - 200], "two members, the second cut 200 bytes before its end", META_V1, flags=["MultiMember"])
    e = python_gzip(b"")
    add("n_trunc_gzip_empty_content_trailer_missing", e[:-8], "gzip of empty content without its trailer", META_V1, content=b"")

    # lz4: python-lz4 defaults on 72000 bytes = two linked blocks, content size, no checksums
    c = float64_smooth(9000)  # 72000 bytes: two linked blocks (64 KiB + 6464 bytes)
    f = python_lz4(c)
    i = lz4_parse(f)
    (s1, d1, n1, _), (s2, d2, n2, _) = i["blocks"]
    add("n_trunc_lz4_magic_2_bytes", f[:2], "2 of the 4 magic bytes", META_V2, content=c)
    add("n_trunc_lz4_magic_only", f[:4], "the magic number, no frame descriptor", META_V2, content=c)
    add("n_trunc_lz4_descriptor_flg_only", f[:5], "magic and FLG only", META_V2, content=c)
    add("n_trunc_lz4_descriptor_in_content_size", f[:10], "cut inside the 8-byte content size", META_V2, content=c)
    add("n_trunc_lz4_descriptor_before_hc", f[:i["header_len"] - 1], "descriptor complete but the header checksum byte", META_V2, content=c)
    add("n_trunc_lz4_header_only", f[:i["header_len"]], "frame header, no block", META_V2, content=c)
    add("n_trunc_lz4_block_size_partial", f[:s1 + 2], "2 of the 4 bytes of the first block size", META_V2, content=c)
    add("n_trunc_lz4_block_data_half", f[:d1 + n1 // 2], "cut in the middle of the first block's data", META_V2, content=c)
    add("n_trunc_lz4_block_data_last_byte_missing", f[:d2 + n2 - 1], "second (last) block missing its last byte", META_V2, content=c)
    add("n_trunc_lz4_second_block_missing", f[:s2], "cut right after the first block", META_V2, content=c)
    add("n_trunc_lz4_end_mark_missing", f[:i["end_off"]], "all blocks, no end mark", META_V2, content=c)
    add("n_trunc_lz4_end_mark_partial", f[:i["end_off"] + 2], "2 of the 4 end-mark bytes", META_V2, content=c)
    fns = python_lz4(c, store_size=False)
    add("n_trunc_lz4_no_content_size_end_mark_missing", fns[:lz4_parse(fns)["end_off"]],
        "frame without content size: all blocks, no end mark", META_V2, content=c, flags=["NoContentSize"])
    fb = python_lz4(c, block_checksum=True)
    ib = lz4_parse(fb)
    s, dd, n, _ = ib["blocks"][0]
    add("n_trunc_lz4_block_checksum_partial", fb[:dd + n + 2], "block checksums on: cut inside the first block's checksum", META_V2, content=c, flags=["BlockChecksum"])
    fc = python_lz4(c, content_checksum=True)
    add("n_trunc_lz4_content_checksum_missing", fc[:-4], "content checksum flag set, checksum missing", META_V2, content=c, flags=["ContentChecksum"])
    add("n_trunc_lz4_content_checksum_partial", fc[:-1], "last byte of the content checksum missing", META_V2, content=c, flags=["ContentChecksum"])
    cli = lz4_cli(c)
    add("n_trunc_lz4_cli_content_checksum_missing", cli[:-4], "lz4 CLI frame (no content size) without its content checksum", META_V2, content=c, flags=["ContentChecksum", "NoContentSize"])
    f1, f2 = python_lz4(c[:50000]), python_lz4(c[50000:])
    add("n_trunc_lz4_second_frame_half", f1 + f2[: len(f2) // 2], "two frames, the second cut in half", META_V2, content=c, flags=["ConcatenatedFrames"])
    d = small_dict()
    fd = lz4_frame(d, store_size=False)
    add("n_trunc_lz4_small_no_content_size_end_mark_missing", fd[:-4], "handcrafted single-block frame without content size and without end mark", META_V2, content=d, flags=["NoContentSize"])
    return out
