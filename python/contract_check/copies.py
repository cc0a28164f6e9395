"""Every copy of the contract, each compared with the CLI's tables. A copy is a function
``(contract, repo root) -> [problem, ...]`` in ``COPIES``; a new copy is one more function."""

from __future__ import annotations

import json
import os

import metaflow_model
import spec_reader
from casblob_fixtures.manifest import ManifestError, load
from casconf import model

from contract_check import markdown, readme
from contract_check.tables import Contract
from spec_tools import blocks


def _read(root: str, *parts: str) -> str:
    with open(os.path.join(root, *parts), encoding="utf-8") as f:
        return f.read()


def _differ(where: str, what: str, have, want) -> list[str]:
    if have == want:
        return []
    if isinstance(have, dict) and isinstance(want, dict):
        return ["%s: %s %r is %s, casblob says %s" % (where, what, k, have.get(k, "absent"), want.get(k, "absent"))
                for k in sorted(set(have) | set(want), key=str) if have.get(k) != want.get(k)]
    return ["%s: %s are %s, casblob says %s" % (where, what, have, want)]


def _exit_code_pairs(rows: list[list[str]]) -> dict[str, int]:
    """name -> code from tables laid out as (code, name) or (name, code) pairs, any columns."""
    out = {}
    for cells in rows:
        cells = [c for c in cells if c]
        for a, b in zip(cells[0::2], cells[1::2]):
            num, cell = (a, b) if a.isdigit() else (b, a)
            if num.isdigit():
                out[markdown.code(cell) or cell] = int(num)
    return out


def _expected_exit_codes(c: Contract) -> dict[str, int]:
    return {row.get("name") or row["meaning"].split(" (")[0]: row["code"] for row in c.exit_codes}


def spec_section_9(c: Contract, root: str) -> list[str]:
    """spec 9.1 error names and corrupt details, 9.2 exit codes (R-ERR-1, R-ERR-2)."""
    text = _read(root, "spec", "cas-blob-format.md")
    errors = markdown.section(text, "### 9.1 Error names")
    names = [markdown.code(r[0]) for r in markdown.table(errors, "| Name |")]
    details = [markdown.code(r[0]) for r in markdown.table(errors, "| `corrupt` detail |")]
    codes = _exit_code_pairs(markdown.table(markdown.section(text, "### 9.2 CLI exit codes"), "| Code |"))
    return (_differ("spec 9.1", "the error names", sorted(names), sorted(c.error_names()))
            + _differ("spec 9.1", "the corrupt details", details, c.details())
            + _differ("spec 9.2", "the exit code of", codes, _expected_exit_codes(c)))


def spec_section_7(c: Contract, root: str) -> list[str]:
    rows = markdown.table(markdown.section(_read(root, "spec", "cas-blob-format.md"), "## 7. Reader profiles"),
                          "| Profile |")
    return _differ("spec 7", "the profiles", [markdown.code(r[0]) for r in rows], c.profile_names())


def readme_tables(c: Contract, root: str) -> list[str]:
    text = _read(root, "README.md")
    problems = []
    for begin, render, what in readme.BLOCKS:
        try:
            current, _ = blocks.splice(text, begin, readme.END, render(c))
        except ValueError as exc:
            problems.append("README.md: %s" % exc)
            continue
        if current != render(c):
            problems.append("README.md: %s differs from casblob's (python3 -m contract_check --write)" % what)
    return problems


def protocol(c: Contract, root: str) -> list[str]:
    text = _read(root, "conformance", "PROTOCOL.md")
    codes = _exit_code_pairs(markdown.table(text, "| error | exit |"))
    want = {e["name"]: e["exit_code"] for e in c.errors}
    return _differ("conformance/PROTOCOL.md", "the exit code of", codes, want)


def driver_model(c: Contract, root: str) -> list[str]:
    """casconf's model: the driver judges every implementation by these."""
    return (_differ("casconf.model", "PROFILES", list(model.PROFILES), c.profile_names())
            + _differ("casconf.model", "ERRORS", list(model.ERRORS), c.error_names())
            + _differ("casconf.model", "DETAILS", list(model.DETAILS), c.details())
            + _differ("casconf.model", "EXIT_CODES of", dict(model.EXIT_CODES), c.exit_code_of()))


def oracles(c: Contract, root: str) -> list[str]:
    """The spec reader's exit codes; the Metaflow model's profiles are the CLI's modelled ones."""
    modelled = [p for p in c.profile_names() if p != "strict"]
    return (_differ("spec_reader", "EXIT_CODES of", dict(spec_reader.EXIT_CODES), c.exit_code_of())
            + _differ("metaflow_model", "PROFILES", list(metaflow_model.PROFILES), modelled))


def fixtures(c: Contract, root: str) -> list[str]:
    """The manifest schema's vocabulary, the manifest's profile columns, the fixtures README."""
    schema = json.loads(_read(root, "fixtures", "manifest.schema.json"))
    defs = schema["$defs"]
    problems = []
    unknown = sorted(set(defs["errorName"]["enum"]) - set(c.error_names()))
    if unknown:
        problems.append("fixtures/manifest.schema.json: error names %s are not casblob's" % unknown)
    problems += _differ("fixtures/manifest.schema.json", "the details", defs["detail"]["enum"], c.details())
    problems += _differ("fixtures/manifest.schema.json", "the expect columns",
                        defs["test"]["properties"]["expect"]["required"], c.profile_names())
    problems += _differ("fixtures/manifest.schema.json", "the profiles",
                        schema["properties"]["profiles"]["required"], c.profile_names())
    try:
        problems += _differ("fixtures/manifest.json", "the profiles",
                            list(load(os.path.join(root, "fixtures")).profiles), c.profile_names())
    except ManifestError as exc:
        problems.append(str(exc))
    rows = markdown.table(_read(root, "fixtures", "README.md"), "| profile | what it is |")
    problems += _differ("fixtures/README.md", "the profiles", [markdown.code(r[0]) for r in rows], c.profile_names())
    return problems


COPIES = (spec_section_9, spec_section_7, readme_tables, protocol, driver_model, oracles, fixtures)


def problems(c: Contract, root: str) -> list[str]:
    out = []
    for copy in COPIES:
        out += copy(c, root)
    return out
