"""EmptyFile: zero-byte payloads (an interrupted write, a failed copy) under every sidecar."""

from casblob_fixtures.case import Case, META_RAW_V1, META_RAW_V2, META_V1, META_V2, err
from casblob_fixtures.payloads import small_dict

TYPE = "EmptyFile"
COMMENT = "zero-byte payload files under each kind of sidecar, keyed by empty content and by real content"


def cases():
    out = []
    d = small_dict()

    def add(name, sidecar, content, strict, comment, flags=()):
        out.append(Case(name, comment, b"", sidecar, content, strict, producer="handcrafted",
                        flags=["EmptyFile", *flags]))

    add("n_empty_file_no_sidecar", None, d, err("corrupt", "truncated"),
        "empty payload, no sidecar, key of a small dict (the write was interrupted): Python's gzip returns b'' for an empty file",
        flags=["NoSidecar"])
    add("n_empty_file_no_sidecar_empty_key", None, b"", err("corrupt", "truncated"),
        "empty payload, no sidecar, key = SHA-1 of empty content: gzip readers return b'' which even hashes right; an empty file is not a gzip member",
        flags=["NoSidecar"])
    add("n_empty_file_v1_sidecar", META_V1, d, err("corrupt", "truncated"),
        "empty payload, v1 sidecar, key of a small dict")
    add("n_empty_file_v1_sidecar_empty_key", META_V1, b"", err("corrupt", "truncated"),
        "empty payload, v1 sidecar, key of empty content")
    add("n_empty_file_v2_sidecar", META_V2, d, err("corrupt", "truncated"),
        "empty payload, v2 sidecar, key of a small dict")
    add("n_empty_file_v2_sidecar_empty_key", META_V2, b"", err("corrupt", "truncated"),
        "empty payload, v2 sidecar, key of empty content")
    add("n_empty_file_raw_v1_sidecar_wrong_key", META_RAW_V1, d, err("key_mismatch"),
        "empty raw payload, key of a small dict: the raw bytes do not hash to the key", flags=["RawBlob", "KeyMismatch"])
    add("n_empty_file_raw_v2_sidecar_wrong_key", META_RAW_V2, d, err("key_mismatch"),
        "empty raw payload (v2 sidecar), key of a small dict", flags=["RawBlob", "KeyMismatch"])
    add("n_empty_file_empty_sidecar", b"", d, err("meta_invalid"),
        "empty payload and empty sidecar (both writes interrupted)", flags=["BadSidecar"])
    return out
