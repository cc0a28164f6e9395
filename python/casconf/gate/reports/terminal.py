"""The terminal summary: the trees, one line per rule row, the first violations of each failing
or allowed row, the allow-list's reasons, and the verdict line."""

from __future__ import annotations

from casconf.gate.reports import base_label, case_line, flagged, tree_line


def render(result, max_cases: int = 3) -> str:
    ex = result.exercise
    lines = ["casconf gate: %d reads in %.1f s" % (len(ex.reads), result.seconds)]
    for t in ex.trees:
        lines.append("  %-18s %s" % (t["reader"], tree_line(t)))
    lines.append("")
    head = ("rule", "base", "reader", "status", "violations", "warnings", "cases", "seconds")
    table = [head] + [(r.rule, base_label(r), r.reader, r.status, str(r.violations), str(r.warnings),
                       str(len(r.cases)), "%.3f" % r.seconds) for r in result.rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in table]
    for r in result.rows:
        if r.status == "pass" and not r.warnings:
            continue
        shown = flagged(r, max_cases)
        lines.append("")
        lines.append("%s %s: %d violation(s), %d warning(s)%s" % (r.ident, r.status.upper(), r.violations, r.warnings,
                                                                  " - allowed: " + r.allowed_reason if r.allowed_reason else ""))
        lines += ["  " + case_line(c) for c in shown]
        if len(shown) < r.violations + r.warnings:
            lines.append("  ... %d more (--json has every case)" % (r.violations + r.warnings - len(shown)))
    for e in result.unused:
        lines.append("")
        lines.append("allow-list entry %s %s names nothing that failed: remove it" % (e.rule, e.base or "(head)"))
    for note in ex.notes:
        lines.append("note: " + note)
    lines.append("")
    lines.append(result.summary())
    return "\n".join(lines) + "\n"
