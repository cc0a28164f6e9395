"""ctest `spec: traceability` for spec/cas-blob-format.md.

Fails when:
  * a requirement defined in the text (**R-XXX-N**) has no row in the traceability table
    (section 12), or its row lists no fixture and no test;
  * the table (or any text) names a requirement that is not defined, or defines one twice;
  * a paragraph with a normative MUST/SHOULD/SHALL/REQUIRED/RECOMMENDED carries no requirement ID;
  * the spec or spec/errata.md names a fixture (`y_...`, `n_...`, `i_...` in code font) not in
    fixtures/manifest.json (checked only once the manifest exists);
  * a row cites a test (*test* `name`) whose name is not registered anywhere in the repository
    (add_test NAME, Catch2 TEST_CASE, pytest function) -- reported as a warning only;
  * the code (C++ and Python under reference/, fuzz/, bench/, python/, conformance/) cites a
    requirement (`// R-READ-4`) that the spec does not define: a comment that points nowhere.

  python3 -m spec_tools.traceability [--spec FILE] [--fixtures DIR] [--list]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from casblob_fixtures.manifest import ManifestError, load

from spec_tools import traceability_map
from spec_tools.blocks import repo_file

ROOT = repo_file()
REQ_DEF = re.compile(r"\*\*(R-[A-Z0-9]+-\d+)\*\*")
REQ_ANY = re.compile(r"\bR-[A-Z0-9]+-\d+\b")
FIXTURE = re.compile(r"`([yni]_[a-z0-9_]+)`")
CODE = re.compile(r"`([^`]+)`")
NORMATIVE = re.compile(r"\b(MUST|SHOULD|SHALL|REQUIRED|RECOMMENDED)\b")
TABLE_BEGIN, TABLE_END = "<!-- BEGIN TRACEABILITY -->", "<!-- END TRACEABILITY -->"
GEN_BEGIN, GEN_END = "<!-- BEGIN GENERATED", "<!-- END GENERATED -->"


def manifest_names(fixtures: str) -> set[str] | None:
    try:
        return {c.name for c in load(fixtures).cases}
    except ManifestError:
        return None


def registered_tests() -> str:
    """All text in which a test name could be registered."""
    out = []
    for pattern in ("**/CMakeLists.txt", "reference/tests/**/*.cpp", "**/test_*.py"):
        for p in ROOT.glob(pattern):
            if "build" in p.parts[len(ROOT.parts):len(ROOT.parts) + 1][0]:
                continue
            try:
                out.append(p.read_text(encoding="utf-8", errors="replace"))
            except OSError:
                pass
    return "\n".join(out)


CODE_DIRS = ("reference", "fuzz", "bench", "python", "conformance")
CODE_SUFFIXES = {".cpp", ".hpp", ".h", ".py"}


def code_citations() -> dict[str, list[str]]:
    """Requirement id -> "path:line" of every citation in the project's code."""
    out: dict[str, list[str]] = {}
    for top in CODE_DIRS:
        for p in sorted((ROOT / top).rglob("*")):
            if p.suffix not in CODE_SUFFIXES or not p.is_file() or "node_modules" in p.parts:
                continue
            try:
                lines = p.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
            for n, line in enumerate(lines, 1):
                for m in REQ_ANY.finditer(line):
                    out.setdefault(m.group(0), []).append("%s:%d" % (p.relative_to(ROOT), n))
    return out


