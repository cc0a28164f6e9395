"""``casconf gate``: a Metaflow change (head) against every reader generation (bases), with their
own code, judged by the rules of spec 11.4 (conformance/GATE.md)."""

from __future__ import annotations

import argparse
import os
import sys

from casblob_fixtures.manifest import ManifestError, default_fixtures_dir, load
from metaflow_trees import TreeError, default_cache_dir, from_path, from_rev

from casconf.gate import allowlist, payloads, run
from casconf.gate.exercise import CORPUS, HEAD, GateRunError
from casconf.gate.reports import github, json_report, junit, markdown, terminal
from casconf.gate.result import EXIT_TREE, EXIT_USAGE

NAME = "gate"
HELP = "gate a Metaflow change (head tree) against every reader generation (base trees)"


def add_arguments(g: argparse.ArgumentParser) -> None:
    g.description = ("Runs the head's and every base's own datastore code: each writes the payload set, each "
                     "reads what the others wrote; judged by ROUNDTRIP, BACKWARD_TRANSITIVE, FORWARD_CLEAN, "
                     "FORWARD_SAFE, SIDECAR_LOSS_SAFE and CODEC_OPTIONAL (conformance/GATE.md). Exit status: 0 "
                     "pass, 1 a rule failed, 2 bad command line or configuration, 3 a tree could not be imported "
                     "or run.")
    head = g.add_mutually_exclusive_group(required=True)
    head.add_argument("--head", metavar="PATH", help="folder holding the head's metaflow package")
    head.add_argument("--head-rev", metavar="REV", help="the head as a revision of --repo")
    g.add_argument("--base", action="append", default=[], metavar="NAME=PATH",
                   help="a base tree: a folder holding its metaflow package; repeatable")
    g.add_argument("--base-rev", action="append", default=[], metavar="NAME=REV",
                   help="a base as a revision of --repo (NAME defaults to REV); repeatable")
    g.add_argument("--repo", metavar="CLONE", help="a Metaflow git clone (bare or not) for --head-rev/--base-rev")
    g.add_argument("--cache", metavar="DIR", help="where revisions are extracted, one folder per commit "
                   "(default: %s)" % default_cache_dir())
    g.add_argument("--fixtures", metavar="DIR", help="fixture folder holding manifest.json (default: %s)"
                   % default_fixtures_dir())
    g.add_argument("--no-fixtures", action="store_true", help="leave the fixture corpus out of BACKWARD_TRANSITIVE")
    g.add_argument("--allow", metavar="FILE", help="allow-list: (rule, base) violations accepted with a reason")
    g.add_argument("--payloads", choices=sorted(payloads.SETS), default="default",
                   help="payload set every tree writes (default: the 8 of GATE.md, one of 8 MiB)")
    g.add_argument("--python", metavar="PATH", help="interpreter that runs the trees (default: this one, %s)"
                   % sys.executable)
    g.add_argument("--timeout", type=float, default=120.0, help="seconds a tree may take per reply (default 120)")
    g.add_argument("--jobs", type=int, default=2, help="trees reading at once (default 2)")
    g.add_argument("--json", metavar="FILE", help="write the JSON report (casconf-gate/1)")
    g.add_argument("--junit", metavar="FILE", help="write JUnit XML")
    g.add_argument("--markdown", metavar="FILE", help="write a Markdown summary (a PR comment)")
    g.add_argument("--github", action="store_true", help="print GitHub Actions annotations (::error ...)")
    g.add_argument("--quiet", action="store_true", help="print the verdict line only")


class _Usage(Exception):
    pass


def _named(spec: str, what: str, default_name) -> tuple[str, str]:
    name, sep, value = spec.partition("=")
    if not sep:
        name, value = default_name(spec), spec
    if not name or not value:
        raise _Usage("%s %r: expected NAME=%s" % (what, spec, "PATH" if what == "--base" else "REV"))
    return name, value


def _trees(args):
    if (args.head_rev or args.base_rev) and not args.repo:
        raise _Usage("--head-rev and --base-rev need --repo CLONE")
    if not args.base and not args.base_rev:
        raise _Usage("give at least one --base NAME=PATH or --base-rev NAME=REV")
    specs = [_named(s, "--base", lambda p: os.path.basename(os.path.normpath(p))) + ("path",) for s in args.base]
    specs += [_named(s, "--base-rev", lambda r: r) + ("rev",) for s in args.base_rev]
    names = [n for n, _, _ in specs]
    for n in names:
        if n in (HEAD, CORPUS) or names.count(n) > 1 or n.startswith(HEAD + " "):
            raise _Usage("base name %r is reserved or given twice" % n)
    head = from_rev(HEAD, args.repo, args.head_rev, args.cache) if args.head_rev else from_path(HEAD, args.head)
    bases = [from_rev(n, args.repo, v, args.cache) if kind == "rev" else from_path(n, v) for n, v, kind in specs]
    return head, bases


def main(args) -> int:
    try:
        if args.jobs < 1 or args.timeout <= 0:
            raise _Usage("--jobs must be at least 1 and --timeout positive")
        allow = allowlist.load(args.allow) if args.allow else []
        manifest = None if args.no_fixtures else load(args.fixtures or default_fixtures_dir())
        head, bases = _trees(args)
    except (_Usage, allowlist.AllowListError, ManifestError) as exc:
        print("casconf gate: %s" % exc, file=sys.stderr)
        return EXIT_USAGE
    except TreeError as exc:
        print("casconf gate: %s" % exc, file=sys.stderr)
        return EXIT_TREE
    try:
        result = run.run(head, bases, payloads.SETS[args.payloads](), manifest, allow=allow, python=args.python,
                         timeout=args.timeout, jobs=args.jobs)
    except GateRunError as exc:
        print("casconf gate: %s" % exc, file=sys.stderr)
        return EXIT_TREE
    if args.json:
        json_report.write(args.json, result)
    if args.junit:
        junit.write(args.junit, result)
    if args.markdown:
        markdown.write(args.markdown, result)
    sys.stdout.write(result.summary() + "\n" if args.quiet else terminal.render(result))
    if args.github:
        sys.stdout.write(github.render(result))
    return result.exit_code
