"""``run``: one gate, from trees to a GateResult (the library entry point; the command line is
casconf/commands/gate.py)."""

from __future__ import annotations

import tempfile
import time

from casconf.gate import allowlist, rules
from casconf.gate.exercise import exercise
from casconf.gate.result import GateResult


def run(head, bases, payloads, manifest=None, allow=(), python=None, timeout: float = 120.0, jobs: int = 2,
        workdir: str | None = None) -> GateResult:
    """``head``, ``bases``: metaflow_trees.Tree (the head named ``head``); ``payloads``: (name,
    bytes) pairs; ``manifest``: the fixture corpus or None; ``allow``: allow-list entries.
    Raises exercise.GateRunError when a tree cannot be imported or run."""
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="casconf-gate-", dir=workdir) as tmp:
        ex = exercise(head, bases, payloads, manifest, tmp, python=python, timeout=timeout, jobs=jobs)
    rows = rules.evaluate(ex)
    unused = allowlist.apply(rows, list(allow))
    return GateResult(rows, ex, allowed=[e for e in allow if e not in unused], unused=unused,
                      seconds=round(time.monotonic() - t0, 3), fixtures=manifest.root if manifest else None)
