"""The error vocabulary of spec 9: ``ReadError`` carries a section 9.1 name (and a detail for
``corrupt``); ``EXIT_CODES`` is the section 9.2 table, as this reader's CLI uses it.

Written from the spec alone, like the rest of this package: the repository's contract check
compares this copy with ``casblob --list-errors``."""

from __future__ import annotations

# R-ERR-2 (spec 9.2): exit status of a command-line reader for each error name.
EXIT_CODES = {
    "usage": 2, "meta_invalid": 10, "version_missing": 11, "version_unsupported": 12,
    "codec_unavailable": 13, "corrupt": 14, "format_mismatch": 15, "key_mismatch": 16,
    "limit_exceeded": 17, "not_found": 18, "io_error": 19, "unhandled": 20,
}


class ReadError(Exception):
    """A failed read: ``name`` is a section 9.1 error name, ``detail`` a ``corrupt`` detail."""

    def __init__(self, name: str, detail: str | None = None, message: str = ""):
        super().__init__(message or (name + ("/" + detail if detail else "")))
        self.name = name
        self.detail = detail


def corrupt(detail: str, message: str = "") -> ReadError:
    return ReadError("corrupt", detail, message)
