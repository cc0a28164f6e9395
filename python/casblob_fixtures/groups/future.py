"""FutureVersion: blobs written by a format this reader does not know yet."""

from casblob_fixtures.case import Case, META_V2, err
from casblob_fixtures.payloads import small_dict
from casblob_fixtures.producers import python_gzip, zstd_cli

TYPE = "FutureVersion"
COMMENT = "unknown cas_version values as a future writer would produce them: old readers must fail cleanly"


def cases():
    d = small_dict()
    z = zstd_cli(d, "-3")
    return [
        Case("n_future_v99_zstd", "cas_version 99 over a zstd frame (zstd CLI): what a future v3+ blob looks like to today's readers",
             z, b'{"cas_raw": false, "cas_version": 99}', d, err("version_unsupported"), producer="zstd-cli", flags=["FutureVersion"]),
        Case("n_future_v3_zstd_with_codec_hint", "cas_version 3 over a zstd frame with an extra cas_codec member",
             z, b'{"cas_raw": false, "cas_version": 3, "cas_codec": "zstd"}', d, err("version_unsupported"), producer="zstd-cli", flags=["FutureVersion", "ExtraKeys"]),
        Case("n_future_v99_gzip_payload", "cas_version 99 over an ordinary gzip payload: the version decides, not the magic",
             python_gzip(d), b'{"cas_raw": false, "cas_version": 99}', d, err("version_unsupported"), producer="python-gzip", flags=["FutureVersion"]),
        Case("n_future_v2_sidecar_v3_payload_lz4", "a zstd payload under a v2 sidecar (a future writer with a wrong sidecar)",
             z, META_V2, d, err("corrupt", "bad_magic"), producer="zstd-cli", flags=["FutureVersion"]),
    ]
