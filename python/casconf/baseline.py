"""``casconf run --gate BASELINE.json``: fail only on mismatches that a saved run report did not
have (a run against its own past; ``casconf gate``, in casconf/gate/, is the base -> head gate over
real Metaflow trees).

A mismatch is identified by (check, implementation, profile, case) and its status plus
actual outcome: a case failing as it failed in the baseline is *known*; failing where the
baseline passed, was absent, or failed differently is *new*; failing in the baseline and
passing now is *fixed*."""

from __future__ import annotations

import json

from casconf.model import FAILING, PASS


def _key(e) -> tuple:
    return (e["check"], e["implementation"], e["profile"], e["case"])


def _sig(e) -> tuple:
    a = e.get("actual", {})
    return (e["status"], a.get("outcome"), a.get("error"), a.get("sha1"))


def compare(baseline_path: str, entries) -> dict:
    with open(baseline_path, "rb") as f:
        base = json.load(f)
    before = {_key(e): e for e in base.get("cases", [])}
    new, known, fixed = [], [], []
    for e in entries:
        old = before.get(_key(e))
        if e["status"] in FAILING:
            if old is not None and old["status"] in FAILING and _sig(old) == _sig(e):
                known.append(e)
            else:
                new.append(e)
        elif e["status"] == PASS and old is not None and old["status"] in FAILING:
            fixed.append("%s %s/%s %s" % _key(e))
    return {"baseline": baseline_path, "new": new, "known": known, "fixed": fixed}
