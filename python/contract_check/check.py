"""``python3 -m contract_check --casblob BIN [--write] [--repo DIR]``: exit 0 when every copy
agrees with the CLI; 1 with one line per disagreement. --write regenerates the README's tables."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from casblob_fixtures.manifest import checkout_root

from contract_check import copies, readme, tables
from spec_tools import blocks


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="contract_check", description=__doc__.split("\n")[0])
    ap.add_argument("--casblob", required=True, help="the reference CLI (build/bin/casblob)")
    ap.add_argument("--repo", default=checkout_root(), help="repository root (default: this checkout)")
    ap.add_argument("--write", action="store_true", help="regenerate the README's tables first")
    a = ap.parse_args(argv)
    contract = tables.from_cli(a.casblob)
    if a.write:
        for begin, render, what in readme.BLOCKS:
            blocks.update(Path(a.repo, "README.md"), begin, readme.END, render(contract), check=False,
                          what=what, fix="")
    found = copies.problems(contract, a.repo)
    for p in found:
        print("contract:", p)
    if found:
        print("contract: FAILED, %d copies disagree with %s" % (len(found), os.path.basename(a.casblob)))
        return 1
    print("contract: OK (%d errors, %d details, %d exit codes, %d profiles; %d copies checked)"
          % (len(contract.errors), len(contract.details()), len(contract.exit_codes), len(contract.profiles),
             len(copies.COPIES)))
    return 0

