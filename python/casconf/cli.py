"""``casconf``: the command line. Subcommands live in casconf/commands/ (one module each)."""

from __future__ import annotations

import argparse

from casconf import __version__
from casconf.commands import COMMANDS


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="casconf", description="casblob conformance driver")
    ap.add_argument("--version", action="version", version="casconf " + __version__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for command in COMMANDS:
        command.add_arguments(sub.add_parser(command.NAME, help=command.HELP))
    return ap


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    command = next(c for c in COMMANDS if c.NAME == args.cmd)
    return command.main(args)
