"""Shared vocabulary: requests, responses, outcomes and statuses (PROTOCOL.md, "Statuses")."""

from __future__ import annotations

from dataclasses import dataclass

# The contract as the driver knows it: profile names (spec 7), error names and corrupt details
# (spec 9.1) and exit codes (spec 9.2). The C++ library holds the source of truth; the
# repository's contract check (python/contract_check) compares these with
# `casblob --list-profiles --json` and `casblob --list-errors --json`. A new profile is one
# more name here (then a manifest column and an adapter that claims it).
PROFILES = ("pre-cas", "legacy", "v2", "v2-nolz4", "strict")

ERRORS = (
    "meta_invalid", "version_missing", "version_unsupported", "codec_unavailable", "corrupt",
    "format_mismatch", "key_mismatch", "limit_exceeded", "not_found", "io_error", "unhandled",
    "usage",
)
DETAILS = ("bad_magic", "header", "checksum", "truncated", "trailing_data", "size_mismatch", "data")

# CLI exit code of each error name (the command protocol's exit-code contract).
EXIT_CODES = {
    "usage": 2, "meta_invalid": 10, "version_missing": 11, "version_unsupported": 12,
    "codec_unavailable": 13, "corrupt": 14, "format_mismatch": 15, "key_mismatch": 16,
    "limit_exceeded": 17, "not_found": 18, "io_error": 19, "unhandled": 20,
}

# Statuses of one (implementation, profile, case).
PASS = "pass"
SHOULD_HAVE_PASSED = "should-have-passed"   # expected bytes, got an error
SHOULD_HAVE_FAILED = "should-have-failed"   # expected an error (or wrong bytes), got the right bytes
WRONG_ERROR = "wrong-error"                 # expected error A, got error B
WRONG_BYTES = "wrong-bytes"                 # returned bytes that are not the expected ones
CRASH = "crash"                             # exit code outside the contract, bad JSON, exception
TIMEOUT = "timeout"
NOT_RUN = "not-run"
STATUSES = (PASS, SHOULD_HAVE_PASSED, SHOULD_HAVE_FAILED, WRONG_ERROR, WRONG_BYTES, CRASH,
            TIMEOUT, NOT_RUN)
FAILING = frozenset(STATUSES) - {PASS, NOT_RUN}


@dataclass(frozen=True)
class ReadRequest:
    """One read: a stored blob (path), its sidecar (path or None), the key and output limit."""

    blob: str
    meta: str | None
    key: str | None
    max_size: int | None = None


@dataclass
class Response:
    """What an implementation said about one read.

    kind: ``ok`` (returned bytes whose SHA-1 is ``sha1``), ``error`` (a clean, named error),
    ``crash``, ``timeout`` or ``not-run``.
    """

    kind: str
    sha1: str | None = None
    error: str | None = None
    detail: str | None = None
    message: str | None = None

    @classmethod
    def ok(cls, sha1: str) -> "Response":
        return cls("ok", sha1=sha1)

    @classmethod
    def err(cls, error: str, detail: str | None = None, message: str | None = None) -> "Response":
        return cls("error", error=error, detail=detail, message=message)

    @classmethod
    def crash(cls, message: str) -> "Response":
        return cls("crash", message=message)

    @classmethod
    def timeout(cls, message: str) -> "Response":
        return cls("timeout", message=message)

    @classmethod
    def not_run(cls, message: str) -> "Response":
        return cls("not-run", message=message)

    def exception(self) -> str | None:
        """The Python exception class an ``unhandled`` error names: its detail (the adapters
        that run Python), else the start of its message (``casblob``: "BadGzipFile: ...")."""
        if self.detail:
            return self.detail
        head = (self.message or "").split(":", 1)[0]
        return head if head and ":" in (self.message or "") and " " not in head else None

    def outcome(self, key: str | None) -> dict:
        """The manifest-shaped outcome: ok / error / wrong_bytes (plus crash, timeout, not-run)."""
        if self.kind == "ok":
            if key is not None and self.sha1 == key:
                return {"outcome": "ok"}
            return {"outcome": "wrong_bytes", "sha1": self.sha1}
        if self.kind == "error":
            out = {"outcome": "error", "error": self.error}
            if self.detail:
                out["detail"] = self.detail
            if self.message:
                out["message"] = self.message
            if self.error == "unhandled" and self.exception():
                out["exception"] = self.exception()
            return out
        return {"outcome": self.kind, "message": self.message}


def classify(expect: dict, actual: dict) -> str:
    """Status of one actual outcome against one expectation."""
    got = actual["outcome"]
    if got in (CRASH, TIMEOUT, NOT_RUN):
        return got
    want = expect["outcome"]
    if want == "ok":
        if got == "ok":
            return PASS
        return WRONG_BYTES if got == "wrong_bytes" else SHOULD_HAVE_PASSED
    if want == "wrong_bytes":
        if got == "wrong_bytes":
            return PASS if actual.get("sha1") == expect.get("sha1") else WRONG_BYTES
        return SHOULD_HAVE_FAILED if got == "ok" else SHOULD_HAVE_PASSED
    # want == "error"
    if got == "ok":
        return SHOULD_HAVE_FAILED
    if got == "wrong_bytes":
        return WRONG_BYTES
    if actual.get("error") != expect.get("error"):
        return WRONG_ERROR
    # R-PROF-1: the strict outcome of a corrupt payload is the error name and its detail.
    if expect.get("detail") and actual.get("detail") != expect["detail"]:
        return WRONG_ERROR
    # R-PROF-2: a modelled reader raises the measured exception (for pre-cas, the whole outcome).
    if expect.get("exception") and actual.get("exception") and actual["exception"] != expect["exception"]:
        return WRONG_ERROR
    return PASS


def is_silent_corruption(actual: dict) -> bool:
    """Bytes returned whose SHA-1 is not the key: silent corruption, expected or not."""
    return actual.get("outcome") == "wrong_bytes"
