"""``--junit FILE``: one testsuite per rule, one testcase per row (the base, or ``head``);
a failing row is a <failure> listing its violations, an allowed one is <skipped> with the
reason (as pytest reports an expected failure), warnings are in <system-out>."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from casconf.gate.reports import case_line, flagged
from casconf.gate.rules import RULE_NAMES


def write(path: str, result) -> None:
    root = ET.Element("testsuites", name="casconf gate", time="%.3f" % result.seconds)
    for rule in RULE_NAMES:
        rows = [r for r in result.rows if r.rule == rule]
        suite = ET.SubElement(root, "testsuite", name=rule, tests=str(len(rows)),
                              failures=str(sum(r.status == "fail" for r in rows)),
                              skipped=str(sum(r.status == "allowed" for r in rows)), errors="0",
                              time="%.3f" % sum(r.seconds for r in rows))
        for r in rows:
            tc = ET.SubElement(suite, "testcase", classname="casconf.gate.%s" % rule, name=r.base or "head",
                               time="%.3f" % r.seconds)
            text = "\n".join(case_line(c) for c in flagged(r))
            if r.status == "fail":
                ET.SubElement(tc, "failure", type=rule, message="%d violation(s)" % r.violations).text = text
            elif r.status == "allowed":
                ET.SubElement(tc, "skipped", message="allowed (%d violation(s)): %s" % (r.violations, r.allowed_reason))
                ET.SubElement(tc, "system-out").text = text
            elif text:
                ET.SubElement(tc, "system-out").text = text
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
