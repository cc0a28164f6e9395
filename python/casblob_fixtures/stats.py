"""The generated blocks of fixtures/README.md, from a manifest: the statistics (between the
STATS markers) and the table of cases that cite their sources (the FieldDamage group)."""

from __future__ import annotations

import collections

from spec_reader import EXIT_CODES

from casblob_fixtures.build import MEASURED, PROFILES

STATS_BEGIN = "<!-- BEGIN GENERATED: stats (fixtures/generate) -->"
SOURCES_BEGIN = "<!-- BEGIN GENERATED: cited cases (fixtures/generate) -->"
STATS_END = "<!-- END GENERATED -->"


def outcome_label(e: dict) -> str:
    if e["outcome"] == "error":
        return e["error"]
    return e["outcome"]


def stats_markdown(manifest) -> str:
    lines = []
    lines.append("Cases: **%d** in %d groups." % (manifest["numberOfTests"], len(manifest["testGroups"])))
    lines.append("")
    lines.append("| group | cases | y_ | n_ | i_ |")
    lines.append("|---|---:|---:|---:|---:|")
    for g in manifest["testGroups"]:
        pre = collections.Counter(t["name"][:2] for t in g["tests"])
        lines.append("| %s | %d | %d | %d | %d |" % (g["type"], len(g["tests"]), pre["y_"], pre["n_"], pre["i_"]))
    lines.append("")
    tests = [t for g in manifest["testGroups"] for t in g["tests"]]
    # Rows: the outcomes, then the error names in exit-code order (spec 9.2).
    labels = ["ok", "wrong_bytes"] + sorted(EXIT_CODES, key=EXIT_CODES.get)
    counts = {p: collections.Counter(outcome_label(t["expect"][p]) for t in tests) for p in PROFILES}
    extra = sorted(set().union(*[set(c) for c in counts.values()]) - set(labels))
    labels += extra
    lines.append("Outcomes per profile:")
    lines.append("")
    lines.append("| outcome | " + " | ".join(PROFILES) + " |")
    lines.append("|---|" + "---:|" * len(PROFILES))
    for lab in labels:
        if any(counts[p][lab] for p in PROFILES):
            lines.append("| %s | %s |" % (lab, " | ".join(str(counts[p][lab]) for p in PROFILES)))
    lines.append("")
    lines.append("Hazards (measured profiles): cases returning wrong bytes / raising an unhandled exception:")
    lines.append("")
    lines.append("| profile | wrong_bytes | unhandled |")
    lines.append("|---|---:|---:|")
    for p in MEASURED:
        lines.append("| %s | %d | %d |" % (p, counts[p]["wrong_bytes"], counts[p]["unhandled"]))
    lines.append("")
    flag_counts = collections.Counter(f for t in tests for f in t["flags"])
    lines.append("Flags (see `notes` in the manifest for the effect of each):")
    lines.append("")
    lines.append("| flag | cases | description |")
    lines.append("|---|---:|---|")
    for k, v in sorted(manifest["notes"].items()):
        lines.append("| `%s` | %d | %s |" % (k, flag_counts[k], v["description"].replace("|", "\\|")))
    return "\n".join(lines) + "\n"


def cited_cases_markdown(manifest) -> str:
    """Every case that names its sources (``references``), with what it is."""
    lines = ["| case | what it is | source |", "|---|---|---|"]
    for g in manifest["testGroups"]:
        for t in g["tests"]:
            if t.get("references"):
                lines.append("| `%s` | %s | %s |" % (t["name"], t["comment"].replace("|", "\\|"),
                                                     ", ".join(t["references"])))
    return "\n".join(lines) + "\n"


def _with_block(text: str, begin: str, body: str) -> str:
    if begin not in text:
        return text
    head, rest = text.split(begin, 1)
    _, tail = rest.split(STATS_END, 1)
    return head + begin + "\n" + body + STATS_END + tail


def readme_with_stats(readme_text: str, manifest) -> str:
    """The README with both generated blocks rewritten from ``manifest``."""
    text = _with_block(readme_text, STATS_BEGIN, stats_markdown(manifest))
    return _with_block(text, SOURCES_BEGIN, cited_cases_markdown(manifest))
