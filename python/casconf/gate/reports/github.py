"""``--github``: GitHub Actions workflow commands on stdout, which the runner shows as
annotations: ``::error`` per failing row (with its first violations), ``::warning`` per
allowed row (with the reason) and for the known hazards, ``::notice`` with the verdict.
Values are escaped as the runner expects (% CR LF everywhere; : and , in properties too)."""

from __future__ import annotations

from casconf.gate.reports import case_line, flagged


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def command(kind: str, title: str, message: str) -> str:
    return "::%s title=%s::%s" % (kind, _prop(title), _data(message))


def render(result, max_cases: int = 3) -> str:
    lines = []
    for r in result.rows:
        cases = "\n".join(case_line(c) for c in flagged(r, max_cases) if c["verdict"] == "violation")
        if r.status == "fail":
            lines.append(command("error", "casconf gate: %s" % r.ident, "%d violation(s)\n%s" % (r.violations, cases)))
        elif r.status == "allowed":
            lines.append(command("warning", "casconf gate: %s (allowed)" % r.ident,
                                 "%d violation(s) allowed: %s\n%s" % (r.violations, r.allowed_reason, cases)))
    warnings = [r for r in result.rows if r.warnings]
    if warnings:
        lines.append(command("warning", "casconf gate: known hazards", "; ".join(
            "%s: %d fixture(s) read as wrong bytes the head's profile is known for" % (r.ident, r.warnings)
            for r in warnings)))
    lines.append(command("notice", "casconf gate: %s" % result.verdict, result.summary()))
    return "\n".join(lines) + "\n"
