"""Read check: every fixture x every claimed profile, against the manifest's ``expect``."""

from __future__ import annotations

from casblob_fixtures.manifest import Case, Manifest

from casconf.model import (PASS, SHOULD_HAVE_FAILED, SHOULD_HAVE_PASSED, WRONG_ERROR, ReadRequest, Response,
                           classify)


def cases_for(manifest: Manifest | None, profile: str) -> list[Case]:
    if manifest is None:
        return []
    return [c for c in manifest.cases if profile in c.expect]


def request(case: Case) -> ReadRequest:
    return ReadRequest(case.blob, case.meta, case.key, case.max_size)


# What an `i_` (implementation-defined) case may turn into for an implementation that
# declares itself lenient: a different clean outcome, never wrong bytes, a crash or a timeout.
_LENIENT = frozenset((SHOULD_HAVE_PASSED, SHOULD_HAVE_FAILED, WRONG_ERROR))


def judge(case: Case, profile: str, implementation: str, response: Response,
          lenient_implementation_defined: bool = False) -> dict:
    expected = case.expect[profile]
    actual = response.outcome(case.key)
    status = classify(expected, actual)
    warnings = []
    if (lenient_implementation_defined and profile == "strict" and case.name.startswith("i_")
            and status in _LENIENT):
        warnings.append("implementation-defined: the spec chooses %s, this implementation %s (%s)"
                        % (_label(expected), _label(actual), status))
        status = PASS
    return {
        "check": "read", "implementation": implementation, "profile": profile,
        "case": case.name, "tcId": case.tc_id, "group": case.group, "flags": list(case.flags),
        "status": status, "expected": expected, "actual": actual, "warnings": warnings,
    }


def _label(outcome: dict) -> str:
    if outcome.get("outcome") != "error":
        return outcome["outcome"]
    return outcome["error"] + ("/" + outcome["detail"] if outcome.get("detail") else "")
