#!/usr/bin/python3
"""ctest "bench: smoke": bench/run --quick works end to end and writes the documented shape.
Checks structure only (keys, types, row set, ratio = casblob / ceiling), never timings."""
import argparse
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

ENCODINGS = {"v1", "v2", "v2-cc", "raw"}
PAYLOADS = ["empty", "small_dict", "small_4k", "metrics_dict", "float64_800k", "float64_8m", "random_5m", "text_1m"]
NO_CASE_STUDY = {"empty", "small_4k", "text_1m"}
ROW_KEYS = {"payload": str, "size": int, "op": str, "encoding": str, "casblob_mb_s": (int, float),
            "ceiling_mb_s": (int, float), "ratio": (int, float), "python_mb_s": (int, float)}


def fail(msg):
    print("bench smoke: FAIL:", msg)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True)
    ap.add_argument("--bench-bin", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--workdir", required=True)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    js = os.path.join(a.workdir, "smoke.json")
    out = os.path.join(a.workdir, "out")
    r = subprocess.run([sys.executable, a.run, "--quick", "--json", js, "--out", out, "--bench-bin", a.bench_bin,
                        "--cli", a.cli], capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"bench/run exited {r.returncode}\n{r.stdout}\n{r.stderr}")
    with open(js) as f:
        res = json.load(f)

    rows = res.get("rows")
    if not isinstance(rows, list) or not rows:
        fail("no rows")
    seen = set()
    for row in rows:
        for k, t in ROW_KEYS.items():
            if not isinstance(row.get(k), t) or isinstance(row.get(k), bool):
                fail(f"row {row.get('payload')}/{row.get('op')}/{row.get('encoding')}: {k} missing or not {t}")
        if row["op"] not in ("save", "load"):
            fail(f"op {row['op']!r}")
        if row["encoding"] not in ENCODINGS:
            fail(f"encoding {row['encoding']!r}")
        if row["size"] > 0 and min(row["casblob_mb_s"], row["ceiling_mb_s"], row["python_mb_s"]) <= 0:
            fail(f"non-positive throughput in {row}")
        if abs(row["ratio"] - row["ceiling_ms"] / row["casblob_ms"]) > 0.01 * row["ratio"] + 0.002:
            fail(f"ratio != ceiling time / casblob time in {row}")
        if row["ceiling_form"] not in ("whole", "pieces"):
            fail(f"ceiling form {row['ceiling_form']!r}")
        seen.add((row["payload"], row["op"], row["encoding"]))
    want = {(p, op, e) for p in PAYLOADS for op in ("save", "load") for e in ENCODINGS}
    if seen != want or len(rows) != len(want):
        fail(f"row set differs: missing {sorted(want - seen)[:5]}, extra {sorted(seen - want)[:5]}")
    sizes = {p["name"]: p["size"] for p in res["payloads"]}
    if any(row["size"] != sizes[row["payload"]] for row in rows):
        fail("row size differs from the payload size")

    small = {(r["payload"], r["op"], r["encoding"]) for r in res.get("overhead", [])}
    want_small = {(p, op, e) for p in PAYLOADS if sizes[p] <= 4096 for op in ("save", "load") for e in ENCODINGS}
    if small != want_small:
        fail(f"per-blob rows differ: missing {sorted(want_small - small)[:5]}")
    if {(r["payload"], r["engine"]) for r in res.get("engines", [])} != {(p, e) for p in PAYLOADS
                                                                          for e in ("v1", "v1-isal1", "v1-libdeflate3")}:
        fail("engine rows")

    par = res.get("parallel")
    if not isinstance(par, list) or not par:
        fail("no parallel rows")
    for row in par:
        for k in ("payload", "size", "encoding", "parallel_mb_s", "ceiling_mb_s", "ratio"):
            if k not in row:
                fail(f"parallel row lacks {k}")
        if row["op"] != "save" or row["size"] < 4 << 20:
            fail(f"parallel row {row}")
    for s in res["summary"]:
        for path in ("python", "casblob", "ceiling"):
            if not all(s[path][k] > 0 for k in ("gzip_ms", "lz4_ms", "speedup")):
                fail(f"summary {s['payload']} {path}")
    if {s["payload"] for s in res["summary"] if "case_study" in s} != set(PAYLOADS) - NO_CASE_STUDY:
        fail("case study rows")
    for k in ("cpu_model", "cpus"):
        if k not in res["machine"]:
            fail(f"machine.{k} missing")

    for name in ("results.json", "results.md", "chart.svg"):
        if not os.path.getsize(os.path.join(out, name)):
            fail(f"{name} empty")
    root = ET.parse(os.path.join(out, "chart.svg")).getroot()
    if not root.tag.endswith("svg") or len(root) < 20:
        fail("chart.svg is not an SVG with content")
    print(f"bench smoke: OK ({len(rows)} rows, {len(par)} parallel rows)")


if __name__ == "__main__":
    main()
