"""The gate's tables in conformance/GATE.md and spec 11.4 are the code's (casconf/gate/docs.py),
and GATE.md's broken-head table is tests/support/fake_trees'. Rewrite them with

    /usr/bin/python3 python tests.api.test_gate_docs --write
"""

import sys

import pytest

from casconf.gate import docs
from spec_tools.blocks import repo_file, splice, update
from tests.support import fake_trees

HEADS_BEGIN = "<!-- BEGIN GENERATED: broken heads (python/tests/support/fake_trees) -->"


def broken_heads_table() -> str:
    lines = [HEADS_BEGIN, "| broken head | defect | rule | failing rows |", "|---|---|---|---|"]
    for name, b in fake_trees.BROKEN_HEADS.items():
        rows = ", ".join(sorted("%s %s" % (rule, base) if base else rule for rule, base in b.fails))
        lines.append("| `%s` | %s | `%s` | %s |" % (name, b.defect, b.rule, rows))
    return "\n".join(lines + [docs.END])


BLOCKS = docs.BLOCKS + (("conformance/GATE.md", HEADS_BEGIN, broken_heads_table),)


@pytest.mark.parametrize("path,begin,render", BLOCKS, ids=[b[1].split(": ")[1].split(" (")[0] + " in " + b[0]
                                                          for b in BLOCKS])
def test_the_generated_tables_are_the_codes(path, begin, render):
    current, _ = splice(repo_file(path).read_text(encoding="utf-8"), begin, docs.END, "")
    assert current == render(), "%s is stale: /usr/bin/python3 python tests.api.test_gate_docs --write" % path


def test_every_broken_head_fails_the_rule_it_is_about():
    for name, b in fake_trees.BROKEN_HEADS.items():
        assert b.rule in {rule for rule, _ in b.fails}, name


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python3 python tests.api.test_gate_docs --write")
    for path, begin, render in BLOCKS:
        update(repo_file(path), begin, docs.END, render(), check=False, what="the gate table", fix="")
