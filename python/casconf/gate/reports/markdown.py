"""``--markdown FILE``: short enough for a pull-request comment (or $GITHUB_STEP_SUMMARY): the
verdict, the trees, the rule table, and per failing or allowed row its first violations in a
collapsed block."""

from __future__ import annotations

from casconf.gate.reports import base_label, case_line, flagged, tree_line

ICON = {"pass": "pass", "fail": "**FAIL**", "allowed": "allowed"}


def render(result, max_cases: int = 5) -> str:
    ex = result.exercise
    out = ["### casblob gate: %s" % result.verdict.upper(), ""]
    out += ["* %s: %s" % (t["reader"], tree_line(t)) for t in ex.trees]
    out += ["", "%d reads of %d payloads in %.1f s." % (len(ex.reads), len(ex.payloads), result.seconds), "",
            "| rule | base | status | violations | warnings | cases | s |", "|---|---|---|---|---|---|---|"]
    for r in result.rows:
        out.append("| `%s` | %s | %s | %d | %d | %d | %.2f |" % (r.rule, base_label(r), ICON[r.status], r.violations,
                                                                r.warnings, len(r.cases), r.seconds))
    for r in result.rows:
        if r.status == "pass":
            continue
        out += ["", "<details><summary><code>%s</code> %s: %d violation(s)%s</summary>" % (
            r.ident, r.status, r.violations, " (allowed: %s)" % r.allowed_reason if r.allowed_reason else ""), ""]
        shown = [c for c in flagged(r, max_cases) if c["verdict"] == "violation"]
        out += ["* " + case_line(c).replace("|", "\\|") for c in shown]
        if len(shown) < r.violations:
            out.append("* ... %d more" % (r.violations - len(shown)))
        out += ["", "</details>"]
    warnings = sum(r.warnings for r in result.rows)
    if warnings:
        out += ["", "%d known hazard(s) of the head's profile on the fixture corpus (warnings)." % warnings]
    for e in result.unused:
        out += ["", "Allow-list entry `%s %s` names nothing that failed." % (e.rule, e.base or "(head)")]
    out += ["", "`%s`" % result.summary().replace("`", "'")]
    return "\n".join(out) + "\n"


def write(path: str, result) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(render(result))
