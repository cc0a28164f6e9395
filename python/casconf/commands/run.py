"""``casconf run``: the conformance matrix (PROTOCOL.md, "Running")."""

from __future__ import annotations

import argparse
import os
import sys

from casblob_fixtures.manifest import ManifestError, checkout_root, default_fixtures_dir, load

from casconf import adapters, baseline, runner
from casconf.model import PROFILES
from casconf.reports import json_report, junit, markdown, terminal, verdict

NAME = "run"
HELP = "run the conformance matrix"
EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def add_arguments(r: argparse.ArgumentParser) -> None:
    r.add_argument("--fixtures", help="fixture folder holding manifest.json (default: %s)" % default_fixtures_dir())
    r.add_argument("--impl", nargs="+", metavar="NAME",
                   help="implementations to run (default: %s and every --command); an implementation "
                        "named here that cannot run fails the run" % ", ".join(adapters.DEFAULT_IMPLEMENTATIONS))
    r.add_argument("--command", action="append", default=[], metavar="CONFIG.json",
                   help="add a command-protocol implementation (PROTOCOL.md); repeatable")
    r.add_argument("--casblob", metavar="PATH",
                   help="reference CLI (default: $CASBLOB_CLI, build/bin/casblob, or casblob on PATH); given here, it must run")
    r.add_argument("--metaflow", action="append", default=[], metavar="NAME[:PROFILE]=PATH",
                   help="a real Metaflow source tree (PATH holds its `metaflow` package), run with its own code as "
                        "implementation NAME, judged on PROFILE (default: its generation's); repeatable")
    r.add_argument("--metaflow-src", metavar="DIR", help="the tree of the implementation `metaflow` (default: the "
                   "installed metaflow); the same as --metaflow metaflow=DIR")
    r.add_argument("--profile", nargs="+", choices=PROFILES, help="only these profiles")
    r.add_argument("--check", nargs="+", choices=("read", "write"), default=["read", "write"])
    r.add_argument("--timeout", type=float, help="seconds per case for command implementations (default 5)")
    r.add_argument("--jobs", type=int, default=3, help="implementation/profile pairs run at once (default 3)")
    r.add_argument("--json", metavar="FILE", help="write the JSON report")
    r.add_argument("--markdown", metavar="FILE", help="write the Markdown report")
    r.add_argument("--junit", metavar="FILE", help="write JUnit XML")
    r.add_argument("--gate", metavar="BASELINE.json", help="fail only on mismatches the baseline report lacks")
    r.add_argument("--by-flag", action="store_true", help="add one matrix row per fixture flag")
    r.add_argument("--quiet", action="store_true", help="print the verdict line only")


def main(args) -> int:
    repo = checkout_root() or os.getcwd()
    try:
        impls = adapters.build(args.impl, repo, casblob_cli=args.casblob, command_configs=args.command,
                               timeout=args.timeout, metaflow_src=args.metaflow_src, metaflow_trees=args.metaflow)
    except (adapters.ConfigError, OSError) as exc:
        print("casconf: %s" % exc, file=sys.stderr)
        return EXIT_USAGE
    manifest = None
    if "read" in args.check:
        try:
            manifest = load(args.fixtures or default_fixtures_dir())
        except ManifestError as exc:
            print("casconf: %s" % exc, file=sys.stderr)
            return EXIT_FAIL
    result = runner.run(impls, manifest, checks=tuple(args.check), jobs=args.jobs, profiles=args.profile)
    # What was asked for by name (--impl, or the CLI path given with --casblob) must run.
    required = set(args.impl or ()) | ({"casblob"} if args.casblob else set())
    required_missing = [i["name"] for i in result.implementations
                        if not i["available"] and i["name"] in required]
    gate = baseline.compare(args.gate, result.entries) if args.gate else None
    if args.json:
        json_report.write(args.json, json_report.build(result, required_missing, gate))
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(markdown.render(result, required_missing, gate))
    if args.junit:
        junit.write(args.junit, result)
    ok, line = verdict(result, required_missing, gate)
    if args.quiet:
        print(line)
    else:
        sys.stdout.write(terminal.render(result, by_flag=args.by_flag, required_missing=required_missing, gate=gate))
    return EXIT_OK if ok else EXIT_FAIL
