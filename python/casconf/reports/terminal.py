"""The default output: one matrix (rows: fixture groups and write rows; columns:
implementation x profile; cells ``pass/ran`` and ``!N`` silent corruptions) and a verdict."""

from __future__ import annotations

from casconf.reports import matrix, verdict


def render(result, by_flag=False, required_missing=(), gate=None, max_failures: int = 10) -> str:
    cols, body = matrix(result, by_flag)
    lines = []
    m = result.manifest
    lines.append("casconf: %s, %d implementation/profile pairs, %.1f s"
                 % ("%d fixtures (%s)" % (len(m.cases), m.path) if m is not None else "no fixtures",
                    len(cols), result.seconds))
    if cols:
        width = max([len(r[0]) for r in body] + [8])
        cw = [max(len(c[0]) if i == 0 or cols[i - 1][0] != c[0] else 0, len(c[1]),
                  max((len(r[1][i]) for r in body), default=1)) for i, c in enumerate(cols)]
        head1 = " " * width
        head2 = " " * width
        for i, (impl, prof) in enumerate(cols):
            first = i == 0 or cols[i - 1][0] != impl
            head1 += "  " + (impl if first else "").ljust(cw[i])
            head2 += "  " + prof.ljust(cw[i])
        lines += [head1.rstrip(), head2.rstrip()]
        for label, cells in body:
            lines.append((label.ljust(width) + "".join("  " + c.ljust(cw[i]) for i, c in enumerate(cells))).rstrip())
    for inf in result.implementations:
        if not inf["available"]:
            lines.append("not run: %s (%s): %s" % (inf["name"], ", ".join(inf["profiles"]), inf["reason"]))
    fails = [e for e in result.entries if e["status"] not in ("pass", "not-run")]
    if gate is not None:
        fails = gate["new"]
    for e in fails[:max_failures]:
        lines.append("  %-18s %s/%s %s: expected %s, got %s" % (
            e["status"], e["implementation"], e["profile"], e["case"], _short(e["expected"]), _short(e["actual"])))
    if len(fails) > max_failures:
        lines.append("  ... and %d more (see the JSON/Markdown report)" % (len(fails) - max_failures))
    if gate is not None and gate["fixed"]:
        lines.append("fixed since the baseline: %d (%s)" % (
            len(gate["fixed"]), ", ".join(k for k in gate["fixed"][:5]) + (" ..." if len(gate["fixed"]) > 5 else "")))
    lines.append(verdict(result, required_missing, gate)[1])
    return "\n".join(lines) + "\n"


def _short(outcome: dict) -> str:
    o = outcome.get("outcome")
    if o == "error":
        return "error " + outcome.get("error", "?") + ("/" + outcome["detail"] if outcome.get("detail") else "")
    if o == "wrong_bytes":
        return "wrong_bytes " + (outcome.get("sha1") or "?")[:12]
    if o in ("crash", "timeout"):
        return "%s (%s)" % (o, (outcome.get("message") or "")[:80])
    return o or "?"
