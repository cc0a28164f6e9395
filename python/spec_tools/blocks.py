"""Generated blocks of the repository's Markdown files: text between a BEGIN and an END marker
that a tool writes and ``--check`` re-derives. Every tool in this package that owns such a
block (Appendix A, census figures) goes through ``update``."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

from casblob_fixtures.manifest import checkout_root


def repo_file(*parts: str) -> Path:
    """A file of the checkout these tools run from (they edit the repository's documents, so
    they only make sense in place; python/README.md)."""
    root = checkout_root()
    if root is None:
        raise SystemExit("spec_tools: run from a casblob checkout (python3 python spec_tools...)")
    return Path(root, *parts)


def splice(text: str, begin: str, end: str, block: str) -> tuple[str, str]:
    """(the current block, the text with ``block`` in its place). ``block`` includes the markers."""
    if begin not in text or end not in text[text.index(begin):]:
        raise ValueError("generated-block markers %r ... %r not found" % (begin, end))
    start = text.index(begin)
    stop = text.index(end, start) + len(end)
    return text[start:stop], text[:start] + block + text[stop:]


def update(path: Path, begin: str, end: str, block: str, check: bool, what: str, fix: str) -> int:
    """Writes ``block`` into ``path`` between the markers, or with ``check`` compares: exit
    status 0 when equal (or written), 1 with a unified diff when it differs."""
    text = path.read_text(encoding="utf-8")
    try:
        current, new = splice(text, begin, end, block)
    except ValueError as exc:
        print("%s: %s" % (path, exc), file=sys.stderr)
        return 1
    if check:
        if current != block:
            sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), block.splitlines(True),
                                                       "%s (committed)" % path.name, "generated now"))
            print("\n%s in %s differs from a fresh run: run %s and review the diff." % (what, path, fix),
                  file=sys.stderr)
            return 1
        print("%s in %s matches a fresh run." % (what, path.name))
        return 0
    path.write_text(new, encoding="utf-8")
    print("wrote %s to %s" % (what, path))
    return 0
