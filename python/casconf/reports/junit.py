"""JUnit XML: one testsuite per implementation/profile, one testcase per case; failing
statuses are <failure>, not-run is <skipped>, silent corruption is a property of the case."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from casconf.model import FAILING
from casconf.reports.terminal import _short


def write(path: str, result) -> None:
    root = ET.Element("testsuites", name="casconf", time="%.3f" % result.seconds)
    suites = {}
    for e in result.entries:
        key = "%s/%s" % (e["implementation"], e["profile"])
        if key not in suites:
            suites[key] = ET.SubElement(root, "testsuite", name=key)
        tc = ET.SubElement(suites[key], "testcase", name=e["case"],
                           classname="%s.%s.%s" % (e["implementation"], e["profile"], e["group"].replace(" ", "_")))
        if e["status"] in FAILING:
            ET.SubElement(tc, "failure", type=e["status"],
                          message="expected %s, got %s" % (_short(e["expected"]), _short(e["actual"])))
        elif e["status"] == "not-run":
            ET.SubElement(tc, "skipped", message=e["actual"].get("message") or "not run")
        if e.get("silent_corruption"):
            props = ET.SubElement(tc, "properties")
            ET.SubElement(props, "property", name="silent_corruption",
                          value="expected" if e["expected_hazard"] else "unexpected")
    for key, suite in suites.items():
        s = result.summary[key]
        suite.set("tests", str(sum(s["statuses"].values())))
        suite.set("failures", str(s["fail"]))
        suite.set("skipped", str(s["not_run"]))
        suite.set("errors", "0")
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)
