"""Safety check: a read that returns bytes whose SHA-1 is not the key is *silent corruption*.

It is counted apart from pass/fail, whether the manifest expects it (a known hazard of that
profile: the case passes and is still counted here) or not (the case also fails)."""

from __future__ import annotations

from casconf.model import is_silent_corruption


def annotate(entry: dict) -> dict:
    entry["silent_corruption"] = is_silent_corruption(entry["actual"])
    entry["expected_hazard"] = entry["silent_corruption"] and entry["expected"].get("outcome") == "wrong_bytes"
    return entry


def count(entries) -> tuple[int, int]:
    """(silent corruptions, of which not expected by the manifest)."""
    total = unexpected = 0
    for e in entries:
        if e.get("silent_corruption"):
            total += 1
            unexpected += not e["expected_hazard"]
    return total, unexpected
