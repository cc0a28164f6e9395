#!/usr/bin/python3
"""ctest `spec: spec reader vs manifest`: runs conformance/spec_reader.py (in process) over
every fixture of fixtures/manifest.json and compares with the manifest's `strict` column.

Exit 0: all agree; 1: disagreements (listed); 77: no manifest yet (ctest reports SKIPPED).
  check_spec_reader.py [--fixtures DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "conformance"))

import spec_reader  # noqa: E402

SKIP = 77


def cases(fixtures: Path):
    doc = json.loads((fixtures / "manifest.json").read_text(encoding="utf-8"))
    for group in doc.get("testGroups", []):
        for t in group.get("tests", []):
            key = t["key"]
            blob = fixtures / t["dir"] / key[:2] / key
            meta = Path(str(blob) + "_meta") if t.get("sidecar") else None
            yield t["name"], key, blob, meta, t.get("maxSize"), t["expect"].get("strict")


def outcome(result) -> dict:
    if result[0] == "ok":
        return {"outcome": "ok"}
    out = {"outcome": "error", "error": result[1]}
    if result[2]:
        out["detail"] = result[2]
    return out


def same(got: dict, want: dict) -> bool:
    if got["outcome"] != want.get("outcome"):
        return False
    if got["outcome"] == "ok":
        return True
    return got.get("error") == want.get("error") and got.get("detail") == want.get("detail")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fixtures", default=str(ROOT / "fixtures"))
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    fixtures = Path(a.fixtures)
    if not (fixtures / "manifest.json").exists():
        print("SKIP: %s/manifest.json does not exist yet (generate the fixtures first)" % fixtures)
        return SKIP
    n = bad = 0
    t0 = time.time()
    for name, key, blob, meta, max_size, want in cases(fixtures):
        if want is None:
            continue
        n += 1
        payload = blob.read_bytes()
        sidecar = meta.read_bytes() if meta is not None else None
        got = outcome(spec_reader.read(payload, sidecar, key,
                                       spec_reader.DEFAULT_MAX_SIZE if max_size is None else max_size))
        if not same(got, {k: v for k, v in want.items() if k in ("outcome", "error", "detail")}):
            bad += 1
            print("DISAGREE %s: spec_reader %s, manifest strict %s" % (
                name, json.dumps(got), json.dumps(want)))
        elif a.verbose:
            print("ok %s" % name)
    print("spec_reader vs manifest strict column: %d fixtures, %d disagreements (%.1fs)" % (
        n, bad, time.time() - t0))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
