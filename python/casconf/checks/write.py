"""Write check: every writer encodes a set of payloads; every reader profile must read them.

The producer x consumer matrix (as Apache Arrow's integration tests pair implementations):
a profile that knows the written version must return the exact bytes; a reader that does not
(``legacy`` on v2, ``v2-nolz4`` on v2) must fail cleanly with the error its profile names,
never return wrong bytes; raw blobs are read as stored by every CAS-era profile. ``pre-cas``
(Metaflow 2.0-2.3) reads no sidecar and gunzips every blob: v1 reads, a v2 or raw blob raises
what Python's gzip raises on the stored bytes (the Metaflow model says what, spec 11.4).
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import struct
from dataclasses import dataclass

import metaflow_model
from casblob_fixtures.build import as_expectation

from casconf.model import ReadRequest, Response, classify


def payloads() -> list[tuple[str, bytes]]:
    rng = random.Random(20260410)
    metrics = {"epoch": 7, "loss": [0.5 / (i + 1) for i in range(64)], "name": "train", "ok": True}
    floats = struct.pack("<4096d", *[rng.gauss(0.0, 1.0) for _ in range(4096)])  # float64 array
    text = ("Metaflow stores each artifact once, named by the SHA-1 of its bytes.\n" * 400).encode()
    return [
        ("empty", b""),
        ("one_byte", b"\x00"),
        ("64KiB_plus_1", bytes(rng.getrandbits(8) & 0x0F for _ in range(65537))),
        ("pickled_dict", pickle.dumps(metrics, protocol=4)),
        ("float64_array", floats),
        ("random_1MB", rng.randbytes(1 << 20)),
        ("text", text),
    ]


@dataclass(frozen=True)
class Variant:
    label: str
    version: int
    raw: bool


VARIANTS = (Variant("v1", 1, False), Variant("v2", 2, False),
            Variant("raw-v1", 1, True), Variant("raw-v2", 2, True))


@dataclass(frozen=True)
class WriteCase:
    writer: str
    variant: Variant
    payload: str
    key: str
    blob: str
    meta: str | None

    @property
    def name(self) -> str:
        return "%s:%s:%s" % (self.writer, self.variant.label, self.payload)

    @property
    def group(self) -> str:
        return "write %s %s" % (self.writer, self.variant.label)

    def request(self) -> ReadRequest:
        return ReadRequest(self.blob, self.meta, self.key, None)


def expect(profile: str, variant: Variant, stored: bytes = b"", key: str = "") -> dict:
    """What ``profile`` must do with a blob written as ``variant``; ``pre-cas`` depends on the
    stored bytes (and the key, for wrong bytes)."""
    if profile == "pre-cas" and (variant.raw or variant.version != 1):
        return as_expectation(metaflow_model.read_outcome(stored, None, profile, key))
    if variant.raw or variant.version == 1:
        return {"outcome": "ok"}
    if profile == "legacy":
        return {"outcome": "error", "error": "version_unsupported"}
    if profile == "v2-nolz4":
        return {"outcome": "error", "error": "codec_unavailable"}
    return {"outcome": "ok"}


def _sidecar_problem(sidecar: bytes | None, variant: Variant) -> str | None:
    if sidecar is None:
        return "no sidecar written"
    try:
        meta = json.loads(sidecar.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return "sidecar is not JSON: %s" % exc
    want = {"cas_raw": variant.raw, "cas_version": variant.version}
    if not isinstance(meta, dict) or any(
            type(meta.get(k)) is not type(v) or meta.get(k) != v for k, v in want.items()):
        return "sidecar %r, expected the members of %s" % (sidecar[:200], want)
    return None


def produce(writers, workdir: str) -> tuple[list[WriteCase], list[dict]]:
    """Encodes every payload with every writer variant into CAS prefixes under ``workdir``.
    Returns the cases to read and one ``encode`` entry per attempted write."""
    cases, entries = [], []
    items = payloads()
    for w in writers:
        for variant in VARIANTS:
            if variant.version not in w.write_versions or (variant.raw and not w.writes_raw):
                continue
            prefix = os.path.join(workdir, "%s-%s" % (w.name, variant.label))
            for pname, payload in items:
                key = hashlib.sha1(payload).hexdigest()
                scratch = os.path.join(workdir, ".scratch")
                os.makedirs(scratch, exist_ok=True)
                entry = {"check": "encode", "implementation": w.name, "profile": "encode",
                         "case": "%s:%s:%s" % (w.name, variant.label, pname), "tcId": None,
                         "group": "encode %s" % variant.label, "flags": [], "warnings": [],
                         "expected": {"outcome": "ok"}}
                try:
                    stored, sidecar = w.encode(payload, variant.version, variant.raw, scratch)
                    problem = _sidecar_problem(sidecar, variant)
                except Exception as exc:  # a writer failing is a result, not a driver error
                    stored, sidecar, problem = None, None, "%s: %s" % (type(exc).__name__, exc)
                if problem:
                    entry.update(status="crash", actual={"outcome": "crash", "message": problem})
                    entries.append(entry)
                    if stored is None:
                        continue
                else:
                    entry.update(status="pass", actual={"outcome": "ok"})
                    entries.append(entry)
                blob = os.path.join(prefix, key[:2], key)
                os.makedirs(os.path.dirname(blob), exist_ok=True)
                with open(blob, "wb") as f:
                    f.write(stored)
                meta = None
                if sidecar is not None:
                    meta = blob + "_meta"
                    with open(meta, "wb") as f:
                        f.write(sidecar)
                cases.append(WriteCase(w.name, variant, pname, key, blob, meta))
    return cases, entries


def judge(case: WriteCase, profile: str, implementation: str, response: Response) -> dict:
    stored = b""
    if profile == "pre-cas":
        with open(case.blob, "rb") as f:
            stored = f.read()
    expected = expect(profile, case.variant, stored, case.key)
    actual = response.outcome(case.key)
    status = classify(expected, actual)
    return {
        "check": "write", "implementation": implementation, "profile": profile,
        "case": case.name, "tcId": None, "group": case.group, "flags": [],
        "writer": case.writer, "variant": case.variant.label, "payload": case.payload,
        "status": status, "expected": expected, "actual": actual, "warnings": [],
    }
