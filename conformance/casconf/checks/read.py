"""Read check: every fixture x every claimed profile, against the manifest's ``expect``."""

from __future__ import annotations

from casconf.manifest import Case, Manifest
from casconf.model import Response, classify


def cases_for(manifest: Manifest | None, profile: str) -> list[Case]:
    if manifest is None:
        return []
    return [c for c in manifest.cases if profile in c.expect]


def judge(case: Case, profile: str, implementation: str, response: Response) -> dict:
    expected = case.expect[profile]
    actual = response.outcome(case.key)
    status, warnings = classify(expected, actual)
    return {
        "check": "read", "implementation": implementation, "profile": profile,
        "case": case.name, "tcId": case.tc_id, "group": case.group, "flags": list(case.flags),
        "status": status, "expected": expected, "actual": actual, "warnings": warnings,
    }
