"""Regenerates the casblob fixture corpus deterministically (in a checkout: fixtures/generate).

  generate                  write cases/, manifest.json and the README statistics
  generate --check          rebuild in a temporary folder; fail if any byte differs, naming
                            each case whose bytes or expectations changed
  generate --stats          print the statistics block of the committed manifest
  generate --verify-metaflow SRC [--profile P]   compare with a real Metaflow tree (its own code)

--fixtures DIR chooses the fixture folder (default: the checkout's fixtures/)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from casblob_fixtures import build, stats
from casblob_fixtures.manifest import default_fixtures_dir, load


def generate(out_dir: str, readme_from: str) -> dict:
    """Writes the corpus and manifest into ``out_dir``, and README.md with fresh statistics
    from the README in ``readme_from``; returns the manifest."""
    groups = build.collect()
    manifest = build.build_manifest(groups)
    build.write_corpus(groups, manifest, out_dir)
    readme = os.path.join(readme_from, "README.md")
    if os.path.exists(readme):
        with open(readme, encoding="utf-8") as f:
            text = f.read()
        with open(os.path.join(out_dir, "README.md"), "w", encoding="utf-8") as f:
            f.write(stats.readme_with_stats(text, manifest))
    return manifest


def _read(path: str) -> bytes | None:
    if not os.path.exists(path):
        return None
    with open(path, "rb") as f:
        return f.read()


def changed_cases(old_dir: str, new_dir: str) -> list[str]:
    """What differs between two manifests, case by case (names, expectations, bytes)."""
    old, new = load(old_dir).by_name(), load(new_dir).by_name()
    out = ["case %s: not produced by the generator" % n for n in sorted(set(old) - set(new))]
    out += ["case %s: new" % n for n in sorted(set(new) - set(old))]
    for name in sorted(set(old) & set(new)):
        a, b = old[name], new[name]
        for profile in sorted(set(a.expect) | set(b.expect)):
            if a.expect.get(profile) != b.expect.get(profile):
                out.append("case %s: expect.%s %s -> %s" % (name, profile, a.expect.get(profile), b.expect.get(profile)))
        if (a.key, a.blob_digest, a.sidecar_sha1, a.flags) != (b.key, b.blob_digest, b.sidecar_sha1, b.flags):
            out.append("case %s: key, bytes or flags differ" % name)
    return out


def check(fixtures: str) -> int:
    with tempfile.TemporaryDirectory(prefix="casblob-fixtures-") as tmp:
        generate(tmp, fixtures)
        problems = []
        want = build.tree_digest(os.path.join(tmp, "cases"))
        cases_dir = os.path.join(fixtures, "cases")
        have = build.tree_digest(cases_dir) if os.path.isdir(cases_dir) else {}
        for p in sorted(set(want) | set(have)):
            if p not in have:
                problems.append("missing in fixtures/cases: " + p)
            elif p not in want:
                problems.append("not produced by the generator: cases/" + p)
            elif want[p] != have[p]:
                problems.append("differs: cases/" + p)
        for fn in ("manifest.json", "README.md"):
            fresh = _read(os.path.join(tmp, fn))
            if fresh is not None and fresh != _read(os.path.join(fixtures, fn)):
                problems.append("differs: " + fn)
        if "differs: manifest.json" in problems and os.path.exists(os.path.join(fixtures, "manifest.json")):
            problems += changed_cases(fixtures, tmp)
    for p in problems[:50]:
        print("generate --check:", p)
    if problems:
        print("generate --check: FAILED, %d difference(s); run fixtures/generate" % len(problems))
        return 1
    print("generate --check: OK (%d files identical)" % (len(want) + 2))
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="casblob-fixtures-generate", description=__doc__.split("\n")[0],
                                 epilog=__doc__.split("\n\n", 1)[1], formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--check", action="store_true", help="regenerate in a temp dir and compare byte for byte")
    g.add_argument("--stats", action="store_true", help="print statistics of the committed manifest")
    g.add_argument("--verify-metaflow", metavar="SRC", help="directory holding a real `metaflow` package")
    ap.add_argument("--profile", choices=build.MEASURED,
                    help="column compared by --verify-metaflow (default: the tree's generation: pre-cas, legacy or v2)")
    ap.add_argument("--fixtures", help="fixture folder (default: %s)" % default_fixtures_dir())
    args = ap.parse_args(argv)
    fixtures = os.path.abspath(args.fixtures or default_fixtures_dir())

    if args.check:
        return check(fixtures)
    if args.stats:
        sys.stdout.write(stats.stats_markdown(load(fixtures).doc))
        return 0
    if args.verify_metaflow:
        from casblob_fixtures import verify_metaflow

        return verify_metaflow.verify(fixtures, args.verify_metaflow, args.profile)
    manifest = generate(fixtures, fixtures)
    print("wrote %d cases to %s" % (manifest["numberOfTests"], os.path.join(fixtures, "cases")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
