"""fixtures/lint: the committed manifest against its schema, and the corpus against the manifest.

  python3 -m casblob_fixtures.lint [--fixtures DIR]      (in a checkout: fixtures/lint)
Exit 0 when clean; 1 with one line per problem."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys

from casblob_fixtures.manifest import Manifest, ManifestError, default_fixtures_dir, load


def _sha1_of(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha1(f.read()).hexdigest()


def schema_problems(doc: dict, schema_path: str) -> list[str]:
    try:
        import jsonschema
    except ImportError:
        return ["jsonschema not importable: run with /usr/bin/python3 (python3-jsonschema)"]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
    return ["schema: %s at %s" % (e.message[:200], "/".join(map(str, e.path))) for e in errors[:20]]


def enum_problems(doc: dict, schema_path: str) -> list[str]:
    """Every value an enum of the schema allows is used by some case: the schema is closed and
    holds no dead vocabulary (producers, error names, details)."""
    with open(schema_path, encoding="utf-8") as f:
        defs = json.load(f)["$defs"]
    tests = [t for g in doc.get("testGroups", []) for t in g.get("tests", [])]
    expects = [e for t in tests for e in t.get("expect", {}).values()]
    used = {
        "producer": {t.get("producer") for t in tests},
        "errorName": {e.get("error") for e in expects},
        "detail": {e.get("detail") for e in expects},
    }
    allowed = {
        "producer": defs["test"]["properties"]["producer"]["enum"],
        "errorName": defs["errorName"]["enum"],
        "detail": defs["detail"]["enum"],
    }
    return ["schema: %s %r is allowed but no case uses it" % (what, v)
            for what in allowed for v in allowed[what] if v not in used[what]]


def corpus_problems(m: Manifest) -> tuple[list[str], set[str]]:
    problems = []
    p = problems.append
    ids = [c.tc_id for c in m.cases]
    if ids != list(range(1, len(ids) + 1)):
        p("tcIds are not 1..N in order")
    names = [c.name for c in m.cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        p("duplicate names: %s" % sorted(dup))
    used = set()
    expected_files = set()
    measured = [prof for prof in m.profiles if prof != "strict"]
    for c in m.cases:
        n = c.name
        for fl in c.flags:
            used.add(fl)
            if fl not in m.notes:
                p("%s: flag %s not explained in notes" % (n, fl))
        s = c.expect["strict"]
        if n.startswith("y_") and s["outcome"] != "ok":
            p("%s: y_ prefix but strict expects %s" % (n, s))
        if n.startswith("n_") and s["outcome"] != "error":
            p("%s: n_ prefix but strict expects %s" % (n, s))
        if s["outcome"] == "wrong_bytes":
            p("%s: strict never returns wrong bytes" % n)
        if c.dir != "cases/" + n:
            p("%s: dir %s is not cases/<name>" % (n, c.dir))
        blob_rel = os.path.relpath(c.blob, m.root)
        expected_files.add(blob_rel)
        if not os.path.isfile(c.blob):
            p("%s: missing blob %s" % (n, blob_rel))
            continue
        if c.blob_digest is not None and (_sha1_of(c.blob) != c.blob_digest["sha1"]
                                          or os.path.getsize(c.blob) != c.blob_digest["size"]):
            p("%s: blob sha1/size differ from the manifest" % n)
        if c.meta is not None:
            expected_files.add(os.path.relpath(c.meta, m.root))
            if not os.path.isfile(c.meta):
                p("%s: missing sidecar %s" % (n, os.path.relpath(c.meta, m.root)))
            elif c.sidecar_sha1 is not None and _sha1_of(c.meta) != c.sidecar_sha1:
                p("%s: sidecar sha1 differs from the manifest" % n)
        for other in c.other_files:
            rel = os.path.normpath(os.path.join(c.dir, other["path"]))
            expected_files.add(rel)
            full = os.path.join(m.root, rel)
            if not rel.startswith(c.dir + os.sep):
                p("%s: other file %s is outside the case folder" % (n, other["path"]))
            elif not os.path.isfile(full):
                p("%s: missing other file %s" % (n, rel))
            elif _sha1_of(full) != other["sha1"] or os.path.getsize(full) != other["size"]:
                p("%s: other file %s differs from the manifest" % (n, rel))
        if s["outcome"] == "ok" and c.content.get("sha1") != c.key:
            p("%s: strict ok but content does not hash to the key" % n)
        for prof in measured:
            e = c.expect[prof]
            if e["outcome"] == "wrong_bytes" and e["sha1"] == c.key:
                p("%s: %s wrong_bytes with the key's own sha1" % (n, prof))
    for fl in m.notes:
        if fl not in used:
            p("notes: flag %s is explained but never used" % fl)
    cases_dir = os.path.join(m.root, "cases")
    for dirpath, dirnames, files in os.walk(cases_dir):
        for fn in files:
            rel = os.path.relpath(os.path.join(dirpath, fn), m.root)
            if rel not in expected_files:
                p("stray file: %s" % rel)
        if not files and not dirnames:
            p("empty folder: %s" % os.path.relpath(dirpath, m.root))
    if os.path.isdir(cases_dir):
        for name in sorted(set(os.listdir(cases_dir)) - set(names)):
            p("stray case folder: cases/%s" % name)
    return problems, expected_files


def lint(fixtures_dir: str) -> tuple[list[str], str]:
    """(every problem found, one line each; a one-line summary of what was checked)."""
    try:
        m = load(fixtures_dir)
    except ManifestError as exc:
        return [str(exc)], "no manifest"
    schema_path = os.path.join(m.root, "manifest.schema.json")
    problems = schema_problems(m.doc, schema_path) + enum_problems(m.doc, schema_path)
    corpus, files = corpus_problems(m)
    return problems + corpus, "%d tests, %d flags, %d files" % (len(m.cases), len(m.flags()), len(files))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="casblob-fixtures-lint", description=__doc__.split("\n")[0])
    ap.add_argument("--fixtures", help="fixture folder (default: %s)" % default_fixtures_dir())
    a = ap.parse_args(argv)
    problems, summary = lint(a.fixtures or default_fixtures_dir())
    for line in problems[:100]:
        print("lint:", line)
    if problems:
        print("lint: FAILED (%d problem(s))" % len(problems))
        return 1
    print("lint: OK (%s)" % summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
