"""The record of one fixture case, its expectation helpers and the sidecars Metaflow writes."""

from __future__ import annotations

import dataclasses
import hashlib
import json


def sha1(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def ok() -> dict:
    return {"outcome": "ok"}


def err(name: str, detail: str | None = None) -> dict:
    out = {"outcome": "error", "error": name}
    if detail:
        out["detail"] = detail
    return out


@dataclasses.dataclass
class Case:
    name: str  # y_/n_/i_ prefix + what the case is; stable once committed
    comment: str
    blob: bytes  # the stored payload
    sidecar: bytes | None  # the <key>_meta bytes, None = no sidecar file
    content: bytes  # the payload the writer meant
    strict: dict  # the strict reader's expectation (ok() / err(...)), the case's intent
    producer: str = "handcrafted"
    flags: list = dataclasses.field(default_factory=list)
    key: str | None = None  # default: sha1(content)
    max_size: int | None = None  # strict reader output limit for this case
    group: str = ""
    # Where the damage was seen or made: "<owner>/<repo>#<issue or PR>" (FieldDamage cites them).
    references: list = dataclasses.field(default_factory=list)
    # Files beside the blob that are neither it nor its sidecar (path relative to the case
    # folder -> bytes), such as the `_meta` folder LocalStorage skips when it lists a prefix.
    other_files: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        if self.key is None:
            self.key = sha1(self.content)


def meta(raw: bool, version) -> bytes:
    """Exactly what Metaflow's LocalStorage writes: json.dumps({...}).encode()."""
    return json.dumps({"cas_raw": raw, "cas_version": version}).encode("utf-8")


META_V1 = meta(False, 1)
META_V2 = meta(False, 2)
META_RAW_V1 = meta(True, 1)
META_RAW_V2 = meta(True, 2)
