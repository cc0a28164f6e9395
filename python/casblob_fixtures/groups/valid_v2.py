"""ValidV2: blobs as Metaflow PR #3090 writes them (lz4.frame.compress defaults, sidecar
cas_version 2), the other python-lz4 options, and the lz4 CLI 1.9.4."""

import lz4.frame as F

from casblob_fixtures.builders import lz4_frame
from casblob_fixtures.case import Case, META_V2, ok
from casblob_fixtures.payloads import (KIB, MIB, float64_normal, float64_smooth, metrics_dict, random_bytes,
                                       small_dict, text, utf8_text)
from casblob_fixtures.producers import lz4_cli, python_lz4

TYPE = "ValidV2"
COMMENT = "v2 blobs: lz4 frames from python-lz4 (PR #3090 writes the defaults), the lz4 CLI and handcrafted frames, sidecar cas_version 2"

BLOCK = {"64kb": F.BLOCKSIZE_MAX64KB, "256kb": F.BLOCKSIZE_MAX256KB, "1mb": F.BLOCKSIZE_MAX1MB, "4mb": F.BLOCKSIZE_MAX4MB}


def cases():
    out = []

    def py(name, content, comment, flags=(), **kw):
        f = ["PR3090Writer"] if not kw else list(flags)
        out.append(Case(name, comment, python_lz4(content, **kw), META_V2, content, ok(),
                        producer="python-lz4", flags=f))

    py("y_v2_python_lz4_default_small_dict", small_dict(), "lz4.frame.compress defaults (PR #3090): level 0, 64 KB blocks, content size, no checksums; single block so the frame is marked independent")
    py("y_v2_python_lz4_default_metrics_dict", metrics_dict(), "pickled metrics dict")
    py("y_v2_python_lz4_default_float64_normal_1k", float64_normal(1000), "1000 float64 from numpy's seeded normal generator")
    py("y_v2_python_lz4_default_text_16k", text(16 * KIB), "16 KiB of log text")
    py("y_v2_python_lz4_default_utf8_text", utf8_text(), "UTF-8 text with multi-byte characters")
    py("y_v2_python_lz4_default_empty", b"", "empty content: python-lz4 leaves the content size out (liblz4 uses 0 for 'unknown'), so header and end mark only")
    py("y_v2_python_lz4_default_one_byte", b"\x2a", "one byte of content")
    for n, tag in ((64 * KIB - 1, "64k_minus_1"), (64 * KIB, "64k"), (64 * KIB + 1, "64k_plus_1")):
        py("y_v2_python_lz4_default_text_" + tag, text(n, seed=n), "%d bytes of log text (64 KiB boundary; above it two linked blocks)" % n)
    py("y_v2_python_lz4_default_random_64k", random_bytes(64 * KIB, seed=64 * KIB), "65536 seeded random bytes: exactly one full uncompressed block")
    py("y_v2_python_lz4_default_random_64k_plus_1", random_bytes(64 * KIB + 1, seed=64 * KIB + 1), "65537 seeded random bytes: a full uncompressed block, then a 1-byte block")
    py("y_v2_python_lz4_default_float64_smooth_4mib", float64_smooth(512 * KIB), "multi-MB case: 4 MiB of a smooth float64 signal, 64 linked 64 KB blocks")

    big = float64_smooth(160 * KIB)  # 1.25 MiB: several blocks at every block size but 4 MB
    mid = float64_smooth(40 * KIB)  # 320 KiB: five 64 KB blocks
    py("y_v2_python_lz4_content_checksum", mid, "content_checksum=True (XXH32 of the content after the end mark)", flags=["ContentChecksum"], content_checksum=True)
    py("y_v2_python_lz4_block_checksum", mid, "block_checksum=True (XXH32 after every block)", flags=["BlockChecksum"], block_checksum=True)
    py("y_v2_python_lz4_both_checksums", mid, "content_checksum=True and block_checksum=True", flags=["ContentChecksum", "BlockChecksum"], content_checksum=True, block_checksum=True)
    py("y_v2_python_lz4_independent_blocks", mid, "block_linked=False: 5 independent 64 KB blocks", flags=["IndependentBlocks"], block_linked=False)
    py("y_v2_python_lz4_linked_blocks_explicit", mid, "block_linked=True given explicitly: 5 linked 64 KB blocks", flags=["LinkedBlocks"], block_linked=True)
    for tag, bs in BLOCK.items():
        py("y_v2_python_lz4_block_size_" + tag, big, "block_size=BLOCKSIZE_MAX%s on 1.25 MiB of content" % tag.upper(), flags=["BlockSize"], block_size=bs)
    py("y_v2_python_lz4_no_content_size", small_dict(), "store_size=False: no content size field", flags=["NoContentSize"], store_size=False)
    py("y_v2_python_lz4_level9_hc", text(64 * KIB), "compression_level=9 (LZ4HC)", flags=["NonDefaultLevel"], compression_level=9)
    py("y_v2_python_lz4_level16_max", text(16 * KIB), "compression_level=16 (LZ4HC maximum)", flags=["NonDefaultLevel"], compression_level=16)
    py("y_v2_python_lz4_level_minus1_fast", text(16 * KIB), "compression_level=-1 (fast acceleration)", flags=["NonDefaultLevel"], compression_level=-1)
    py("y_v2_python_lz4_zeros_1mib", bytes(MIB), "1 MiB of zero bytes", flags=[])

    def cli(name, content, comment, *args, flags=()):
        out.append(Case(name, comment, lz4_cli(content, *args), META_V2, content, ok(),
                        producer="lz4-cli", flags=["Lz4Cli", *flags]))

    cli("y_v2_lz4_cli_default_small_dict", small_dict(), "`lz4 -c` 1.9.4 from stdin: level 1, independent blocks, content checksum, no content size; the CLI sized the block maximum to the input (64 KB)", flags=["ContentChecksum"])
    cli("y_v2_lz4_cli_default_text_64k_plus_1", text(64 * KIB + 1, seed=64 * KIB + 1), "`lz4 -c` 1.9.4 on 65537 bytes of text: block maximum 256 KB chosen by the CLI", flags=["ContentChecksum"])
    cli("y_v2_lz4_cli_level9", text(64 * KIB), "`lz4 -9 -c` (HC)", "-9", flags=["ContentChecksum", "NonDefaultLevel"])
    cli("y_v2_lz4_cli_content_size", small_dict(), "`lz4 --content-size -c` fed from a pipe: the size is unknown, so the CLI stores no content size even when asked", "--content-size", flags=["ContentChecksum"])
    cli("y_v2_lz4_cli_block_dependent_64kb", mid, "`lz4 -BD -B4 -c`: linked 64 KB blocks", "-BD", "-B4", flags=["ContentChecksum", "LinkedBlocks", "BlockSize"])
    cli("y_v2_lz4_cli_block_checksum", mid, "`lz4 -BX -B4 -c`: block checksums", "-BX", "-B4", flags=["ContentChecksum", "BlockChecksum", "BlockSize"])
    cli("y_v2_lz4_cli_no_frame_crc", small_dict(), "`lz4 --no-frame-crc -c`: no content checksum", "--no-frame-crc")
    cli("y_v2_lz4_cli_block_size_256kb", big, "`lz4 -B5 -c`: 256 KB independent blocks", "-B5", flags=["ContentChecksum", "BlockSize"])
    cli("y_v2_lz4_cli_empty", b"", "`lz4 -c` of empty input", flags=["ContentChecksum"])

    def hand(name, content, comment, flags=(), **kw):
        out.append(Case(name, comment, lz4_frame(content, **kw), META_V2, content, ok(),
                        producer="handcrafted", flags=list(flags)))

    hand("y_v2_handcrafted_uncompressed_blocks", text(16 * KIB), "four 4 KiB blocks, each stored uncompressed (block size high bit set) although compressible", flags=["UncompressedBlock"], uncompressed=True, chunks=[text(16 * KIB)[i:i + 4 * KIB] for i in range(0, 16 * KIB, 4 * KIB)])
    hand("y_v2_handcrafted_empty_frame_no_content_size", b"", "empty content: header without content size, end mark only", store_size=False)
    hand("y_v2_handcrafted_all_checksums_4mb_blocks", text(10 * KIB), "content size, block checksums, content checksum and 4 MB max block size together", flags=["ContentChecksum", "BlockChecksum", "BlockSize"], block_max_id=7, block_checksum=True, content_checksum=True)
    hand("y_v2_handcrafted_short_blocks", text(20 * KIB), "independent blocks much shorter than the 64 KB maximum (1000 bytes each): a writer may cut blocks anywhere", chunks=[text(20 * KIB)[i:i + 1000] for i in range(0, 20 * KIB, 1000)])
    return out
