"""The census figures of spec section 8.4 and spec/census-results.md, generated from one run.

  python3 -m spec_tools.census_figures --casblob BIN            run the census and the cross-check,
                                                                rewrite both generated blocks
  python3 -m spec_tools.census_figures --casblob BIN --check    fail if either block differs (ctest
                                                                `spec: census figures`, label slow)
  --keep DIR   keep the run's files (census.json, census.md, crosscheck.json, the sample) in DIR
  --reuse DIR  render from a kept run instead of running (after editing a template)

One run of ``casblob census --seed 1 --threads 2 --dump-sample DIR --sample 20000`` gives every
count (deterministic for a seed: the threads only change the timings, which stay out of the
blocks), and spec_tools.census_crosscheck replays the sample through the two oracles. The prose
of both blocks is in spec_tools/templates/ with ``$name`` placeholders for the figures."""

from __future__ import annotations

import argparse
import json
import string
import subprocess
import sys
import tempfile
from pathlib import Path

from spec_tools import blocks, census_crosscheck

SAMPLE = 20000
SEED = 1
TEMPLATES = Path(__file__).resolve().parent / "templates"
SPEC_BEGIN = "<!-- BEGIN GENERATED: census figures (python/spec_tools/census_figures.py) -->"
RESULTS_BEGIN = "<!-- BEGIN GENERATED: census results (python/spec_tools/census_figures.py) -->"
END = "<!-- END GENERATED -->"
PAYLOAD_MUTATIONS = ("bitflip", "truncate", "insert_byte", "delete_byte", "append_garbage")


def pct(n: int, d: int) -> str:
    """A rate as the census prints it (reference/tools/census/report.cpp, pct)."""
    if d == 0:
        return "-"
    if n == 0:
        return "0"
    r = 100.0 * n / d
    if r >= 10:
        return "%.1f%%" % r
    if r >= 1:
        return "%.2f%%" % r
    if r >= 0.01:
        return "%.3f%%" % r
    return "%.2g%%" % r


def _count(n: int) -> str:
    return "{:,}".format(n)


class Census:
    """Rows of a census JSON report (schema casblob-census/1)."""

    def __init__(self, doc: dict):
        self.doc = doc

    def row(self, variant: str, mutation: str, profile: str, source: str | None = None) -> dict:
        if mutation == "all":
            rows = self.doc["sources"][source]["summary"] if source else self.doc["summary"]
        else:
            rows = self.doc["sources"][source]["rows"] if source else self.doc["rows"]
        for r in rows:
            if (r["variant"], r["mutation"], r["profile"]) == (variant, mutation, profile):
                return r
        raise KeyError((variant, mutation, profile, source))

    def rate(self, field: str, variant: str, mutation: str, profile: str, source: str | None = None) -> str:
        r = self.row(variant, mutation, profile, source)
        return pct(r[field], r["mutants"])


def figures(doc: dict, crosscheck: dict) -> dict[str, str]:
    """Every $name the templates use."""
    c = Census(doc)
    f: dict[str, str] = {}
    total = doc["total_mutants"]
    f["total"] = _count(total)
    f["reads"] = _count(doc["reads"])
    f["sample"] = _count(crosscheck["sample"])
    f["sample_size"] = str(crosscheck["sample"])
    gen, fix = doc["inputs"]["generated"], doc["inputs"]["fixtures"]
    f["gen_inputs"] = str(next(iter(gen.values()))["inputs"])
    f["variants"] = str(len(gen))
    f["gen_blobs"] = str(sum(v["inputs"] for v in gen.values()))
    f["fixture_inputs"] = str(sum(v["inputs"] for v in fix.values()))
    # the summary table (spec 8.4): one reader per variant
    for key, variant, profile in (("v1", "v1-gzip", "legacy"), ("v2d", "v2-lz4-default", "v2"),
                                  ("v2c", "v2-lz4-content-checksum", "v2"), ("v2b", "v2-lz4-block-checksum", "v2"),
                                  ("raw", "raw", "legacy")):
        r = c.row(variant, "all", profile)
        f[key + "_mutants"] = _count(r["mutants"])
        f[key + "_wrong"] = _count(r["wrong_bytes"])
        f[key + "_wrong_rate"] = pct(r["wrong_bytes"], r["mutants"])
        f[key + "_unhandled"] = _count(r["unhandled"])
        f[key + "_key_mismatch"] = _count(c.row(variant, "all", "strict")["errors"].get("key_mismatch", 0))
    # the pre-CAS reader (every blob gunzipped, nothing wrapped) on v1 and on PR #3090's v2
    for key, variant in (("pc_v1", "v1-gzip"), ("pc_v2d", "v2-lz4-default")):
        r = c.row(variant, "all", "pre-cas")
        f[key + "_mutants"] = _count(r["mutants"])
        f[key + "_wrong"] = _count(r["wrong_bytes"])
        f[key + "_wrong_rate"] = pct(r["wrong_bytes"], r["mutants"])
        f[key + "_unhandled"] = _count(r["unhandled"])
        f[key + "_unhandled_rate"] = pct(r["unhandled"], r["mutants"])
    f["profile_count"] = str(len({r["profile"] for r in doc["summary"]}))
    strict = [c.row(v, "all", "strict") for v in gen]
    f["strict_wrong"] = _count(sum(r["wrong_bytes"] for r in strict))
    f["strict_unhandled"] = _count(sum(r["unhandled"] for r in strict))
    f["strict_key_mismatch"] = _count(sum(r["errors"].get("key_mismatch", 0) for r in strict))
    # single-bit flips of the generated payloads
    for key, variant, profile in (("v1", "v1-gzip", "legacy"), ("v2d", "v2-lz4-default", "v2"),
                                  ("v2c", "v2-lz4-content-checksum", "v2"), ("v2b", "v2-lz4-block-checksum", "v2")):
        r = c.row(variant, "bitflip", profile, "generated")
        f["gen_%s_flips" % key] = _count(r["mutants"])
        f["gen_%s_flip_wrong" % key] = _count(r["wrong_bytes"])
        f["gen_%s_flip_rate" % key] = pct(r["wrong_bytes"], r["mutants"])
        f["gen_%s_flip_size_mismatch" % key] = _count(r["corrupt_details"].get("size_mismatch", 0))
        f["gen_%s_flip_checksum" % key] = _count(r["corrupt_details"].get("checksum", 0))
    f["v1_raw_flip_rate"] = c.rate("wrong_bytes", "v1-gzip", "sidecar_raw_flip", "legacy")
    f["v1_raw_type_rate"] = c.rate("wrong_bytes", "v1-gzip", "sidecar_raw_type", "legacy")
    f["v1_append_member_rate"] = c.rate("wrong_bytes", "v1-gzip", "append_member", "legacy")
    f["v1_version_type_unhandled_rate"] = c.rate("unhandled", "v1-gzip", "sidecar_version_type", "legacy")
    raw_rows = [c.row("raw", m, "legacy") for m in PAYLOAD_MUTATIONS]
    f["raw_payload_silent_rate"] = pct(sum(r["wrong_bytes"] for r in raw_rows), sum(r["mutants"] for r in raw_rows))
    f["fixture_v2d_none_wrong"] = _count(c.row("v2-lz4-default", "none", "v2", "fixtures")["wrong_bytes"])
    # the cross-check of the sample
    profiles = crosscheck["profiles"]
    for p, s in profiles.items():
        f["agree_" + p.replace("-", "_")] = "%s/%s" % (_count(s["agree"]), _count(s["total"]))
    modelled = [profiles[p] for p in census_crosscheck.PY_PROFILES]
    f["modelled_agreement"] = pct(sum(s["agree"] for s in modelled), sum(s["total"] for s in modelled)).replace(
        "100.0%", "100%")
    f["v2_detail_agreement"] = "%.2f%%" % (100 * profiles["v2"]["corrupt_detail_agreement"])
    return f


