"""Reading the contract's tables out of Markdown: the rows of the table under a header line."""

from __future__ import annotations

import re

_CODE = re.compile(r"^`([^`]+)`$")


def table(text: str, header: str) -> list[list[str]]:
    """Cells of every body row of the first table whose header line starts with ``header``."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith(header):
            rows = []
            for row in lines[i + 2:]:  # skip the |---| line
                if not row.startswith("|"):
                    break
                rows.append([c.strip() for c in row.strip().strip("|").split("|")])
            return rows
    raise ValueError("no table with header %r" % header)


def code(cell: str) -> str | None:
    """``name`` for a cell that is exactly `name` in code font, else None."""
    m = _CODE.match(cell)
    return m.group(1) if m else None


def section(text: str, heading: str) -> str:
    """The text from ``heading`` (a line) to the next heading of the same or a higher level."""
    start = text.index(heading + "\n")
    level = len(heading) - len(heading.lstrip("#"))
    rest = text[start + len(heading) + 1:]
    m = re.search(r"^#{1,%d} " % level, rest, re.M)
    return rest[:m.start()] if m else rest
