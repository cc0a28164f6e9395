"""The dependency direction of python/README.md, and the independence rule of the two oracles,
checked on every module's imports (read from the source, not by importing it):

  oracles (metaflow_model, spec_reader), metaflow_trees  <-  casblob_fixtures  <-  casconf, spec_tools  <-  contract_check

* spec_reader imports only the standard library (never ``gzip``: it parses gzip itself) and
  ``lz4.block``;
* metaflow_model imports only the real codecs (``gzip``, ``zlib``, ``lz4.frame``), ``json``, and
  the helpers ``io``, ``hashlib``, ``re``;
* metaflow_trees (it runs real Metaflow trees) imports nothing of the project;
* no package imports one to its right, and the two oracles never import each other."""

from __future__ import annotations

import ast
import importlib.util
import os
import sys

import pytest

from casconf.adapters.command import PACKAGES

ORACLES = ("metaflow_model", "spec_reader")
# package -> the project packages it may import (itself included)
MAY_IMPORT = {
    "metaflow_model": {"metaflow_model"},
    "spec_reader": {"spec_reader"},
    "metaflow_trees": {"metaflow_trees"},
    "casblob_fixtures": {"casblob_fixtures", "metaflow_trees", *ORACLES},
    "casconf": {"casconf", "casblob_fixtures", "metaflow_trees", *ORACLES},
    "spec_tools": {"spec_tools", "casblob_fixtures", "metaflow_trees", *ORACLES},
    "contract_check": {"contract_check", "casconf", "spec_tools", "casblob_fixtures", "metaflow_trees", *ORACLES},
}
PROJECT = set(MAY_IMPORT) | {"tests"}
# Everything else an oracle may import (full module names).
ORACLE_EXTERNAL = {
    "metaflow_model": {"__future__", "gzip", "zlib", "lz4.frame", "json", "io", "hashlib", "re"},
}


def _oracle_allows(package: str, module: str) -> bool:
    if package == "metaflow_model":
        return module in ORACLE_EXTERNAL["metaflow_model"]
    # spec_reader: the standard library but gzip, and lz4.block.
    top = module.split(".")[0]
    return module == "lz4.block" or (top in sys.stdlib_module_names and top != "gzip")


def imports(source: str, package: str, module_path: str) -> list[tuple[int, str]]:
    """(line, module) for every import in ``source``; ``from A import B`` counts as ``A.B`` when
    that is a module (``from lz4 import frame`` is lz4.frame), relative imports resolved."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = module_path.split(".")[:-node.level]
                base = ".".join(parts + ([node.module] if node.module else []))
            else:
                base = node.module
            for a in node.names:
                full = "%s.%s" % (base, a.name)
                try:
                    is_module = importlib.util.find_spec(full) is not None
                except (ImportError, ValueError):
                    is_module = False
                out.append((node.lineno, full if is_module else base))
    return out


def violations(package: str, module_path: str, source: str) -> list[str]:
    found = []
    for line, module in imports(source, package, module_path):
        top = module.split(".")[0]
        if top in PROJECT and top not in MAY_IMPORT.get(package, PROJECT):
            found.append("%s:%d imports %s" % (module_path, line, module))
        elif package in ORACLES and top != package and not _oracle_allows(package, module):
            found.append("%s:%d (an oracle) imports %s" % (module_path, line, module))
    return found


def _modules():
    for package in MAY_IMPORT:
        for dirpath, _, files in os.walk(os.path.join(PACKAGES, package)):
            for fn in sorted(files):
                if fn.endswith(".py"):
                    path = os.path.join(dirpath, fn)
                    rel = os.path.relpath(path, PACKAGES)[:-3].replace(os.sep, ".")
                    yield package, rel.removesuffix(".__init__"), path


@pytest.mark.parametrize("package", list(MAY_IMPORT))
def test_each_package_imports_only_what_the_layering_allows(package):
    found = []
    for pkg, module_path, path in _modules():
        if pkg == package:
            with open(path, encoding="utf-8") as f:
                found += violations(pkg, module_path, f.read())
    assert not found, found


def test_every_package_in_the_folder_has_a_rule():
    folders = {d for d in os.listdir(PACKAGES) if os.path.isfile(os.path.join(PACKAGES, d, "__init__.py"))}
    assert folders == PROJECT


@pytest.mark.parametrize("package,source,bad", [
    ("spec_reader", "import gzip\n", "gzip"),
    ("spec_reader", "import lz4.frame\n", "lz4.frame"),
    ("spec_reader", "from lz4 import frame\n", "lz4.frame"),
    ("spec_reader", "import metaflow_model\n", "metaflow_model"),
    ("spec_reader", "import numpy\n", "numpy"),
    ("metaflow_model", "import spec_reader\n", "spec_reader"),
    ("metaflow_model", "import lz4.block\n", "lz4.block"),
    ("metaflow_model", "import struct\n", "struct"),
    ("casblob_fixtures", "from casconf import model\n", "casconf.model"),
    ("spec_tools", "import casconf.model\n", "casconf.model"),
    ("casconf", "from spec_tools import blocks\n", "spec_tools.blocks"),
    ("metaflow_trees", "from casconf import model\n", "casconf.model"),
    ("metaflow_trees", "import metaflow_model\n", "metaflow_model"),
])
def test_the_rule_catches_a_forbidden_import(package, source, bad):
    found = violations(package, package + ".x", source)
    assert len(found) == 1 and found[0].endswith(bad), found


def test_the_rule_allows_what_the_oracles_need():
    assert not violations("spec_reader", "spec_reader.x", "import zlib, struct, json\nimport lz4.block as b\n"
                                                          "from spec_reader.errors import corrupt\nfrom . import xxh32\n")
    assert not violations("metaflow_model", "metaflow_model.x", "import gzip, zlib, json, io, hashlib, re\n"
                                                                "import lz4.frame as lz4frame\n")


def test_no_search_path_edits_outside_python():
    """Scripts elsewhere run through ``/usr/bin/python3 python SCRIPT.py`` (python/__main__.py),
    never by editing ``sys.path`` or setting ``PYTHONPATH`` (issue 12's rule): a script that does
    breaks for whoever installed the packages instead."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    offenders = []
    for top in ("conformance", "fixtures", "spec"):
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith(".py") and "sys.path" in open(os.path.join(dirpath, f), encoding="utf-8").read():
                    offenders.append(os.path.relpath(os.path.join(dirpath, f), root))
    for cmake in ["CMakeLists.txt"] + [os.path.join(d, "CMakeLists.txt") for d in os.listdir(root)] + [
            os.path.join("scripts", f) for f in os.listdir(os.path.join(root, "scripts"))]:
        p = os.path.join(root, cmake)
        if os.path.isfile(p) and "PYTHONPATH" in open(p, encoding="utf-8", errors="replace").read():
            offenders.append(cmake)
    assert offenders == []
