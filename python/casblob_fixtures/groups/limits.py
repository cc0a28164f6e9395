"""Limits: decompression bombs and the strict reader's per-call output limit (maxSize)."""

from casblob_fixtures.builders import gzip_member
from casblob_fixtures.case import Case, META_V1, META_V2, err, ok
from casblob_fixtures.payloads import KIB, MIB, text
from casblob_fixtures.producers import python_gzip, python_lz4

TYPE = "Limits"
COMMENT = "output limits: the strict reader stops at maxSize (other profiles ignore maxSize)"


def cases():
    out = []
    z = bytes(16 * MIB)
    t = text(16 * KIB)

    def add(name, blob, sidecar, content, strict, max_size, comment, flags=(), producer="python-gzip"):
        out.append(Case(name, comment, blob, sidecar, content, strict, producer=producer, flags=list(flags), max_size=max_size))

    add("n_limit_gzip_bomb_16mib_zeros", python_gzip(z, level=9), META_V1, z, err("limit_exceeded"), MIB,
        "16 MiB of zeros in a ~16 KB gzip member (level 9), maxSize 1 MiB: the strict reader stops early; legacy readers inflate it all",
        flags=["DecompressionBomb"])
    z4 = bytes(4 * MIB)
    add("n_limit_lz4_bomb_4mib_zeros", python_lz4(z4), META_V2, z4, err("limit_exceeded"), MIB,
        "4 MiB of zeros in a ~16 KB python-lz4 frame (lz4 cannot exceed a ratio of about 1:255), maxSize 1 MiB", flags=["DecompressionBomb"], producer="python-lz4")
    add("n_limit_gzip_bomb_no_sidecar", python_gzip(z, level=9), None, z, err("limit_exceeded"), MIB,
        "the gzip bomb without a sidecar", flags=["DecompressionBomb", "NoSidecar"])
    mm = b"".join(gzip_member(bytes(MIB), level=9) for _ in range(4))
    add("n_limit_gzip_bomb_multi_member", mm, META_V1, bytes(4 * MIB), err("limit_exceeded"), 3 * MIB,
        "four members of 1 MiB of zeros each, maxSize 3 MiB: the limit counts the total over all members",
        flags=["DecompressionBomb", "MultiMember"])
    add("y_limit_exactly_max_size_v1", python_gzip(t), META_V1, t, ok(), len(t), "decoded size equals maxSize (16384): allowed")
    add("n_limit_one_over_max_size_v1", python_gzip(t), META_V1, t, err("limit_exceeded"), len(t) - 1, "decoded size maxSize + 1")
    add("y_limit_exactly_max_size_v2", python_lz4(t), META_V2, t, ok(), len(t), "decoded size equals maxSize (16384): allowed", producer="python-lz4")
    add("n_limit_one_over_max_size_v2", python_lz4(t), META_V2, t, err("limit_exceeded"), len(t) - 1, "decoded size maxSize + 1", producer="python-lz4")
    add("n_limit_one_over_max_size_raw", t, b'{"cas_raw": true, "cas_version": 1}', t, err("limit_exceeded"), len(t) - 1,
        "raw blob one byte longer than maxSize: the limit applies to raw blobs too", flags=["RawBlob"], producer="python-raw")
    add("y_limit_empty_content_max_size_0", python_gzip(b""), META_V1, b"", ok(), 0, "empty content with maxSize 0")
    add("n_limit_max_size_0_one_byte", python_lz4(b"x"), META_V2, b"x", err("limit_exceeded"), 0, "one byte of content with maxSize 0", producer="python-lz4")
    return out
