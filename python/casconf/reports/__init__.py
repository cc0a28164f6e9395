"""Reports: terminal (matrix + verdict), Markdown, JSON, JUnit XML. ``verdict`` is shared."""

from __future__ import annotations

from casconf.model import FAILING


def columns(result) -> list[tuple[str, str]]:
    """(implementation, profile) pairs that ran, in run order."""
    cols = []
    for inf in result.implementations:
        if inf["available"]:
            cols.extend((inf["name"], p) for p in inf["profiles"]
                        if "%s/%s" % (inf["name"], p) in result.summary)
    return cols


def rows(result, by_flag: bool = False) -> list[tuple[str, callable]]:
    """Row label -> entry predicate: fixture groups, then (optionally) flags, then write rows."""
    out = []
    groups = result.manifest.groups if result.manifest is not None else []
    for g in groups:
        out.append((g, lambda e, g=g: e["check"] == "read" and e["group"] == g))
    if by_flag and result.manifest is not None:
        for f in result.manifest.flags():
            out.append(("flag " + f, lambda e, f=f: e["check"] == "read" and f in e["flags"]))
    seen = []
    for e in result.entries:
        if e["check"] == "write" and e["group"] not in seen:
            seen.append(e["group"])
    for g in seen:
        out.append((g, lambda e, g=g: e["check"] == "write" and e["group"] == g))
    return out


def cell(entries) -> str:
    """``41/41``, ``39/41 !2`` (2 silent corruptions), ``-`` (nothing ran)."""
    ran = [e for e in entries if e["status"] != "not-run"]
    if not ran:
        return "-"
    passed = sum(e["status"] == "pass" for e in ran)
    text = "%d/%d" % (passed, len(ran))
    silent = sum(bool(e.get("silent_corruption")) for e in ran)
    if silent:
        text += " !%d" % silent
    return text


def matrix(result, by_flag: bool = False):
    """(header columns, [(row label, [cell...])]) over the implementations that ran."""
    cols = columns(result)
    index = {}
    for e in result.entries:
        index.setdefault((e["implementation"], e["profile"]), []).append(e)
    body = []
    for label, pred in rows(result, by_flag):
        cells = [cell([e for e in index.get(c, ()) if pred(e)]) for c in cols]
        n = max((len([e for e in index.get(c, ()) if pred(e)]) for c in cols), default=0)
        body.append(("%s (%d)" % (label, n), cells))
    return cols, body


def failures(result):
    return [e for e in result.entries if e["status"] in FAILING]


def verdict(result, required_missing=(), gate=None) -> tuple[bool, str]:
    """(passed, one line). Passed: every claimed expectation holds (or, with a gate, no new
    mismatch), and nothing explicitly required was left unrun."""
    fails = failures(result)
    silent = [e for e in result.entries if e.get("silent_corruption")]
    unexpected = [e for e in silent if not e["expected_hazard"]]
    checked = sum(e["status"] != "not-run" for e in result.entries)
    parts = []
    if gate is not None:
        ok = not gate["new"] and not required_missing
        parts.append("%d new mismatch(es), %d fixed, %d known (gate %s)"
                     % (len(gate["new"]), len(gate["fixed"]), len(gate["known"]), gate["baseline"]))
    else:
        ok = not fails and not required_missing
        if fails:
            by_pair = {}
            for e in fails:
                k = "%s/%s" % (e["implementation"], e["profile"])
                by_pair[k] = by_pair.get(k, 0) + 1
            parts.append("%d mismatch(es): %s" % (len(fails), ", ".join(
                "%s %d" % kv for kv in sorted(by_pair.items()))))
        else:
            parts.append("every claimed expectation holds (%d checks)" % checked)
    if silent:
        text = "silent corruption: %d read(s) returned wrong bytes" % len(silent)
        if unexpected:
            pairs = sorted({"%s/%s" % (e["implementation"], e["profile"]) for e in unexpected})
            text += ", %d NOT expected (%s)" % (len(unexpected), ", ".join(pairs))
        else:
            profiles = sorted({e["profile"] for e in silent})
            text += ", all expected hazards of profile%s %s" % ("s" * (len(profiles) > 1), ", ".join(profiles))
        parts.append(text)
    if required_missing:
        parts.append("required but not run: %s" % ", ".join(required_missing))
    return ok, ("PASS: " if ok else "FAIL: ") + "; ".join(parts)
