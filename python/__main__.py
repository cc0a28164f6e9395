"""Runs a module of this folder's packages in place, without installing them:

    /usr/bin/python3 python MODULE [ARGS...]       e.g.  /usr/bin/python3 python casconf run
    /usr/bin/python3 python SCRIPT.py [ARGS...]    a script elsewhere in the repository that
                                                   imports these packages (no sys.path edits)

Given a folder, Python puts that folder first on the module search path and runs its
__main__.py (this file), so ``casconf``, ``spec_reader``, ``casblob_fixtures`` ... import
exactly as they do once installed, from any working directory. MODULE is what ``-m`` would
take (``casconf``, ``casblob_fixtures.generate``, ``pytest`` ...). See python/README.md."""

import runpy
import sys

if len(sys.argv) < 2 or sys.argv[1].startswith("-"):
    sys.stderr.write("usage: python3 python MODULE [ARGS...]  (MODULE as for python3 -m)\n")
    sys.exit(2)
target = sys.argv.pop(1)
if target.endswith(".py"):
    sys.argv[0] = target
    runpy.run_path(target, run_name="__main__")
else:
    runpy.run_module(target, run_name="__main__", alter_sys=True)
