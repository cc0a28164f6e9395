"""A gate's outcome: its rows, the trees and payloads it ran, and the exit status (the one table
of exit codes: conformance/GATE.md is generated from it)."""

from __future__ import annotations

from dataclasses import dataclass, field

from casconf.gate.rules import FAIL

EXIT_PASS, EXIT_FAIL, EXIT_USAGE, EXIT_TREE = 0, 1, 2, 3
EXIT_CODES = (
    (EXIT_PASS, "every rule holds, or its violations are allowed with a written reason"),
    (EXIT_FAIL, "a rule failed"),
    (EXIT_USAGE, "bad command line or configuration (an option, the allow-list, the fixture folder)"),
    (EXIT_TREE, "a tree could not be found, extracted, recognised, imported or run (one line says why)"),
)


@dataclass
class GateResult:
    rows: list
    exercise: object                  # exercise.Exercise
    allowed: list = field(default_factory=list)    # allow-list entries that allowed a row
    unused: list = field(default_factory=list)     # entries that named nothing failing
    seconds: float = 0.0
    fixtures: str | None = None

    @property
    def failed(self) -> list:
        return [r for r in self.rows if r.status == FAIL]

    @property
    def verdict(self) -> str:
        return "fail" if self.failed else "pass"

    @property
    def exit_code(self) -> int:
        return EXIT_FAIL if self.failed else EXIT_PASS

    def summary(self) -> str:
        """One line: the verdict, what failed, what was allowed."""
        ex = self.exercise
        head = ex.head.rev or ex.head.path
        text = "%s: head %s against %s" % (self.verdict.upper(), head, ", ".join(b.name for b in ex.bases))
        if self.failed:
            text += "; failed: " + ", ".join("%s (%d)" % (r.ident, r.violations) for r in self.failed)
        allowed = [r for r in self.rows if r.allowed_reason]
        if allowed:
            text += "; allowed: " + ", ".join("%s (%d)" % (r.ident, r.violations) for r in allowed)
        warnings = sum(r.warnings for r in self.rows)
        if warnings:
            text += "; %d known hazard(s) warned" % warnings
        return text
