"""Mismatch: the sidecar and the payload disagree (lost or wrong sidecars), and content that
does not hash to its key."""

from casblob_fixtures.builders import lz4_frame, skippable
from casblob_fixtures.case import Case, META_RAW_V1, META_RAW_V2, META_V1, META_V2, err, sha1
from casblob_fixtures.payloads import KIB, random_bytes, small_dict, text
from casblob_fixtures.producers import lz4_cli, python_gzip, python_lz4, zstd_cli

TYPE = "Mismatch"
COMMENT = "sidecar/payload disagreement (lost or wrong sidecars) and content that does not hash to its key"


def cases():
    out = []
    d = small_dict()
    t = text(4 * KIB)
    g1, l2 = python_gzip(d), python_lz4(d)
    FM = err("format_mismatch")

    def add(name, blob, sidecar, strict, comment, content=d, key=None, flags=(), producer="handcrafted"):
        out.append(Case(name, comment, blob, sidecar, content, strict, producer=producer, flags=list(flags), key=key))

    add("n_mismatch_v1_sidecar_on_lz4_payload", l2, META_V1, FM, "v1 sidecar over a python-lz4 frame", producer="python-lz4")
    add("n_mismatch_v1_sidecar_on_lz4_cli_payload", lz4_cli(d), META_V1, FM, "v1 sidecar over an lz4 CLI frame", producer="lz4-cli", flags=["Lz4Cli"])
    add("n_mismatch_v1_sidecar_on_skippable_frame", skippable(b"x") + l2, META_V1, FM, "v1 sidecar over a payload starting with an lz4 skippable frame", flags=["SkippableFrame"])
    add("n_mismatch_v2_sidecar_on_gzip_payload", g1, META_V2, FM, "v2 sidecar over a gzip member (a v1 blob with a rewritten sidecar)", producer="python-gzip")
    add("n_mismatch_v2_sidecar_on_gzip_cli_payload", python_gzip(d, level=9), META_V2, FM, "v2 sidecar over a level 9 gzip member", producer="python-gzip")
    add("n_mismatch_no_sidecar_on_lz4_payload", l2, None, FM,
        "lost sidecar: a v2 blob copied without its metadata (`aws s3 cp` without metadata, or the blob file alone)",
        producer="python-lz4", flags=["LostSidecar", "NoSidecar"])
    add("n_mismatch_no_sidecar_on_lz4_cli_payload", lz4_cli(t), None, FM, "lost sidecar of an lz4 CLI frame", content=t,
        producer="lz4-cli", flags=["LostSidecar", "NoSidecar", "Lz4Cli"])
    add("n_mismatch_no_sidecar_on_skippable_frame", skippable(b"x", 7) + l2, None, FM, "lost sidecar, payload starts with a skippable frame",
        flags=["LostSidecar", "NoSidecar", "SkippableFrame"])
    add("n_mismatch_no_sidecar_on_raw_payload", d, None, err("corrupt", "bad_magic"),
        "lost sidecar of a raw blob (a pickle, first byte 0x80): read as gzip", producer="python-raw", flags=["LostSidecar", "NoSidecar", "RawBlob"])
    gz_content = python_gzip(t)
    add("n_mismatch_no_sidecar_on_raw_gzip_content", gz_content, None, err("key_mismatch"),
        "lost sidecar of a raw blob whose content is a gzip file: a gzip reader inflates it and returns other bytes",
        content=gz_content, producer="python-raw", flags=["LostSidecar", "NoSidecar", "RawBlob", "LooksCompressed"])
    lz_content = python_lz4(t)
    add("n_mismatch_no_sidecar_on_raw_lz4_content", lz_content, None, FM,
        "lost sidecar of a raw blob whose content is an lz4 frame", content=lz_content, producer="python-raw",
        flags=["LostSidecar", "NoSidecar", "RawBlob", "LooksCompressed"])
    add("n_mismatch_v1_sidecar_on_raw_payload", d, META_V1, err("corrupt", "bad_magic"), "v1 (not raw) sidecar over raw content", producer="python-raw", flags=["RawBlob"])
    add("n_mismatch_v2_sidecar_on_raw_payload", random_bytes(1000, seed=5), META_V2, err("corrupt", "bad_magic"),
        "v2 (not raw) sidecar over random raw content", content=random_bytes(1000, seed=5), producer="python-raw", flags=["RawBlob"])
    add("n_mismatch_raw_sidecar_on_gzip_payload", g1, META_RAW_V1, err("key_mismatch"),
        "raw sidecar over a v1 gzip payload: the compressed bytes are returned as content", producer="python-gzip", flags=["RawBlob"])
    add("n_mismatch_raw_sidecar_on_lz4_payload", l2, META_RAW_V2, err("key_mismatch"),
        "raw sidecar over a v2 lz4 payload", producer="python-lz4", flags=["RawBlob"])
    add("n_mismatch_v1_sidecar_on_legacy_lz4", lz4_cli(d, "-l"), META_V1, err("corrupt", "bad_magic"), "v1 sidecar over a legacy-format lz4 payload", producer="lz4-cli", flags=["LegacyLz4"])
    add("n_mismatch_v1_sidecar_on_zstd", zstd_cli(d, "-3"), META_V1, err("corrupt", "bad_magic"), "v1 sidecar over a zstd frame", producer="zstd-cli")
    add("n_mismatch_v2_sidecar_on_zstd", zstd_cli(d, "-3"), META_V2, err("corrupt", "bad_magic"), "v2 sidecar over a zstd frame", producer="zstd-cli")
    add("n_mismatch_no_sidecar_on_zstd", zstd_cli(d, "-3"), None, err("corrupt", "bad_magic"), "no sidecar over a zstd frame", producer="zstd-cli", flags=["NoSidecar"])
    add("n_mismatch_v1_sidecar_on_gzip_then_lz4", g1 + l2, META_V1, err("corrupt", "trailing_data"), "a gzip member followed by an lz4 frame", flags=["TrailingData"])
    # key mismatches: valid blobs stored under another key
    other = text(2 * KIB, seed=77)
    add("n_key_mismatch_v1", g1, META_V1, err("key_mismatch"), "valid v1 blob stored under the key of other content", key=sha1(other), producer="python-gzip", flags=["KeyMismatch"])
    add("n_key_mismatch_v2", l2, META_V2, err("key_mismatch"), "valid v2 blob stored under the key of other content", key=sha1(other), producer="python-lz4", flags=["KeyMismatch"])
    add("n_key_mismatch_raw", d, META_RAW_V1, err("key_mismatch"), "raw blob stored under the key of other content", key=sha1(other), producer="python-raw", flags=["KeyMismatch", "RawBlob"])
    add("n_key_mismatch_no_sidecar", g1, None, err("key_mismatch"), "valid gzip blob, no sidecar, stored under the key of other content", key=sha1(other), producer="python-gzip", flags=["KeyMismatch", "NoSidecar"])
    add("n_key_is_sha1_of_compressed_bytes_v1", g1, META_V1, err("key_mismatch"), "writer bug: key = SHA-1 of the gzip bytes instead of the content", key=sha1(g1), producer="python-gzip", flags=["KeyMismatch"])
    add("n_key_is_sha1_of_compressed_bytes_v2", l2, META_V2, err("key_mismatch"), "writer bug: key = SHA-1 of the lz4 frame instead of the content", key=sha1(l2), producer="python-lz4", flags=["KeyMismatch"])
    add("n_key_is_sha256_prefix", g1, META_V1, err("key_mismatch"), "key = first 40 hex digits of the content's SHA-256", key=__import__("hashlib").sha256(d).hexdigest()[:40], producer="python-gzip", flags=["KeyMismatch"])
    add("n_key_mismatch_one_bit_v2", lz4_frame(d[:-1] + bytes([d[-1] ^ 1]), content_checksum=True), META_V2, err("key_mismatch"),
        "a well-formed v2 frame with a valid content checksum whose content differs from the keyed content in one bit (corruption before compression)",
        flags=["KeyMismatch", "ContentChecksum"])
    return out