def strip_code_and_generated(text: str) -> str:
    while GEN_BEGIN in text:  # generated blocks are measurements, not requirements
        a = text.index(GEN_BEGIN)
        b = text.index(GEN_END, a) + len(GEN_END)
        text = text[:a] + text[b:]
    out, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append("")
            continue
        out.append("" if fenced else line)
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="spec_tools.traceability")
    ap.add_argument("--spec", default=str(ROOT / "spec" / "cas-blob-format.md"))
    ap.add_argument("--fixtures", default=str(ROOT / "fixtures"))
    ap.add_argument("--list", action="store_true", help="print requirement -> citations")
    a = ap.parse_args(argv)
    text = Path(a.spec).read_text(encoding="utf-8")
    errors, warnings = [], []

    if TABLE_BEGIN not in text or TABLE_END not in text:
        print("traceability table markers not found", file=sys.stderr)
        return 1
    t0 = text.index(TABLE_BEGIN)
    t1 = text.index(TABLE_END)
    table, body = text[t0:t1], text[:t0] + text[t1:]

    # Requirements defined in the body (outside the table).
    defined: dict[str, int] = {}
    for m in REQ_DEF.finditer(body):
        defined[m.group(1)] = defined.get(m.group(1), 0) + 1
    for rid, n in defined.items():
        if n > 1:
            errors.append("%s is defined %d times" % (rid, n))
    for m in REQ_ANY.finditer(body):
        if m.group(0) not in defined:
            errors.append("%s is referenced but never defined" % m.group(0))

    # Normative paragraphs carry an ID.
    plain = strip_code_and_generated(body)
    for para in re.split(r"\n\s*\n", plain):
        if "not a requirement" in para:
            continue
        if NORMATIVE.search(para) and not REQ_ANY.search(para):
            first = para.strip().splitlines()[0][:100]
            errors.append("normative paragraph without a requirement ID: %r" % first)

    # The table.
    rows: dict[str, tuple[list[str], list[str]]] = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not REQ_ANY.fullmatch(cells[0]):
            continue
        rid, cite = cells[0], "|".join(cells[1:])
        fixtures = FIXTURE.findall(cite)
        tests = [c for c in CODE.findall(cite) if not re.fullmatch(r"[yni]_[a-z0-9_]+", c)]
        if tests and "*test*" not in cite:
            errors.append("%s: %s cited without the *test* mark" % (rid, tests))
        if rid in rows:
            errors.append("%s has two rows in the table" % rid)
        rows[rid] = (fixtures, tests)
        if rid not in defined:
            errors.append("table row %s: no such requirement in the text" % rid)
    for rid in defined:
        if rid not in rows:
            errors.append("%s has no row in the traceability table" % rid)
        elif not rows[rid][0] and not rows[rid][1]:
            errors.append("%s: its row cites no fixture and no test" % rid)

    # Fixture names exist.
    names = manifest_names(a.fixtures)
    cited = set(FIXTURE.findall(text))
    errata = Path(a.spec).with_name("errata.md")
    if errata.exists():  # the errata cite fixtures too
        cited |= set(FIXTURE.findall(errata.read_text(encoding="utf-8")))
    if names is None:
        warnings.append("no manifest in %s: %d cited fixture names not checked" % (a.fixtures, len(cited)))
    else:
        for name in sorted(cited - names):
            errors.append("fixture %s is named in the spec but not in the manifest" % name)

    # Tests exist (warning only: other parts of the repository register them).
    reg = registered_tests()
    for rid, (_, tests) in rows.items():
        for t in tests:
            # catch_discover_tests registers Catch2 TEST_CASEs as "<suite>/<name>".
            bare = re.sub(r"^(api|internal|cli|s3|rewrite)/", "", t)
            # ctest entries built from a CMake list "check|title|timeout" as "<area>: <title>".
            listed = "|%s|" % re.sub(r"^[a-z]+: ", "", t)
            if t not in reg and ('TEST_CASE("%s"' % bare) not in reg and listed not in reg:
                warnings.append("%s cites test %r, not found registered in the repository" % (rid, t))

    # The code cites only requirements the spec defines.
    cites = code_citations()
    for rid in sorted(set(cites) - set(defined)):
        errors.append("%s is cited in the code (%s) but the spec does not define it" % (rid, ", ".join(cites[rid][:3])))

    # The table is the map's rendering (spec_tools/traceability_map.py is its one source).
    if names is not None and text[t0:t1 + len(TABLE_END)] != traceability_map.render(names):
        errors.append("the section 12 table is not spec_tools/traceability_map.py's: run "
                      "python3 -m spec_tools.traceability_map")

    if a.list:
        for rid in sorted(rows, key=lambda r: (r.split("-")[1], int(r.split("-")[2]))):
            print(rid, len(rows[rid][0]), "fixtures", rows[rid][1])
    for w in warnings:
        print("warning:", w)
    for e in errors:
        print("error:", e)
    nf = sum(1 for r in rows.values() if r[0])
    print("%d requirements, %d with fixtures, %d with tests only; %d fixture names cited; %d cited in the code; %s" % (
        len(defined), nf, len(rows) - nf, len(cited), len(set(cites) & set(defined)), "FAIL" if errors else "ok"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
