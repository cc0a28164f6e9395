"""Metaflow's release history, measured: which reader profile each release's real read path
matches on the whole fixture corpus (spec Appendix E, generated from spec/release-history.json).

  sweep --repo CLONE [--range FIRST..LAST | --rev REV ...] [--extra NAME=REV[:hide=MOD][:profile=P] ...]
        [--per-variant] [--python PY] [--cache DIR] [--jobs N] [--out FILE] [--update]
      run every release tag of CLONE (tags such as 2.4.0, oldest first; or a range, or the given
      revisions) and the extra revisions; write the result (default: spec/release-history.json).
      --per-variant: one release per read-path variant (the git blobs of the read-path files),
      the others recorded as measured by it. --update: merge into the existing result (runs of
      the same name and Python are replaced). --python: run the trees under PY (a Python 3.7 for
      the OSError of older interpreters; a pre-2.4 tree needs click importable there).
  check --repo CLONE [--python PY] [--cache DIR] [--jobs N]
      re-run every run of the committed result made with PY's version, compare what it measured.
  appendix [--check]
      write (or compare) the spec's generated Appendix E and the verdict table of section 11.5
      from the committed result and the manifest.

Trees are extracted into the cache (default ~/.cache/casblob/metaflow-trees), never into the
repository; only the result, which is data, is committed."""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
from pathlib import Path

from casblob_fixtures.manifest import default_fixtures_dir, load

from spec_tools import blocks, release_sweep
from spec_tools.release_sweep import Spec, version_key

RESULT = blocks.repo_file("spec", "release-history.json")
SPEC = blocks.repo_file("spec", "cas-blob-format.md")
BEGIN = "<!-- BEGIN GENERATED: release history (python/spec_tools/release_history.py) -->"
VERDICT_BEGIN = "<!-- BEGIN GENERATED: verdict per reader generation (python/spec_tools/release_history.py) -->"
END = "<!-- END GENERATED -->"
FIX = "python3 -m spec_tools.release_history appendix"

# Spec 11.5: each kind of blob a v2 writer leaves, by the fixture that is one.
VERDICT_ROWS = (
    ("v2: an lz4 frame under `{\"cas_raw\": false, \"cas_version\": 2}`", "y_v2_python_lz4_default_small_dict"),
    ("raw under v2, content not gzip", "y_raw_v2_small_dict"),
    ("raw under v2, content a gzip file", "y_raw_v2_content_is_gzip"),
    ("raw under v2, empty content", "y_raw_v2_empty"),
    ("v2 with its sidecar lost (a copy without metadata; S3 `put_many` of 2.9.5-2.19.19)",
     "n_field_s3_put_many_v2_sidecar_dropped"),
)
# The readers: a manifest column, or (None) the run of PR #3090 as written on a host without lz4.
VERDICT_READERS = (
    ("2.0-2.3 (`pre-cas`)", "pre-cas"), ("2.4-2.19 (`legacy`)", "legacy"), ("PR #3090, with lz4 (`v2`)", "v2"),
    ("PR #3090 as written, without lz4", None), ("lazy lz4 import, without lz4 (`v2-nolz4`)", "v2-nolz4"),
    ("`strict`", "strict"),
)
NOLZ4_RUN = "PR #3090 (c880013b8) without lz4"


# ---- the appendix -----------------------------------------------------------------------------

def _main_python(runs: list[dict]) -> str:
    return collections.Counter(r["python"] for r in runs if r.get("release") and "python" in r).most_common(1)[0][0]


def _span(names: list[str]) -> str:
    return names[0] if len(names) == 1 else "%s - %s" % (names[0], names[-1])


def _agreement(run: dict) -> str:
    if run.get("import_error"):
        return "none: does not import (%s)" % _code(run["import_error"], 80)
    return "%d/%d" % (run["agree"], run["total"])


def _outcomes(run: dict) -> str:
    o = run["outcomes"]
    return "%d / %d / %d / %d" % (o["ok"], o["wrong_bytes"], o["clean_error"], o["unhandled"])


def _signature(run: dict) -> tuple:
    """What makes two releases the same reader: generation, profile and every disagreement."""
    return (run.get("generation"), run.get("profile"), run.get("import_error"),
            json.dumps(run.get("disagreements"), sort_keys=True), run.get("error"))


def _ranges(runs: list[dict], key) -> list[list[dict]]:
    out: list[list[dict]] = []
    for r in runs:
        if out and key(out[-1][-1]) == key(r):
            out[-1].append(r)
        else:
            out.append([r])
    return out


