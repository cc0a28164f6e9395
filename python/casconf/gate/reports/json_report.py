"""``--json FILE``: the whole gate, schema ``casconf-gate/1``: the verdict, every rule row with
every case it judged, the trees (generation, commit, interpreter, seconds), the payloads, the
allow-list entries used and unused."""

from __future__ import annotations

import json

from casconf.gate.rules import BY_NAME

SCHEMA = "casconf-gate/1"


def build(result) -> dict:
    ex = result.exercise
    return {
        "schema": SCHEMA,
        "verdict": result.verdict,
        "summary": result.summary(),
        "seconds": result.seconds,
        "trees": ex.trees,
        "payloads": ex.payloads,
        "fixtures": result.fixtures,
        "fixtures_skipped": ex.fixtures_skipped,
        "rules": [{"rule": r.rule, "base": r.base, "reader": r.reader, "status": r.status,
                   "violations": r.violations, "warnings": r.warnings, "seconds": r.seconds,
                   "holds_when": BY_NAME[r.rule].holds, "allowed_reason": r.allowed_reason, "note": r.note,
                   "cases": r.cases} for r in result.rows],
        "allow": {"used": [e.to_json() for e in result.allowed], "unused": [e.to_json() for e in result.unused]},
        "notes": ex.notes,
    }


def write(path: str, result) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(build(result), f, indent=1)
        f.write("\n")
