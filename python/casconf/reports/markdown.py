"""The Markdown report: verdict, matrices (groups, flags, writers), every mismatch, every
silent corruption, not-run implementations and timings."""

from __future__ import annotations

from casconf.reports import matrix, verdict
from casconf.reports.terminal import _short


def _table(header, rows) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return out


def _status(impl: dict) -> str:
    if not impl["available"]:
        return "not run: " + impl["reason"]
    n = impl.get("batch_fallbacks", 0)
    return "ran" + (" (%d batch restart%s after a crash/stall)" % (n, "s" * (n > 1)) if n else "")


def render(result, required_missing=(), gate=None) -> str:
    ok, line = verdict(result, required_missing, gate)
    m = result.manifest
    out = ["# casblob conformance report", "",
           "**%s**" % line, "",
           "Fixtures: %s. Run time: %.1f s. Cells: passed/ran; `!N` = N reads returned bytes whose "
           "SHA-1 is not the key (silent corruption, expected hazards included)."
           % ("%d cases from `%s`" % (len(m.cases), m.path) if m is not None else "none", result.seconds), ""]
    cols, body = matrix(result, by_flag=True)
    if cols:
        out += ["## Matrix", ""]
        out += _table(["rows"] + ["%s/%s" % c for c in cols], [[label] + cells for label, cells in body])
        out.append("")
    out += ["## Implementations", ""]
    out += _table(["implementation", "profiles", "status", "seconds per profile"],
                  [[i["name"], ", ".join(i["profiles"]), _status(i),
                    ", ".join("%s %.2f" % kv for kv in i["seconds"].items())] for i in result.implementations])
    out.append("")
    out += ["## Summary", ""]
    out += _table(["implementation/profile", "pass", "fail", "silent corruption (unexpected)", "not run",
                   "detail warnings"],
                  [[k, s["pass"], s["fail"], "%d (%d)" % (s["silent_corruption"], s["silent_corruption_unexpected"]),
                    s["not_run"], s["warnings"]] for k, s in result.summary.items()])
    out.append("")
    fails = gate["new"] if gate is not None else [e for e in result.entries if e["status"] not in ("pass", "not-run")]
    out += ["## %s (%d)" % ("New mismatches" if gate is not None else "Mismatches", len(fails)), ""]
    if fails:
        out += _table(["status", "implementation/profile", "case", "expected", "actual"],
                      [[e["status"], "%s/%s" % (e["implementation"], e["profile"]), "`%s`" % e["case"],
                        _short(e["expected"]), _short(e["actual"])] for e in fails])
    else:
        out.append("None.")
    out.append("")
    silent = [e for e in result.entries if e.get("silent_corruption")]
    out += ["## Silent corruption (%d)" % len(silent), ""]
    if silent:
        out += _table(["implementation/profile", "case", "expected by the manifest", "returned sha1"],
                      [["%s/%s" % (e["implementation"], e["profile"]), "`%s`" % e["case"],
                        "yes" if e["expected_hazard"] else "**NO**", e["actual"].get("sha1", "")[:12]]
                       for e in silent])
    else:
        out.append("None.")
    out.append("")
    warn = [e for e in result.entries if e.get("warnings")]
    if warn:
        out += ["## Detail warnings (%d; not failures)" % len(warn), ""]
        out += _table(["implementation/profile", "case", "warning"],
                      [["%s/%s" % (e["implementation"], e["profile"]), "`%s`" % e["case"], "; ".join(e["warnings"])]
                       for e in warn])
        out.append("")
    return "\n".join(out)
