"""The JSON report (schema ``casconf-report/1``): summary per "<implementation>/<profile>" and
every (implementation, profile, case) with its status, expectation and actual outcome."""

from __future__ import annotations

import datetime
import json

from casconf.reports import verdict


def build(result, required_missing=(), gate=None) -> dict:
    ok, line = verdict(result, required_missing, gate)
    m = result.manifest
    doc = {
        "schema": "casconf-report/1",
        "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "manifest": m.path if m is not None else None,
        "numberOfTests": len(m.cases) if m is not None else 0,
        "seconds": round(result.seconds, 3),
        "passed": ok,
        "verdict": line,
        "implementations": result.implementations,
        "summary": result.summary,
        "cases": result.entries,
    }
    if gate is not None:
        doc["gate"] = {"baseline": gate["baseline"], "new": [_ident(e) for e in gate["new"]],
                       "fixed": gate["fixed"], "known": len(gate["known"])}
    return doc


def _ident(e) -> str:
    return "%s %s/%s %s" % (e["check"], e["implementation"], e["profile"], e["case"])


def write(path: str, doc: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
