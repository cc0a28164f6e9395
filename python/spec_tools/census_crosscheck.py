"""Cross-check of the silent-corruption census (issue #7) against the two oracles.

`casblob census --dump-sample DIR --sample N` writes a seeded sample of its mutants
(DIR/<id>.blob, DIR/<id>.meta when the mutant has a sidecar) and DIR/sample.jsonl: one line
per mutant with the key and the C++ reading under each profile. This module replays every
mutant through the Metaflow model (python/metaflow_model: Metaflow's read path on Python's
real gzip, json and lz4.frame) and compares it with the C++ `pre-cas`, `legacy`, `v2` and
`v2-nolz4` profiles: same outcome, same error name, same SHA-1 for wrong bytes, and for
`unhandled` the same exception class (the start of the C++ message, the model's detail). The strict column is
compared, for information, with python/spec_reader (the strict reader written from the spec).

  python3 -m spec_tools.census_crosscheck replay DIR [--report FILE] [--no-strict]
  python3 -m spec_tools.census_crosscheck crosscheck --casblob BIN [--quick] [--sample N] [--seed S]
                                                     [--fixtures DIR] [--dir DIR] [--report FILE] [--no-strict]
Exit status: 0 when every modelled profile agrees.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import metaflow_model
import spec_reader
from casblob_fixtures.manifest import default_fixtures_dir

PY_PROFILES = metaflow_model.PROFILES


def _norm(r: dict, exception: str | None = None) -> dict:
    """What the cross-check compares: the outcome, the error name, the exception class of an
    unhandled error, the SHA-1 of wrong bytes."""
    out = {"outcome": r["outcome"]}
    if r["outcome"] == "error":
        out["error"] = r["error"]
        if r["error"] == "unhandled":
            out["exception"] = exception
    elif r["outcome"] == "wrong_bytes":
        out["sha1"] = r["sha1"]
    return out


def _strict_outcome(blob: bytes, sidecar: bytes | None, key: str) -> dict:
    r = spec_reader.read(blob, sidecar, key)
    if r[0] == "ok":
        sha1 = hashlib.sha1(r[1]).hexdigest()
        return {"outcome": "ok"} if sha1 == key else {"outcome": "wrong_bytes", "sha1": sha1}
    return {"outcome": "error", "error": r[1]}


def _reproducer(d: Path, rec: dict, profile: str) -> str:
    blob = d / rec["blob"]
    meta = f"--meta {d / rec['meta']}" if rec.get("meta") else "--no-meta"
    sidecar = f"open('{d / rec['meta']}','rb').read()" if rec.get("meta") else "None"
    return (
        f"casblob decode --profile {profile} {meta} --key {rec['key']} --json {blob}  |  "
        f"/usr/bin/python3 python -c \"import metaflow_model; "
        f"print(metaflow_model.read_outcome(open('{blob}','rb').read(), {sidecar}, '{profile}', '{rec['key']}'))\""
    )


def replay(d: Path, strict: bool = True, max_list: int = 50) -> dict:
    """Replays DIR/sample.jsonl; returns the report (agreement per profile, disagreements)."""
    agree = collections.Counter()
    total = collections.Counter()
    detail_agree = collections.Counter()
    detail_total = collections.Counter()
    by_class = collections.Counter()
    disagreements = []
    with open(d / "sample.jsonl", encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    for rec in records:
        blob = (d / rec["blob"]).read_bytes()
        sidecar = (d / rec["meta"]).read_bytes() if rec.get("meta") else None
        profiles = list(PY_PROFILES) + (["strict"] if strict else [])
        for profile in profiles:
            cpp_full = rec["cpp"][profile]
            if profile == "strict":
                py_full = _strict_outcome(blob, sidecar, rec["key"])
            else:
                py_full = metaflow_model.read_outcome(blob, sidecar, profile, rec["key"])
            cpp = _norm(cpp_full, (cpp_full.get("message") or "").split(":", 1)[0])
            py = _norm(py_full, py_full.get("detail"))
            total[profile] += 1
            if cpp == py:
                agree[profile] += 1
                if cpp["outcome"] == "error" and cpp["error"] == "corrupt" and py_full.get("detail"):
                    detail_total[profile] += 1
                    detail_agree[profile] += cpp_full.get("detail") == py_full.get("detail")
                continue
            by_class[(profile, rec["variant"], rec["mutation"])] += 1
            if len(disagreements) < max_list:
                disagreements.append(
                    {
                        "id": rec["id"],
                        "profile": profile,
                        "input": rec["input"],
                        "variant": rec["variant"],
                        "mutation": rec["mutation"],
                        "index": rec["index"],
                        "cpp": cpp_full,
                        "python": {k: v for k, v in py_full.items() if k != "size"},
                        "reproduce": _reproducer(d, rec, profile),
                    }
                )
    report = {
        "sample": len(records),
        "profiles": {
            p: {
                "agree": agree[p],
                "total": total[p],
                "agreement": (agree[p] / total[p]) if total[p] else None,
                "corrupt_detail_agreement": (detail_agree[p] / detail_total[p]) if detail_total[p] else None,
            }
            for p in total
        },
        "disagreements_by_class": [
            {"profile": p, "variant": v, "mutation": m, "count": n} for (p, v, m), n in sorted(by_class.items())
        ],
        "disagreements": disagreements,
    }
    modelled = [p for p in PY_PROFILES if total[p]]
    report["modelled_agree"] = all(agree[p] == total[p] for p in modelled)
    return report


def print_report(rep: dict) -> None:
    print(f"census cross-check: {rep['sample']} mutants replayed")
    for p, s in rep["profiles"].items():
        who = "spec_reader" if p == "strict" else "metaflow_model"
        det = s["corrupt_detail_agreement"]
        det_s = f", corrupt detail {100 * det:.2f}%" if det is not None else ""
        print(f"  {p:9s} vs {who:15s}: {s['agree']}/{s['total']} agree ({100 * s['agreement']:.3f}%){det_s}")
    for c in rep["disagreements_by_class"]:
        print(f"  DISAGREE {c['profile']} {c['variant']} {c['mutation']}: {c['count']}")
    for x in rep["disagreements"][:20]:
        print(f"  - id {x['id']} {x['profile']} {x['input']} {x['mutation']}#{x['index']}: "
              f"C++ {x['cpp'].get('outcome')}/{x['cpp'].get('error', x['cpp'].get('sha1', ''))} "
              f"Python {x['python'].get('outcome')}/{x['python'].get('error', x['python'].get('sha1', ''))}")
        print(f"      {x['reproduce']}")


def _run(cmd: list[str]) -> None:
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.stderr.write(r.stdout + r.stderr)
        raise SystemExit(f"census_crosscheck: {' '.join(cmd)} exited {r.returncode}")
    sys.stderr.write(r.stdout)


def cmd_replay(args) -> int:
    rep = replay(Path(args.dir), strict=not args.no_strict)
    if args.report:
        Path(args.report).write_text(json.dumps(rep, indent=1) + "\n")
    print_report(rep)
    return 0 if rep["modelled_agree"] else 1


def cmd_crosscheck(args) -> int:
    with tempfile.TemporaryDirectory(prefix="census-sample-") as tmp:
        d = Path(args.dir) if args.dir else Path(tmp)
        cmd = [args.casblob, "census", "--no-progress", "--seed", str(args.seed), "--fixtures", args.fixtures,
               "--dump-sample", str(d), "--sample", str(args.sample)]
        if args.quick:
            cmd.append("--quick")
        if args.threads:
            cmd += ["--threads", str(args.threads)]
        _run(cmd)
        rep = replay(d, strict=not args.no_strict)
    rep["command"] = " ".join(cmd[:1] + cmd[1:])
    if args.report:
        Path(args.report).write_text(json.dumps(rep, indent=1) + "\n")
    print_report(rep)
    return 0 if rep["modelled_agree"] else 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="spec_tools.census_crosscheck", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("replay", help="replay a dumped sample")
    r.add_argument("dir")
    r.add_argument("--report")
    r.add_argument("--no-strict", action="store_true", help="skip the strict vs spec_reader comparison")
    r.set_defaults(fn=cmd_replay)
    c = sub.add_parser("crosscheck", help="run casblob census --dump-sample, then replay")
    c.add_argument("--casblob", required=True)
    c.add_argument("--fixtures", default=default_fixtures_dir(), help="the corpus the census mutates (default: %(default)s)")
    c.add_argument("--quick", action="store_true")
    c.add_argument("--sample", type=int, default=20000)
    c.add_argument("--seed", type=int, default=1)
    c.add_argument("--threads", type=int, default=0)
    c.add_argument("--dir", help="keep the sample in DIR (default: a temporary folder)")
    c.add_argument("--report")
    c.add_argument("--no-strict", action="store_true")
    c.set_defaults(fn=cmd_crosscheck)
    args = ap.parse_args(argv)
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
