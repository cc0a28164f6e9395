"""One module per fixture group, each with ``TYPE``, ``COMMENT`` and ``cases()``. A new group
is a new module here and one line in ``MODULES`` (manifest order)."""

MODULES = (
    "valid_v1", "valid_v2", "raw", "legacy_nosidecar", "empty_file", "gzip_structure",
    "lz4_structure", "truncation", "checksum", "bitflip", "sidecar", "mismatch", "limits", "future",
    "field_damage",
)
