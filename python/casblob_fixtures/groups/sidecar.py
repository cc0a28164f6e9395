"""Sidecar: every variant of the <key>_meta JSON a reader may meet: not JSON, not an object,
wrong JSON types, out-of-range versions, extra and duplicate keys, encodings, formatting."""

import json

from casblob_fixtures.case import Case, err, ok
from casblob_fixtures.payloads import small_dict
from casblob_fixtures.producers import python_gzip, python_lz4

TYPE = "Sidecar"
COMMENT = "sidecar (<key>_meta) variants over a valid payload; the strict reader judges the sidecar before the payload"

MI = err("meta_invalid")


def cases():
    out = []
    d = small_dict()
    g1 = python_gzip(d)  # a valid v1 payload
    l2 = python_lz4(d)  # a valid v2 payload

    def add(name, sidecar, strict, comment, blob=g1, flags=(), producer="python-gzip"):
        if blob is l2:
            producer = "python-lz4"
        out.append(Case(name, comment, blob, sidecar, d, strict, producer=producer, flags=list(flags)))

    # not JSON / not an object
    add("n_sidecar_empty_file", b"", MI, "zero-byte sidecar (interrupted write)", flags=["BadSidecar", "EmptyFile"])
    add("n_sidecar_whitespace_only", b"  \n", MI, "sidecar of whitespace only", flags=["BadSidecar"])
    add("n_sidecar_not_json", b"cas_raw=false cas_version=1", MI, "not JSON at all", flags=["BadSidecar"])
    add("n_sidecar_truncated_json", b'{"cas_raw": false, "cas_ver', MI, "JSON cut in the middle", flags=["BadSidecar"])
    add("n_sidecar_single_quotes", b"{'cas_raw': False, 'cas_version': 1}", MI, "a Python repr instead of JSON", flags=["BadSidecar"])
    add("n_sidecar_trailing_comma", b'{"cas_raw": false, "cas_version": 1,}', MI, "trailing comma", flags=["BadSidecar"])
    add("n_sidecar_trailing_garbage", b'{"cas_raw": false, "cas_version": 1} x', MI, "text after the object", flags=["BadSidecar"])
    add("n_sidecar_two_objects", b'{"cas_raw": false, "cas_version": 1}{"cas_raw": false, "cas_version": 1}', MI, "two objects back to back", flags=["BadSidecar"])
    add("n_sidecar_trailing_nul", b'{"cas_raw": false, "cas_version": 1}\x00', MI, "a NUL byte after the object", flags=["BadSidecar"])
    add("n_sidecar_null", b"null", MI, "JSON null: Python's `meta is None` test treats it as no sidecar and reads gzip", flags=["TypeConfusion"])
    add("n_sidecar_null_on_lz4", b"null", MI, "JSON null over a v2 payload: read as gzip", blob=l2, flags=["TypeConfusion"])
    add("n_sidecar_list_empty", b"[]", MI, "an empty JSON array", flags=["TypeConfusion"])
    add("n_sidecar_list", b'[{"cas_raw": false, "cas_version": 1}]', MI, "the right object wrapped in an array", flags=["TypeConfusion"])
    add("n_sidecar_string", b'"cas_version 1"', MI, "a JSON string", flags=["TypeConfusion"])
    add("n_sidecar_string_empty", b'""', MI, "the empty JSON string", flags=["TypeConfusion"])
    add("n_sidecar_number", b"1", MI, "the JSON number 1", flags=["TypeConfusion"])
    add("n_sidecar_number_zero", b"0", MI, "the JSON number 0", flags=["TypeConfusion"])
    add("n_sidecar_true", b"true", MI, "the JSON literal true", flags=["TypeConfusion"])
    add("n_sidecar_false", b"false", MI, "the JSON literal false", flags=["TypeConfusion"])
    add("n_sidecar_object_empty", b"{}", err("version_missing"), "an empty object: no cas_version")
    add("n_sidecar_only_cas_raw", b'{"cas_raw": false}', err("version_missing"), "cas_raw only, no cas_version")
    add("n_sidecar_version_key_misspelled", b'{"cas_raw": false, "cas_verison": 1}', err("version_missing"), "cas_version misspelled")
    add("n_sidecar_version_key_case", b'{"cas_raw": false, "CAS_VERSION": 1}', err("version_missing"), "CAS_VERSION in capitals: member names are case-sensitive")
    # cas_version types and values
    V = lambda v: b'{"cas_raw": false, "cas_version": ' + v + b"}"  # noqa: E731
    add("n_sidecar_version_string_1", V(b'"1"'), MI, 'cas_version "1" (a string)', flags=["TypeConfusion"])
    add("n_sidecar_version_string_2_on_lz4", V(b'"2"'), MI, 'cas_version "2" (a string) over a v2 payload', blob=l2, flags=["TypeConfusion"])
    add("n_sidecar_version_float_1_0", V(b"1.0"), MI, "cas_version 1.0: Python's '%d' turns it into v1", flags=["TypeConfusion", "FloatVersion"])
    add("n_sidecar_version_float_1_9", V(b"1.9"), MI, "cas_version 1.9: Python's '%d' truncates it to v1", flags=["TypeConfusion", "FloatVersion"])
    add("n_sidecar_version_float_2_0_on_lz4", V(b"2.0"), MI, "cas_version 2.0 over a v2 payload", blob=l2, flags=["TypeConfusion", "FloatVersion"])
    add("n_sidecar_version_float_2_5_on_lz4", V(b"2.5"), MI, "cas_version 2.5 over a v2 payload: truncated to v2", blob=l2, flags=["TypeConfusion", "FloatVersion"])
    add("n_sidecar_version_float_0_5", V(b"0.5"), MI, "cas_version 0.5: truncated to v0", flags=["TypeConfusion", "FloatVersion"])
    add("n_sidecar_version_exponent_1e0", V(b"1e0"), MI, "cas_version 1e0 (exponent form of 1)", flags=["TypeConfusion", "FloatVersion"])
    add("n_sidecar_version_exponent_1e400", V(b"1e400"), MI, "cas_version 1e400: overflows to infinity in Python", flags=["TypeConfusion", "FloatVersion"])
    add("n_sidecar_version_true", V(b"true"), MI, "cas_version true: a Python bool is the int 1", flags=["TypeConfusion"])
    add("n_sidecar_version_false", V(b"false"), MI, "cas_version false: the int 0", flags=["TypeConfusion"])
    add("n_sidecar_version_null", V(b"null"), MI, "cas_version null: present but not a number", flags=["TypeConfusion"])
    add("n_sidecar_version_list", V(b"[1]"), MI, "cas_version [1]", flags=["TypeConfusion"])
    add("n_sidecar_version_object", V(b'{"major": 1}'), MI, 'cas_version {"major": 1}', flags=["TypeConfusion"])
    add("n_sidecar_version_nan", V(b"NaN"), MI, "cas_version NaN (not RFC 8259 JSON; Python's json accepts it)", flags=["TypeConfusion", "NonStandardJson"])
    add("n_sidecar_version_infinity", V(b"Infinity"), MI, "cas_version Infinity (not RFC 8259 JSON)", flags=["TypeConfusion", "NonStandardJson"])
    add("n_sidecar_version_minus_infinity", V(b"-Infinity"), MI, "cas_version -Infinity (not RFC 8259 JSON)", flags=["TypeConfusion", "NonStandardJson"])
    add("n_sidecar_version_leading_zero", V(b"01"), MI, "cas_version 01 (leading zeros are not JSON)", flags=["BadSidecar"])
    add("n_sidecar_version_plus_sign", V(b"+1"), MI, "cas_version +1 (not JSON)", flags=["BadSidecar"])
    add("n_sidecar_version_hex", V(b"0x1"), MI, "cas_version 0x1 (not JSON)", flags=["BadSidecar"])
    add("n_sidecar_version_zero", V(b"0"), MI, "cas_version 0: below 1")
    add("n_sidecar_version_minus_1", V(b"-1"), MI, "cas_version -1: Metaflow's missing-version sentinel", flags=["SentinelVersion"])
    add("n_sidecar_version_minus_2", V(b"-2"), MI, "cas_version -2: negative")
    add("n_sidecar_version_3", V(b"3"), err("version_unsupported"), "cas_version 3: not defined yet", flags=["FutureVersion"])
    add("n_sidecar_version_2pow31", V(b"2147483648"), err("version_unsupported"), "cas_version 2^31 (overflows int32)", flags=["FutureVersion"])
    add("n_sidecar_version_2pow64", V(b"18446744073709551616"), err("version_unsupported"), "cas_version 2^64 (overflows uint64)", flags=["FutureVersion"])
    add("n_sidecar_version_huge", V(b"1" + b"0" * 60), err("version_unsupported"), "cas_version 10^60: a very large integer literal", flags=["FutureVersion"])
    # cas_raw types
    R = lambda v: b'{"cas_raw": ' + v + b', "cas_version": 1}'  # noqa: E731
    add("n_sidecar_raw_string_false", R(b'"false"'), MI, 'cas_raw "false" (a string): truthy in Python, so the compressed bytes are returned as content', flags=["TypeConfusion"])
    add("n_sidecar_raw_string_empty", R(b'""'), MI, 'cas_raw "" (a string): falsy in Python', flags=["TypeConfusion"])
    add("n_sidecar_raw_number_0", R(b"0"), MI, "cas_raw 0: falsy in Python", flags=["TypeConfusion"])
    add("n_sidecar_raw_number_1", R(b"1"), MI, "cas_raw 1: truthy in Python", flags=["TypeConfusion"])
    add("n_sidecar_raw_null", R(b"null"), MI, "cas_raw null: falsy in Python", flags=["TypeConfusion"])
    add("n_sidecar_raw_list", R(b"[false]"), MI, "cas_raw [false]: a non-empty list is truthy", flags=["TypeConfusion"])
    add("n_sidecar_raw_list_empty", R(b"[]"), MI, "cas_raw []: falsy in Python", flags=["TypeConfusion"])
    add("n_sidecar_raw_object", R(b"{}"), MI, "cas_raw {}: falsy in Python", flags=["TypeConfusion"])
    add("n_sidecar_raw_string_true_on_lz4", b'{"cas_raw": "true", "cas_version": 2}', MI, 'cas_raw "true" over a v2 payload', blob=l2, flags=["TypeConfusion"])
    # valid variations
    add("y_sidecar_without_cas_raw", b'{"cas_version": 1}', ok(), "cas_raw absent: false")
    add("y_sidecar_without_cas_raw_v2", b'{"cas_version": 2}', ok(), "cas_raw absent over a v2 payload", blob=l2)
    add("y_sidecar_key_order_swapped", b'{"cas_version": 1, "cas_raw": false}', ok(), "members in the other order")
    add("y_sidecar_compact", b'{"cas_raw":false,"cas_version":1}', ok(), "no whitespace")
    add("y_sidecar_pretty_printed", json.dumps({"cas_raw": False, "cas_version": 1}, indent=4).encode() + b"\n", ok(), "indented with a trailing newline")
    add("y_sidecar_whitespace_everywhere", b' \t\r\n{ "cas_raw" :\n false ,\r\n"cas_version"\t: 1 }\n\n', ok(), "JSON whitespace (space, tab, CR, LF) everywhere it is allowed")
    add("y_sidecar_crlf", b'{\r\n  "cas_raw": false,\r\n  "cas_version": 1\r\n}\r\n', ok(), "CRLF line ends")
    add("y_sidecar_extra_keys", b'{"cas_raw": false, "cas_version": 1, "cas_codec": "gzip", "writer": "casblob 0.1", "x": [1, {"y": null}]}', ok(), "unknown members are ignored", flags=["ExtraKeys"])
    add("y_sidecar_extra_keys_v2", b'{"cas_raw": false, "cas_version": 2, "cas_codec": "lz4", "cas_future": {"level": 0}}', ok(), "unknown members over a v2 payload", blob=l2, flags=["ExtraKeys"])
    add("y_sidecar_escaped_member_name", b'{"cas\\u005fraw": false, "cas_version": 1}', ok(), "member name written with a \\u escape (cas\\u005fraw is cas_raw)")
    add("y_sidecar_utf8_in_unknown_member", '{"cas_raw": false, "cas_version": 1, "note": "café 🚀"}'.encode("utf-8"), ok(), "UTF-8 text in an unknown member", flags=["ExtraKeys"])
    add("y_sidecar_version_1_v1_explicit_false", b'{"cas_raw": false, "cas_version": 1}', ok(), "the exact bytes Metaflow writes (control case)", flags=["MetaflowWriter"])
    # duplicates
    add("n_sidecar_duplicate_version_1_then_2", b'{"cas_raw": false, "cas_version": 1, "cas_version": 2}', MI, "cas_version twice, 1 then 2: Python keeps the last", flags=["DuplicateKey"])
    add("n_sidecar_duplicate_version_2_then_1", b'{"cas_raw": false, "cas_version": 2, "cas_version": 1}', MI, "cas_version twice, 2 then 1: Python keeps the last (1, right for this payload)", flags=["DuplicateKey"])
    add("n_sidecar_duplicate_version_same", b'{"cas_raw": false, "cas_version": 1, "cas_version": 1}', MI, "cas_version twice with the same value", flags=["DuplicateKey"])
    add("n_sidecar_duplicate_raw_true_then_false", b'{"cas_raw": true, "cas_raw": false, "cas_version": 1}', MI, "cas_raw true then false", flags=["DuplicateKey"])
    add("n_sidecar_duplicate_raw_false_then_true", b'{"cas_raw": false, "cas_raw": true, "cas_version": 1}', MI, "cas_raw false then true: Python keeps true and returns the compressed bytes", flags=["DuplicateKey"])
    add("n_sidecar_duplicate_via_escape", b'{"cas_raw": false, "cas_version": 2, "cas\\u005fversion": 1}', MI, "the duplicate hidden behind a \\u escape", flags=["DuplicateKey"])
    # encodings
    add("n_sidecar_utf8_bom", b"\xef\xbb\xbf" + b'{"cas_raw": false, "cas_version": 1}', MI, "UTF-8 byte order mark before the object", flags=["Encoding"])
    add("n_sidecar_bad_utf8", b'{"cas_raw": false, "cas_version": 1, "note": "caf\xe9"}', MI, "Latin-1 byte 0xE9 inside a string: not UTF-8", flags=["Encoding"])
    add("n_sidecar_bad_utf8_overlong", b'{"cas_raw": false, "cas_version": 1, "note": "\xc0\xaf"}', MI, "overlong UTF-8 sequence C0 AF", flags=["Encoding"])
    add("n_sidecar_utf16le", '{"cas_raw": false, "cas_version": 1}'.encode("utf-16-le"), MI, "the right JSON text in UTF-16LE", flags=["Encoding"])
    add("n_sidecar_utf16_bom", '{"cas_raw": false, "cas_version": 1}'.encode("utf-16"), MI, "the right JSON text in UTF-16 with a BOM", flags=["Encoding"])
    add("i_sidecar_lone_surrogate_escape", b'{"cas_raw": false, "cas_version": 1, "note": "\\ud800"}', MI,
        "a lone surrogate escape \\ud800 in an unknown member: RFC 8259 grammar allows it, I-JSON forbids it; Python accepts, nlohmann::json rejects. The strict column says meta_invalid", flags=["Encoding", "ExtraKeys"])
    # Nesting (spec R-SEC-8, F14 of the reliability issue): strict's fixed bound, and the point
    # where Python's json (the modelled readers) raises RecursionError whatever its caller.
    def nested(levels):  # the top-level object is the first level
        n = levels - 1
        return b'{"cas_raw": false, "cas_version": 1, "x": ' + b"[" * n + b"]" * n + b"}"
    add("y_sidecar_nested_512", nested(512), ok(), "an unknown member nested 512 levels deep: the deepest a strict reader accepts (R-SEC-8)",
        flags=["DeepNesting"])
    add("n_sidecar_nested_513", nested(513), MI, "nested 513 levels deep: strict refuses it (R-SEC-8); Python's json reads it",
        flags=["DeepNesting"])
    add("n_sidecar_nested_2000", nested(2000), MI, "nested 2000 levels deep: Python's json raises RecursionError (unhandled), strict refuses it",
        flags=["DeepNesting"])
    return out
