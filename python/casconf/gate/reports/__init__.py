"""The gate's reports, one module each: terminal, JSON, JUnit XML, Markdown (a PR comment) and
GitHub workflow-command annotations. All render a ``result.GateResult``; shared wording here."""

from __future__ import annotations


HOW = {"module": "at module level", "optional": "optionally", "lazy": "lazily"}


def tree_line(tree: dict) -> str:
    """``2.19.38 (cas; f8295b1d5a)``: a tree as the reports name it."""
    gen = tree["generation"]
    where = (tree.get("commit") or "")[:10] or tree["path"]
    how = gen["name"] + "".join(", imports %s %s" % (c["module"], HOW[c["how"]]) for c in gen["codecs"])
    return "%s (%s; %s)" % (tree.get("rev") or tree["tree"], how, where)


def base_label(row) -> str:
    return "-" if row.base is None else row.base


def case_line(case: dict) -> str:
    """One judged read, in one line: who read what, and why it was flagged."""
    if case["writer"] == "corpus":
        what = "fixture %s" % case["payload"]
    else:
        what = "%s's %s (%s, %s%s)" % (case["writer"], case["payload"], case["blob"], case.get("encoding") or "?",
                                       ", sidecar removed" if case["sidecar"] == "removed" else "")
    return "%s reads %s: %s" % (case["reader"], what, case.get("why") or case["outcome"])


def flagged(row, limit: int | None = None) -> list[dict]:
    """The row's violations, then its warnings (at most ``limit``)."""
    out = [c for c in row.cases if c["verdict"] == "violation"] + [c for c in row.cases if c["verdict"] == "warning"]
    return out if limit is None else out[:limit]
