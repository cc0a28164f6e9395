"""The sidecar (spec 4.3; reading steps 3-5): RFC 8259 JSON without BOM, duplicates or
unpaired surrogate escapes (R-META-6), ``cas_raw`` true/false (R-META-7), ``cas_version`` an
integer literal >= 1 (R-META-8), unknown members ignored (R-META-9), checked in that order."""

from __future__ import annotations

import json
import re

from spec_reader.errors import ReadError


class _Float:
    """Marks a JSON number written with a fraction or an exponent (R-META-8)."""

    def __init__(self, text: str):
        self.text = text


def _no_constants(name: str):
    raise ValueError("%s is not JSON" % name)  # NaN, Infinity, -Infinity (R-META-6)


def _pairs(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise ValueError("duplicate member name %r" % k)
        seen.add(k)
    return dict(pairs)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _has_lone_surrogate(doc) -> bool:
    """R-META-6: escapes of unpaired surrogates (\\ud800 alone) are not allowed (I-JSON).
    Python's json joins escaped pairs into one code point, so any surrogate left is unpaired.
    Iterative: a sidecar nested as deep as R-SEC-8 allows meets no recursion limit."""
    stack = [doc]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if _SURROGATE.search(v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


# R-SEC-8: objects and arrays nest at most this deep (the top-level object counts as one).
MAX_NESTING = 512


def _nesting(doc) -> int:
    """Objects and arrays around the deepest one (iterative: no recursion limit to meet)."""
    deepest, stack = 0, [(doc, 1)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= MAX_NESTING:
                stack.extend((x, depth + 1) for x in (v.values() if isinstance(v, dict) else v))
    return deepest


def parse_sidecar(sidecar: bytes) -> tuple[bool, int]:
    """Steps 3-5: returns (raw, version) or raises meta_invalid / version_missing."""
    if sidecar.startswith(b"\xef\xbb\xbf"):
        raise ReadError("meta_invalid", None, "sidecar starts with a byte order mark")
    try:
        text = sidecar.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ReadError("meta_invalid", None, "sidecar is not UTF-8") from None
    try:
        doc = json.loads(text, parse_float=_Float, parse_constant=_no_constants,
                         object_pairs_hook=_pairs)
    except (ValueError, RecursionError) as exc:
        raise ReadError("meta_invalid", None, "sidecar is not JSON: %s" % exc) from None
    if not isinstance(doc, dict):
        raise ReadError("meta_invalid", None, "sidecar is not a JSON object")
    if _nesting(doc) > MAX_NESTING:
        raise ReadError("meta_invalid", None, "sidecar nests deeper than %d levels (R-SEC-8)" % MAX_NESTING)
    if _has_lone_surrogate(doc):
        raise ReadError("meta_invalid", None, "sidecar string escapes an unpaired surrogate")
    raw = doc.get("cas_raw", False)
    if type(raw) is not bool:
        raise ReadError("meta_invalid", None, "cas_raw is not true/false")
    if "cas_version" not in doc:
        raise ReadError("version_missing", None, "sidecar has no cas_version")
    version = doc["cas_version"]
    if type(version) is not int or version < 1:
        raise ReadError("meta_invalid", None, "cas_version is not an integer >= 1")
    return raw, version
