"""Metaflow's clean error, and how a real codec's exception maps to a spec 9.1 detail.

The detail is this model's reading of the exception (Python's gzip and python-lz4 say what went
wrong only in their message texts); Metaflow itself reports no detail."""

from __future__ import annotations

import gzip
import zlib


class DataException(Exception):
    """Stands for metaflow.datastore.exceptions.DataException: Metaflow's clean error."""

    def __init__(self, error: str, message: str, detail: str | None = None, cause=None):
        super().__init__(message)
        self.error = error
        self.detail = detail
        self.cause = cause


# Substrings of python-lz4's RuntimeError messages (liblz4 error names) -> detail.
LZ4_MESSAGE_DETAILS = (
    ("frameType_unknown", "bad_magic"),
    ("frameHeader_incomplete", "truncated"),
    ("Frame incomplete", "truncated"),
    ("srcPtr_wrong", "truncated"),
    ("contentChecksum_invalid", "checksum"),
    ("blockChecksum_invalid", "checksum"),
    ("headerChecksum_invalid", "header"),
    ("reservedFlag_set", "header"),
    ("headerVersion_wrong", "header"),
    ("maxBlockSize_invalid", "header"),
    ("frameSize_wrong", "size_mismatch"),
    ("decompressionFailed", "data"),
)

# Prefixes of Python's gzip / zlib messages -> detail, for callers that see only the text
# (real Metaflow wraps the cause into its DataException message).
GZIP_MESSAGE_DETAILS = (
    ("Not a gzipped file", "bad_magic"),
    ("CRC check failed", "checksum"),
    ("Incorrect length", "size_mismatch"),
    ("Compressed file ended", "truncated"),
    ("Error -3", "data"),
)


def error_from_message(message: str) -> tuple[str, str | None]:
    """(spec 9.1 name, detail) of a DataException raised by Metaflow's load_blobs, from its
    message: the exception carries nothing else."""
    if message.startswith("Could not extract encoding version"):
        return "version_missing", None
    if message.startswith("Unknown encoding version"):
        return "version_unsupported", None
    if "No module named" in message:
        return "codec_unavailable", None
    return "corrupt", detail_from_message(message)


def detail_from_message(message: str) -> str | None:
    for needle, detail in GZIP_MESSAGE_DETAILS + LZ4_MESSAGE_DETAILS:
        if needle in message:
            return detail
    return None


def corrupt_detail(exc: BaseException, blob: bytes) -> str | None:
    """The detail of a decoder exception, from its type first, then its message."""
    msg = str(exc)
    if isinstance(exc, EOFError):
        return "truncated"
    if isinstance(exc, zlib.error):
        return "data"
    if isinstance(exc, gzip.BadGzipFile):
        if msg.startswith("Not a gzipped file"):
            return "trailing_data" if blob[:2] == b"\x1f\x8b" else "bad_magic"
        if msg.startswith("CRC check failed"):
            return "checksum"
        if msg.startswith("Incorrect length"):
            return "size_mismatch"
        return "header"
    for needle, detail in LZ4_MESSAGE_DETAILS:
        if needle in msg:
            return detail
    return None
