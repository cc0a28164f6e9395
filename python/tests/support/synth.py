"""A tiny synthetic fixture corpus in the real manifest's shape (schema casblob-fixtures/1),
for testing the driver without depending on fixtures/. pre-cas/legacy/v2/v2-nolz4 expectations
are measured with the Metaflow model (as the real generator does); strict ones are typed per case."""

from __future__ import annotations

import hashlib
import json
import os
import pickle

import lz4.frame

import metaflow_model
from casblob_fixtures.build import measure

PAYLOAD = pickle.dumps({"epoch": 3, "loss": [0.25, 0.125], "tag": "synthetic"}, protocol=4)
OTHER = b"another artifact, stored under the first one's key\n" * 3


def _gzip(data: bytes) -> bytes:
    return metaflow_model.pack_v1(data, mtime=0)


def _bad_crc(data: bytes) -> bytes:
    g = bytearray(_gzip(data))
    g[-8] ^= 0xFF
    return bytes(g)


def _cases():
    key = hashlib.sha1(PAYLOAD).hexdigest()
    v1 = b'{"cas_raw": false, "cas_version": 1}'
    v2 = b'{"cas_raw": false, "cas_version": 2}'
    half = len(PAYLOAD) // 2
    ok = {"outcome": "ok"}
    # name, group, flags, blob, sidecar, strict expectation, maxSize
    return [
        ("y_v1_small_dict", "ValidV1", [], _gzip(PAYLOAD), v1, ok, None),
        ("y_v2_small_dict", "ValidV2", [], lz4.frame.compress(PAYLOAD), v2, ok, None),
        ("y_raw_v2", "Raw", [], PAYLOAD, b'{"cas_raw": true, "cas_version": 2}', ok, None),
        ("y_nosidecar_gzip", "LegacyNoSidecar", [], _gzip(PAYLOAD), None, ok, None),
        ("y_v1_multimember", "GzipStructure", ["MultiMember"],
         _gzip(PAYLOAD[:half]) + _gzip(PAYLOAD[half:]), v1, ok, None),
        ("n_v1_bad_crc", "Checksum", [], _bad_crc(PAYLOAD), v1,
         {"outcome": "error", "error": "corrupt", "detail": "checksum"}, None),
        ("n_v99_future", "Sidecar", [], PAYLOAD, b'{"cas_raw": false, "cas_version": 99}',
         {"outcome": "error", "error": "version_unsupported"}, None),
        ("n_cas_raw_string_false", "Sidecar", ["SilentCorruption"], _gzip(PAYLOAD),
         b'{"cas_raw": "false", "cas_version": 1}', {"outcome": "error", "error": "meta_invalid"}, None),
        ("n_sidecar_list", "Sidecar", ["UnhandledException"], _gzip(PAYLOAD), b"[1]",
         {"outcome": "error", "error": "meta_invalid"}, None),
        ("n_lost_sidecar_lz4", "Mismatch", ["LostSidecar"], lz4.frame.compress(PAYLOAD), None,
         {"outcome": "error", "error": "format_mismatch"}, None),
        ("y_v2_concatenated_frames", "Lz4Structure", ["SilentCorruption"],
         lz4.frame.compress(PAYLOAD[:half]) + lz4.frame.compress(PAYLOAD[half:]), v2, ok, None),
        ("n_v1_empty_file", "Truncation", ["SilentCorruption"], b"", v1,
         {"outcome": "error", "error": "corrupt", "detail": "truncated"}, None),
        ("n_nosidecar_empty_file", "Truncation", ["SilentCorruption"], b"", None,
         {"outcome": "error", "error": "corrupt", "detail": "truncated"}, None),
        ("n_key_mismatch", "Mismatch", [], _gzip(OTHER), v1, {"outcome": "error", "error": "key_mismatch"}, None),
        ("n_bomb_limit", "Limits", [], _gzip(PAYLOAD), v1, {"outcome": "error", "error": "limit_exceeded"}, 64),
    ], key


def build(root: str) -> str:
    """Writes a corpus under ``root``; returns ``root``."""
    cases, key = _cases()
    groups: dict[str, list] = {}
    for tc_id, (name, group, flags, blob, sidecar, strict, max_size) in enumerate(cases, 1):
        d = os.path.join(root, "cases", name, key[:2])
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, key), "wb") as f:
            f.write(blob)
        if sidecar is not None:
            with open(os.path.join(d, key + "_meta"), "wb") as f:
                f.write(sidecar)
        expect = measure(blob, sidecar, key)
        expect["strict"] = strict
        test = {"tcId": tc_id, "name": name, "comment": "", "flags": flags, "producer": "synthetic",
                "dir": "cases/" + name, "key": key, "sidecar": sidecar is not None,
                "content": {"sha1": key, "size": len(PAYLOAD)}, "expect": expect}
        if max_size is not None:
            test["maxSize"] = max_size
        groups.setdefault(group, []).append(test)
    doc = {"schema": "casblob-fixtures/1", "numberOfTests": len(cases), "header": ["synthetic"],
           "profiles": {p: p for p in metaflow_model.PROFILES + ("strict",)},
           "notes": {"SilentCorruption": {"description": "d", "effect": "e"}},
           "testGroups": [{"type": g, "comment": "", "tests": t} for g, t in groups.items()]}
    with open(os.path.join(root, "manifest.json"), "w") as f:
        json.dump(doc, f, indent=1)
    return root