def _code(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    text = text if len(text) <= limit else text[: limit - 3] + "..."
    return "`%s`" % text.replace("`", "'").replace("|", "\\|")


def _read_path(run: dict) -> str:
    imports = ", ".join("`%s` %s" % (c["module"], "at module level" if c["how"] == "module" else c["how"])
                        for c in run.get("codecs", ()))
    return "`%s`%s" % (run["reader"], " (imports %s)" % imports if imports else "")


def _label(outcome: dict) -> str:
    if outcome["outcome"] != "error":
        return outcome["outcome"]
    return outcome["error"] + ("/" + outcome["exception"] if outcome.get("exception") else "")


def _disagreements(where: str, run: dict) -> list[str]:
    """The disagreements of a run, counted by (manifest outcome -> tree outcome)."""
    counts = collections.Counter((_label(d["manifest"]), _label(d["tree"])) for d in run["disagreements"])
    if not counts:
        return []
    return ["", "Disagreements in %s: %s." % (where, "; ".join(
        "%d cases where the manifest has `%s` and the tree `%s`" % (n, a, b) for (a, b), n in sorted(counts.items())))]


def render(doc: dict) -> str:
    runs = [r for r in doc["runs"] if "error" not in r]
    main = _main_python(runs)
    releases = sorted((r for r in runs if r["release"] and r["python"] == main), key=lambda r: version_key(r["name"]))
    lines = [BEGIN, ""]
    lines.append(
        "Measured by `python/spec_tools/release_history.py` (do not edit by hand; `appendix --check` compares, "
        "`check --repo CLONE` re-runs): %d release tags of a Netflix/metaflow clone and %d other revisions, each "
        "extracted with `git archive` and reading the %d-case corpus with its own read path under Python %s "
        "(CAS-era: `ContentAddressedStore.load_blobs` over `LocalStorage`; pre-CAS: `LocalDataStore.load_data`; "
        "every case folder is the CAS prefix). *Agreement*: cases whose outcome (right bytes; wrong bytes, same "
        "SHA-1; clean error, same name; unhandled, same exception class) is the manifest's for the profile. "
        "Outcomes: ok / wrong bytes / clean error (the tree's `DataException`) / unhandled."
        % (len(releases), len([r for r in runs if not r["release"]]), doc["corpus"]["cases"], main))
    lines += ["", "| releases | tags | read path | profile | agreement (every tag) | outcomes | read-path variants |",
              "|---|---:|---|---|---|---|---:|"]
    for group in _ranges(releases, _signature):
        first = group[0]
        lines.append("| %s | %d | %s | `%s` | %s | %s | %d |" % (
            _span([r["name"] for r in group]), len(group), _read_path(first), first["profile"], _agreement(first),
            _outcomes(first), len({r["variant"] for r in group})))
    for group in _ranges(releases, _signature):
        lines += _disagreements(_span([r["name"] for r in group]), group[0])
    samples = sorted({k for r in releases for k in r["message_samples"]})
    lines += ["", "Message texts (not compared; the case's path is `<path>`), by range of releases that word "
              "every error message alike:", "",
              "| releases | tags | " + " | ".join("`%s`" % s for s in samples) + " |",
              "|---|---:|" + "---|" * len(samples)]
    for group in _ranges([r for r in releases if not r["import_error"]], lambda r: r["messages"]):
        first = group[0]
        lines.append("| %s | %d | %s |" % (_span([r["name"] for r in group]), len(group), " | ".join(
            _code(first["message_samples"][s]) if s in first["message_samples"] else "" for s in samples)))
    others = [r for r in runs if not r["release"]]
    if others:
        lines += ["", "Other revisions:", "",
                  "| revision | commit | read path | hidden modules | profile | agreement | outcomes |",
                  "|---|---|---|---|---|---|---|"]
        for r in others:
            lines.append("| %s | `%s` | %s | %s | `%s` | %s | %s |" % (
                r["name"], (r["commit"] or "")[:9], _read_path(r), ", ".join(r["hide"]) or "-", r["profile"],
                _agreement(r), _outcomes(r)))
    older = [r for r in runs if r["python"] != main]
    if older:
        lines += ["", "The same trees under other Python versions (the manifest's columns are Python %s's):" % main,
                  "", "| revision | Python | profile | agreement | unhandled exceptions | disagreements |",
                  "|---|---|---|---|---|---|"]
        for r in sorted(older, key=lambda r: (r["python"], version_key(r["name"]) if r["release"] else ())):
            exc = ", ".join("`%s` %d" % kv for kv in r["exceptions"].items()) or "-"
            diff = collections.Counter((_label(d["manifest"]), _label(d["tree"])) for d in r["disagreements"])
            lines.append("| %s | %s | `%s` | %s | %s | %s |" % (
                r["name"], r["python"], r["profile"], _agreement(r), exc,
                "; ".join("%d `%s` -> `%s`" % (n, a, b) for (a, b), n in sorted(diff.items())) or "-"))
    failed = [r for r in doc["runs"] if "error" in r]
    if failed:
        lines += ["", "Not measured: " + "; ".join("%s (%s)" % (r["name"], r["error"]) for r in failed) + "."]
    lines += ["", END]
    return "\n".join(lines)


def _verdict(outcome: dict) -> str:
    if outcome["outcome"] == "ok":
        return "right bytes"
    if outcome["outcome"] == "wrong_bytes":
        return "**wrong bytes**"
    if outcome["error"] == "unhandled":
        return "**unhandled** (`%s`)" % outcome.get("exception", "?")
    return "clean error (`%s`)" % outcome["error"]


def _run_outcome(run: dict, case) -> dict:
    """What ``run`` did with ``case``: the import error of a tree that does not import, its own
    outcome where it disagreed, else its profile's."""
    if run.get("import_error"):
        return {"outcome": "error", "error": "unhandled", "exception": run["import_error"].split(":")[0]}
    for d in run["disagreements"]:
        if d["case"] == case.name:
            return d["tree"]
    return case.expect[run["profile"]]


def render_verdict(doc: dict, manifest) -> str:
    cases = manifest.by_name()
    nolz4 = next((r for r in doc["runs"] if r["name"] == NOLZ4_RUN and "error" not in r), None)
    lines = [VERDICT_BEGIN, "", "| blob a v2 writer leaves | fixture | " +
             " | ".join(label for label, _ in VERDICT_READERS) + " |",
             "|---|---|" + "---|" * len(VERDICT_READERS)]
    for what, name in VERDICT_ROWS:
        case = cases[name]
        cells = []
        for _, column in VERDICT_READERS:
            if column is not None:
                cells.append(_verdict(case.expect[column]))
            else:
                cells.append(_verdict(_run_outcome(nolz4, case)) if nolz4 else "not measured")
        lines.append("| %s | `%s` | %s |" % (what, name, " | ".join(cells)))
    lines += ["", END]
    return "\n".join(lines)


# ---- the commands -----------------------------------------------------------------------------

def _extra(text: str) -> Spec:
    name, _, rest = text.partition("=")
    if not name or not rest:
        raise argparse.ArgumentTypeError("--extra wants NAME=REV[:hide=MOD][:profile=P], not %r" % text)
    rev, *opts = rest.split(":")
    hide, profile = (), None
    for opt in opts:
        key, _, value = opt.partition("=")
        if key == "hide" and value:
            hide += tuple(value.split(","))
        elif key == "profile" and value:
            profile = value
        else:
            raise argparse.ArgumentTypeError("--extra %r: unknown option %r (hide=MOD, profile=P)" % (text, opt))
    return Spec(name, rev, release=False, hide=hide, profile=profile)


def _specs(a) -> list[Spec]:
    if a.rev:
        tags = list(a.rev)
    else:
        tags = release_sweep.release_tags(a.repo)
        if a.range:
            first, _, last = a.range.partition("..")
            tags = release_sweep.in_range(tags, first or None, last or None)
    return [Spec(t, t) for t in tags] + list(a.extra or ())


def _print_run(run: dict) -> None:
    if "error" in run:
        print("  %-24s not measured: %s" % (run["name"], run["error"]), flush=True)
    else:
        print("  %-24s %-8s %-8s %s%s" % (run["name"], run["generation"], run["profile"], _agreement(run),
                                           " (import: %s)" % run["import_error"] if run["import_error"] else ""),
              flush=True)


def _python_version(python: str | None) -> str:
    if not python:
        return "%d.%d.%d" % sys.version_info[:3]
    out = subprocess.run([python, "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], check=True,
                         capture_output=True, text=True).stdout
    return out.strip()


def cmd_sweep(a) -> int:
    manifest = load(a.fixtures)
    specs = _specs(a)
    print("release history: %d revisions of %s" % (len(specs), a.repo), flush=True)
    runs = release_sweep.sweep(specs, a.repo, manifest, a.cache, a.python, jobs=a.jobs, per_variant=a.per_variant,
                               progress=_print_run)
    out = Path(a.out)
    if a.update and out.exists():
        old = json.loads(out.read_text(encoding="utf-8"))["runs"]
        fresh = {(r["name"], r.get("python")) for r in runs}
        runs = [r for r in old if (r["name"], r.get("python")) not in fresh] + runs
        runs.sort(key=lambda r: (not r["release"], version_key(r["name"]) if r["release"] else (), r.get("python", "")))
    out.write_text(json.dumps(release_sweep.document(runs, manifest), indent=1) + "\n", encoding="utf-8")
    disagree = [r["name"] for r in runs if r.get("agree") != r.get("total")]
    print("wrote %d runs to %s; %d disagree with their profile's column: %s"
          % (len(runs), out, len(disagree), ", ".join(disagree) or "none"))
    return 0


def cmd_check(a) -> int:
    doc = json.loads(Path(a.out).read_text(encoding="utf-8"))
    version = _python_version(a.python)
    mine = [r for r in doc["runs"] if r.get("python") == version]
    skipped = len(doc["runs"]) - len(mine)
    specs = [Spec(r["name"], r["rev"], r["release"], tuple(r.get("hide", ())),
                  r["profile"] if not r["release"] else None) for r in mine]
    runs = release_sweep.sweep(specs, a.repo, load(a.fixtures), a.cache, a.python, jobs=a.jobs)
    problems = []
    for old, new in zip(mine, runs):
        for field in release_sweep.MEASURED_FIELDS:
            if old.get(field) != new.get(field):
                problems.append("%s (Python %s): %s was %s, now %s" % (old["name"], version, field,
                                                                       json.dumps(old.get(field))[:200],
                                                                       json.dumps(new.get(field))[:200]))
    for p in problems[:50]:
        print("release history check:", p)
    print("release history check: %d runs re-measured under Python %s, %d differ%s"
          % (len(mine), version, len({p.split(" (")[0] for p in problems}),
             "; %d runs of other Python versions skipped (give --python)" % skipped if skipped else ""))
    return 1 if problems else 0


def cmd_appendix(a) -> int:
    doc = json.loads(Path(a.out).read_text(encoding="utf-8"))
    manifest = load(a.fixtures)
    if release_sweep.document([], manifest)["corpus"] != doc["corpus"]:
        print("release history: the corpus changed since the sweep (%d cases then, %d now): re-run "
              "`spec_tools.release_history sweep --repo CLONE` to measure the new cases" % (
                  doc["corpus"]["cases"], len(manifest.cases)), file=sys.stderr)
    rc = blocks.update(Path(a.spec), BEGIN, END, render(doc), check=a.check,
                       what="Appendix E (release history, %d runs)" % len(doc["runs"]), fix=FIX)
    return rc | blocks.update(Path(a.spec), VERDICT_BEGIN, END, render_verdict(doc, manifest), check=a.check,
                              what="the verdict per reader generation (11.5)", fix=FIX)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="spec_tools.release_history", description=__doc__.split("\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("sweep", "check", "appendix"):
        p = sub.add_parser(name)
        p.add_argument("--out", default=str(RESULT), help="the result file (default spec/release-history.json)")
        p.add_argument("--fixtures", default=default_fixtures_dir())
        if name == "appendix":
            p.add_argument("--check", action="store_true", help="compare the spec's blocks, do not write them")
            p.add_argument("--spec", default=str(SPEC))
            continue
        p.add_argument("--repo", required=True, help="a Metaflow clone (bare or not) with its tags")
        p.add_argument("--python", help="the interpreter the trees run under (default: this one)")
        p.add_argument("--cache", help="where trees are extracted (default ~/.cache/casblob/metaflow-trees)")
        p.add_argument("--jobs", type=int, default=2)
        if name == "sweep":
            g = p.add_mutually_exclusive_group()
            g.add_argument("--range", metavar="FIRST..LAST", help="release tags from FIRST to LAST (either may be empty)")
            g.add_argument("--rev", action="append", help="these revisions instead of the release tags (repeatable)")
            p.add_argument("--extra", action="append", type=_extra, metavar="NAME=REV[:hide=MOD][:profile=P]",
                           help="another revision to run (a pull request, a tree without lz4); repeatable")
            p.add_argument("--per-variant", action="store_true", help="one release per read-path variant")
            p.add_argument("--update", action="store_true", help="merge into the existing result")
    a = ap.parse_args(argv)
    return {"sweep": cmd_sweep, "check": cmd_check, "appendix": cmd_appendix}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
