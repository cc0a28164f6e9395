"""The driver end to end on the synthetic corpus: adapters, checks, reports, gate, exit status."""

import json
import os
import xml.etree.ElementTree as ET

from casblob_fixtures import manifest as manifest_mod

from casconf import adapters, cli, runner
from casconf.adapters.casblob import CasblobAdapter
from tests.conftest import module_launcher

MUTANTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "support", "mutants")


def test_default_run_passes_and_reports(synth_dir, tmp_path, capsys):
    out = {k: str(tmp_path / ("r." + k)) for k in ("json", "md", "xml")}
    rc = cli.main(["run", "--fixtures", synth_dir, "--impl", "python", "spec-reader",
                   "--json", out["json"], "--markdown", out["md"], "--junit", out["xml"]])
    text = capsys.readouterr().out
    assert rc == 0, text
    assert text.splitlines()[-1].startswith("PASS: every claimed expectation holds")
    assert "python" in text.splitlines()[1] and "3/3 !1" in text   # Sidecar row: a hazard counted
    doc = json.load(open(out["json"]))
    s = doc["summary"]["python/legacy"]
    assert {"pass", "fail", "silent_corruption", "not_run"} <= set(s)
    assert s["fail"] == 0 and s["silent_corruption"] == 4 and s["silent_corruption_unexpected"] == 0
    assert doc["summary"]["spec-reader/strict"]["silent_corruption"] == 0
    reads = [c for c in doc["cases"] if c["check"] == "read"]
    assert len(reads) == 15 * 5 and all(c["status"] == "pass" for c in reads)  # passes logged too
    writes = [c for c in doc["cases"] if c["check"] == "write"]
    assert {c["group"] for c in writes} == {"write python v1", "write python v2",
                                            "write python raw-v1", "write python raw-v2"}
    legacy_v2 = [c for c in writes if c["profile"] == "legacy" and c["variant"] == "v2"]
    assert legacy_v2 and all(c["expected"]["error"] == "version_unsupported" for c in legacy_v2)
    assert "## Silent corruption (16)" in open(out["md"]).read()  # 3 of them pre-cas
    suites = ET.parse(out["xml"]).getroot()
    assert {s.get("name") for s in suites} >= {"python/legacy", "spec-reader/strict", "python/encode"}


def test_unavailable_implementations_are_not_run_not_passed(synth_dir, capsys, monkeypatch):
    monkeypatch.setenv("CASBLOB_CLI", "/nonexistent/casblob")
    rc = cli.main(["run", "--fixtures", synth_dir, "--check", "read"])
    text = capsys.readouterr().out
    assert rc == 0   # defaults: what cannot run is reported, not failed
    assert "not run: casblob" in text and "not run: metaflow" in text
    rc = cli.main(["run", "--fixtures", synth_dir, "--impl", "casblob", "--quiet"])
    assert rc == 1 and "required but not run: casblob" in capsys.readouterr().out


def test_casblob_adapter_against_a_fake_cli(synth_dir, tmp_path):
    m = manifest_mod.load(synth_dir)
    fake_cli = module_launcher(tmp_path, "tests.support.fake_casblob")
    result = runner.run([CasblobAdapter(os.getcwd(), fake_cli)], m)
    fails = [e for e in result.entries if e["status"] != "pass"]
    assert not fails, fails[:3]
    assert set(result.summary) == {"casblob/pre-cas", "casblob/legacy", "casblob/v2", "casblob/v2-nolz4",
                                   "casblob/strict", "casblob/encode"}
    assert result.summary["casblob/strict"]["by_check"]["write"]["pass"] == 28


def test_missing_manifest_fails_clearly(tmp_path, capsys):
    assert cli.main(["run", "--fixtures", str(tmp_path)]) == 1
    assert "no manifest" in capsys.readouterr().err


def test_gate_reports_new_known_and_fixed(synth_dir, tmp_path, capsys):
    base = str(tmp_path / "base.json")
    mutant = os.path.join(MUTANTS, "unknown_version.json")
    args = ["run", "--fixtures", synth_dir, "--check", "read", "--command", mutant]
    assert cli.main(args + ["--json", base]) == 1            # the mutant fails a case
    capsys.readouterr()
    assert cli.main(args + ["--gate", base]) == 0            # ... but nothing new
    assert "0 new mismatch(es)" in capsys.readouterr().out
    doc = json.load(open(base))
    for c in doc["cases"]:                                   # pretend one case failed before
        if c["implementation"] == "python" and c["case"] == "y_v1_small_dict" and c["profile"] == "v2":
            c["status"] = "crash"
        if c["implementation"].startswith("mutant") and c["status"] != "pass":
            c["status"] = "pass"                             # and the mutant's failure is new
    json.dump(doc, open(base, "w"))
    assert cli.main(args + ["--gate", base]) == 1
    text = capsys.readouterr().out
    assert "1 new mismatch(es), 1 fixed" in text and "n_v99_future" in text


def test_adapter_set_and_unknown_names(repo):
    names = [a.name for a in adapters.build(None, repo)]
    assert names == ["casblob", "python", "spec-reader", "metaflow"]
    try:
        adapters.build(["nope"], repo)
    except adapters.ConfigError as exc:
        assert "unknown implementation" in str(exc)
    else:
        raise AssertionError("unknown implementation accepted")


def test_implementation_defined_cases_can_be_lenient(tmp_path, synth_dir):
    import dataclasses

    from casconf.adapters.command import CommandAdapter
    from casconf.checks import read as read_check
    from casconf.model import Response
    m = manifest_mod.load(synth_dir)
    case = [c for c in m.cases if c.name == "y_v1_multimember"][0]
    i_case = dataclasses.replace(case, name="i_v1_multimember")
    n_case = case
    other = Response.err("corrupt", "trailing_data")
    assert read_check.judge(i_case, "strict", "x", other)["status"] == "should-have-passed"
    lenient = read_check.judge(i_case, "strict", "x", other, lenient_implementation_defined=True)
    assert lenient["status"] == "pass" and "implementation-defined" in lenient["warnings"][0]
    assert read_check.judge(n_case, "strict", "x", other, True)["status"] == "should-have-passed"
    wrong = Response.ok("0" * 40)
    assert read_check.judge(i_case, "strict", "x", wrong, True)["status"] == "wrong-bytes"
    a = CommandAdapter({"name": "l", "profiles": ["strict"], "decode": ["x"],
                        "implementation_defined": "lenient"}, repo=str(tmp_path))
    assert a.lenient_implementation_defined