def census_tables(markdown: str) -> dict[str, str]:
    """The tables of `casblob census --markdown`, by the heading they follow."""
    tables, heading, rows = {}, None, []
    for line in markdown.splitlines() + [""]:
        if line.startswith("## "):
            heading = line[3:]
        elif line.startswith("|"):
            rows.append(line)
        elif rows:
            tables[heading] = "\n".join(rows)
            rows = []
    return {
        "table_all": tables["All inputs (generated payloads and valid fixtures)"],
        "table_generated": tables["Generated payloads only"],
        "table_fixtures": tables["Valid fixtures only"],
        "table_by_mutation": tables["By mutation class (all inputs): wrong_bytes / unhandled per profile"],
        "table_inputs": tables["Inputs"],
    }


def render(template: str, begin: str, values: dict[str, str]) -> str:
    text = string.Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(values)
    return begin + "\n" + text.rstrip("\n") + "\n" + END


def run(casblob: str, workdir: Path) -> tuple[dict, str, dict]:
    """(census JSON, census Markdown, cross-check report) of one seeded run."""
    sample = workdir / "sample"
    cmd = [casblob, "census", "--no-progress", "--seed", str(SEED), "--threads", "2",
           "--fixtures", str(blocks.repo_file("fixtures")),
           "--json", str(workdir / "census.json"), "--markdown", str(workdir / "census.md"),
           "--dump-sample", str(sample), "--sample", str(SAMPLE)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    report = census_crosscheck.replay(sample)
    (workdir / "crosscheck.json").write_text(json.dumps(report, indent=1) + "\n")
    return (json.loads((workdir / "census.json").read_text()), (workdir / "census.md").read_text(), report)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="spec_tools.census_figures", description=__doc__.split("\n")[0])
    ap.add_argument("--casblob", help="the reference CLI (build/bin/casblob); required unless --reuse")
    ap.add_argument("--check", action="store_true", help="fail if a generated block differs")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--keep", metavar="DIR", help="keep the census files in DIR")
    g.add_argument("--reuse", metavar="DIR", help="render from the files a --keep run left in DIR")
    a = ap.parse_args(argv)
    if a.reuse:
        d = Path(a.reuse)
        doc, markdown = json.loads((d / "census.json").read_text()), (d / "census.md").read_text()
        report = json.loads((d / "crosscheck.json").read_text())
    elif not a.casblob:
        ap.error("--casblob is required (or --reuse DIR)")
    else:
        with tempfile.TemporaryDirectory(prefix="census-figures-") as tmp:
            workdir = Path(a.keep or tmp)
            workdir.mkdir(parents=True, exist_ok=True)
            doc, markdown, report = run(a.casblob, workdir)
    if not report["modelled_agree"]:
        print("census_figures: the C++ profiles disagree with the Metaflow model on the sample:", file=sys.stderr)
        census_crosscheck.print_report(report)
        return 1
    values = figures(doc, report)
    values.update(census_tables(markdown))
    rc = 0
    for path, template, begin, what in (
            (blocks.repo_file("spec", "cas-blob-format.md"), "spec_8_4.md", SPEC_BEGIN, "the census figures (8.4)"),
            (blocks.repo_file("spec", "census-results.md"), "census_results.md", RESULTS_BEGIN, "the census results")):
        rc |= blocks.update(path, begin, END, render(template, begin, values), check=a.check, what=what,
                            fix="python3 -m spec_tools.census_figures --casblob BIN")
    return rc


if __name__ == "__main__":
    sys.exit(main())
