"""Raw: cas_raw true blobs, stored as-is under v1 and v2 sidecars (and edge versions)."""

from casblob_fixtures.builders import lz4_frame
from casblob_fixtures.case import Case, META_RAW_V1, META_RAW_V2, err, ok
from casblob_fixtures.payloads import KIB, random_bytes, small_dict, text
from casblob_fixtures.producers import python_gzip, python_lz4

TYPE = "Raw"
COMMENT = "cas_raw: true blobs: the payload is the content, whatever the version says"


def cases():
    out = []

    def raw(name, content, sidecar, comment, strict=None, flags=()):
        out.append(Case(name, comment, content, sidecar, content, strict or ok(),
                        producer="python-raw", flags=["RawBlob", *flags]))

    raw("y_raw_v1_small_dict", small_dict(), META_RAW_V1, "raw blob, sidecar {\"cas_raw\": true, \"cas_version\": 1} as released Metaflow writes it")
    raw("y_raw_v2_small_dict", small_dict(), META_RAW_V2, "raw blob, sidecar {\"cas_raw\": true, \"cas_version\": 2} as PR #3090 writes it")
    raw("y_raw_v1_empty", b"", META_RAW_V1, "empty raw blob (v1 sidecar)", flags=["EmptyFile"])
    raw("y_raw_v2_empty", b"", META_RAW_V2, "empty raw blob (v2 sidecar)", flags=["EmptyFile"])
    raw("y_raw_v1_random_4k", random_bytes(4 * KIB, seed=44), META_RAW_V1, "4 KiB random raw blob")
    raw("y_raw_v2_text_16k", text(16 * KIB), META_RAW_V2, "16 KiB text raw blob")
    raw("y_raw_v1_content_is_gzip", python_gzip(text(4 * KIB)), META_RAW_V1,
        "raw blob whose content is itself a gzip file (e.g. a .gz the user stored raw): returned as stored, never inflated",
        flags=["LooksCompressed"])
    raw("y_raw_v2_content_is_gzip", python_gzip(text(2 * KIB)), META_RAW_V2,
        "raw blob under a v2 sidecar (PR #3090 c880013b8 writes raw blobs so) whose content is a gzip file: a pre-CAS "
        "reader, which reads no sidecar, inflates it", flags=["LooksCompressed"])
    raw("y_raw_v2_content_is_lz4_frame", python_lz4(text(4 * KIB)), META_RAW_V2,
        "raw blob whose content is an lz4 frame: returned as stored, the magic check does not apply to raw blobs",
        flags=["LooksCompressed"])
    raw("y_raw_v1_content_is_lz4_frame", lz4_frame(small_dict()), META_RAW_V1,
        "raw blob with v1 sidecar whose content is an lz4 frame: returned as stored", flags=["LooksCompressed"])
    raw("y_raw_v99_future_version", small_dict(), b'{"cas_raw": true, "cas_version": 99}',
        "raw blob under an unknown future version: raw is checked before the version (every reader returns the stored bytes)",
        flags=["FutureVersion"])
    raw("y_raw_v3_small_dict", small_dict(), b'{"cas_raw": true, "cas_version": 3}',
        "raw blob under version 3 (unknown): still returned as stored", flags=["FutureVersion"])
    raw("n_raw_without_version", small_dict(), b'{"cas_raw": true}',
        "raw blob whose sidecar has no cas_version: Metaflow returns the bytes (raw is tested first); strict requires the version",
        err("version_missing"))
    raw("n_raw_version_zero", small_dict(), b'{"cas_raw": true, "cas_version": 0}',
        "raw blob with cas_version 0: Metaflow returns the bytes; strict rejects versions below 1", err("meta_invalid"))
    raw("n_raw_version_string", small_dict(), b'{"cas_raw": true, "cas_version": "1"}',
        "raw blob with cas_version \"1\" (a string): Metaflow returns the bytes; strict rejects the type", err("meta_invalid"), flags=["TypeConfusion"])
    raw("n_raw_version_minus_1", small_dict(), b'{"cas_raw": true, "cas_version": -1}',
        "raw blob with cas_version -1: Metaflow returns the bytes; strict rejects versions below 1", err("meta_invalid"))
    return out
