"""The gate's tables as they appear in conformance/GATE.md and spec 11.4, rendered from the one
source of each (``rules.RULES``, ``result.EXIT_CODES``). python/tests/api/test_gate_docs.py
checks the copies and rewrites them (``/usr/bin/python3 python tests.api.test_gate_docs --write``)."""

from __future__ import annotations

from casconf.gate.result import EXIT_CODES
from casconf.gate.rules import RULES

RULES_BEGIN = "<!-- BEGIN GENERATED: gate rules (python/casconf/gate/rules.py) -->"
EXIT_BEGIN = "<!-- BEGIN GENERATED: gate exit codes (python/casconf/gate/result.py) -->"
END = "<!-- END GENERATED -->"


def rules_table() -> str:
    lines = [RULES_BEGIN, "| rule | readers | blobs | holds when |", "|---|---|---|---|"]
    lines += ["| `%s` | %s | %s | %s |" % (r.name, r.readers, r.blobs, r.holds) for r in RULES]
    return "\n".join(lines + [END])


def exit_codes_table() -> str:
    lines = [EXIT_BEGIN, "| exit | when |", "|---|---|"]
    lines += ["| %d | %s |" % (code, meaning) for code, meaning in EXIT_CODES]
    return "\n".join(lines + [END])


# (file relative to the repository root, begin marker, renderer)
BLOCKS = (
    ("conformance/GATE.md", RULES_BEGIN, rules_table),
    ("conformance/GATE.md", EXIT_BEGIN, exit_codes_table),
    ("spec/cas-blob-format.md", RULES_BEGIN, rules_table),
)
