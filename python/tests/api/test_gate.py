"""``casconf gate`` on fake Metaflow generations (tests/support/fake_trees): the careful v2 head
passes (the pre-CAS FORWARD_CLEAN violations allowed with a reason), every broken head fails on
its rule, and the command line keeps its exit codes and reports. Marker ``gate`` (ctest
``conformance: gate on fake Metaflow generations``)."""

import hashlib
import json
import os
import subprocess
import xml.etree.ElementTree as ET

import pytest

from casblob_fixtures import manifest as manifest_mod
from metaflow_trees import from_path

from casconf.adapters.command import PACKAGES
from casconf.gate import allowlist, payloads, run
from casconf.gate.rules import ALLOWED, FAIL, PASS, RULE_NAMES
from tests.support import fake_trees

pytestmark = pytest.mark.gate

BASES = ("pre-cas", "cas", "v2-pr3090")
PRE_CAS_REASON = "pre-CAS readers never read the sidecar: any new encoding raises BadGzipFile there"
ALLOW_PRE_CAS = [allowlist.Entry("FORWARD_CLEAN", "pre-cas", PRE_CAS_REASON)]


@pytest.fixture(scope="module")
def fakes(tmp_path_factory):
    root = tmp_path_factory.mktemp("fakes")
    trees = {g: fake_trees.build(str(root / g), g) for g in fake_trees.LAYERS}
    for name in fake_trees.BROKEN_HEADS:
        trees[name] = fake_trees.broken_head(str(root / name), name)
    return trees


@pytest.fixture(scope="module")
def corpus(synth_dir):
    return manifest_mod.load(synth_dir)


def _gate(fakes, corpus, head, allow=ALLOW_PRE_CAS, bases=BASES):
    return run.run(from_path("head", fakes[head]), [from_path(b, fakes[b]) for b in bases], payloads.quick(),
                   corpus, allow=allow)


def _failing(result):
    return {(r.rule, r.base) for r in result.rows if r.status == FAIL}


def test_the_careful_v2_head_passes_with_the_pre_cas_violations_allowed(fakes, corpus):
    result = _gate(fakes, corpus, "v2")
    assert result.verdict == "pass" and result.exit_code == 0, result.summary()
    statuses = {(r.rule, r.base): r.status for r in result.rows}
    assert statuses.pop(("FORWARD_CLEAN", "pre-cas")) == ALLOWED
    assert set(statuses.values()) == {PASS}
    assert {r for r, _ in statuses} | {"FORWARD_CLEAN"} == set(RULE_NAMES)
    allowed = next(r for r in result.rows if r.status == ALLOWED)
    assert allowed.allowed_reason == PRE_CAS_REASON and allowed.violations > 0
    # every row judged something: a rule with no cases could not fail
    assert all(r.cases for r in result.rows), [r.ident for r in result.rows if not r.cases]
    # the known hazards of the released read path are warnings, not violations
    corpus_row = next(r for r in result.rows if r.base == "corpus")
    assert corpus_row.warnings and not corpus_row.violations
    assert {c["payload"] for c in corpus_row.cases if c["verdict"] == "warning"} >= {"n_v1_empty_file",
                                                                                  "n_cas_raw_string_false"}


def test_without_the_allow_list_pre_cas_fails_forward_clean_honestly(fakes, corpus):
    result = _gate(fakes, corpus, "v2", allow=())
    assert _failing(result) == {("FORWARD_CLEAN", "pre-cas")} and result.exit_code == 1
    row = next(r for r in result.rows if r.status == FAIL)
    flagged = [c for c in row.cases if c["verdict"] == "violation"]
    assert {(c["outcome"], c["type"]) for c in flagged} == {("unhandled", "BadGzipFile")}
    # every v2 blob, and every raw blob whose content is not gzip; the empty raw blob reads as b""
    assert len(flagged) == len(row.cases) - 1
    assert [c for c in row.cases if c["verdict"] == "ok"][0]["payload"] == "empty"


@pytest.mark.parametrize("name", sorted(fake_trees.BROKEN_HEADS))
def test_every_broken_head_fails_on_its_rule(fakes, corpus, name):
    broken = fake_trees.BROKEN_HEADS[name]
    result = _gate(fakes, corpus, name)
    failing = _failing(result)
    assert broken.rule in {rule for rule, _ in failing}, (broken.defect, failing)
    assert failing == broken.fails, (broken.defect, failing)
    assert result.exit_code == 1


def test_pr3090_as_head_fails_only_codec_optional_on_fakes_of_the_released_readers(fakes, corpus):
    result = _gate(fakes, corpus, "v2-pr3090", bases=("pre-cas", "cas"))
    assert _failing(result) == {("CODEC_OPTIONAL", "pre-cas"), ("CODEC_OPTIONAL", "cas"),
                                ("BACKWARD_TRANSITIVE", "corpus")}
    corpus_row = next(r for r in result.rows if r.base == "corpus")
    assert {c["payload"] for c in corpus_row.cases if c["verdict"] == "violation"} == {"y_v2_concatenated_frames"}
    codec = next(r for r in result.rows if r.rule == "CODEC_OPTIONAL" and r.base == "cas")
    assert codec.reader == "head without lz4"
    assert {c["type"] for c in codec.cases} == {"ModuleNotFoundError"}


# -- allow-list --------------------------------------------------------------------------------

def _allow_file(tmp_path, doc):
    path = tmp_path / "allow.json"
    path.write_text(json.dumps(doc))
    return str(path)


@pytest.mark.parametrize("doc,message", [
    ({"schema": "casconf-gate-allow/1", "allow": [{"rule": "FORWARD_CLEAN", "base": "2.3.6"}]}, "without a written reason"),
    ({"schema": "casconf-gate-allow/1", "allow": [{"rule": "FORWARD_CLEAN", "base": "2.3.6", "reason": "  "}]},
     "without a written reason"),
    ({"schema": "casconf-gate-allow/1", "allow": [{"rule": "FORWARD", "base": "x", "reason": "r"}]}, "unknown rule"),
    ({"schema": "casconf-gate-allow/1", "allow": [{"rule": "ROUNDTRIP", "reason": "r", "until": "x"}]}, "expected an object"),
    ({"allow": []}, "expected"),
])
def test_an_allow_list_entry_needs_a_known_rule_and_a_written_reason(tmp_path, doc, message):
    with pytest.raises(allowlist.AllowListError, match=message):
        allowlist.load(_allow_file(tmp_path, doc))


def test_allow_list_entries_name_rows_and_unused_ones_are_reported(fakes, corpus, tmp_path):
    entries = allowlist.load(_allow_file(tmp_path, {"schema": "casconf-gate-allow/1", "allow": [
        {"rule": "ROUNDTRIP", "reason": "head row: base left out"},
        {"rule": "FORWARD_CLEAN", "base": "pre-cas", "reason": PRE_CAS_REASON},
        {"rule": "FORWARD_SAFE", "base": "cas", "reason": "nothing fails there"}]}))
    assert entries[0].base is None
    result = _gate(fakes, corpus, "no_sidecar", allow=entries)
    assert result.verdict == "pass"
    assert {(r.rule, r.base) for r in result.rows if r.status == ALLOWED} == {("ROUNDTRIP", None),
                                                                             ("FORWARD_CLEAN", "pre-cas")}
    assert [(e.rule, e.base) for e in result.unused] == [("FORWARD_SAFE", "cas")]


# -- the command line --------------------------------------------------------------------------

def _casconf(*args):
    return subprocess.run(["/usr/bin/python3", PACKAGES, "casconf", "gate", *args], capture_output=True, text=True)


def _common(fakes, synth_dir, head="v2"):
    return ["--head", fakes[head], "--base", "pre-cas=" + fakes["pre-cas"], "--base", "cas=" + fakes["cas"],
            "--fixtures", synth_dir, "--payloads", "quick"]


def test_the_command_writes_every_report_and_exits_1_on_a_failed_rule(fakes, synth_dir, tmp_path):
    out = {k: str(tmp_path / ("gate." + k)) for k in ("json", "xml", "md")}
    p = _casconf(*_common(fakes, synth_dir, "lz4_marked_raw"), "--json", out["json"], "--junit", out["xml"],
                 "--markdown", out["md"], "--github")
    assert p.returncode == 1, p.stderr
    doc = json.load(open(out["json"]))
    assert doc["schema"] == "casconf-gate/1" and doc["verdict"] == "fail"
    failed = {(r["rule"], r["base"]) for r in doc["rules"] if r["status"] == "fail"}
    assert ("FORWARD_SAFE", "cas") in failed and ("FORWARD_CLEAN", "pre-cas") in failed
    row = next(r for r in doc["rules"] if (r["rule"], r["base"]) == ("FORWARD_SAFE", "cas"))
    assert row["violations"] == sum(c["verdict"] == "violation" for c in row["cases"]) > 0
    assert {c["outcome"] for c in row["cases"] if c["verdict"] == "violation"} == {"wrong_bytes"}
    assert [t["reader"] for t in doc["trees"]] == ["head", "pre-cas", "cas", "head without lz4"]
    assert len(doc["payloads"]) == len(payloads.quick())
    suites = {s.get("name"): s for s in ET.parse(out["xml"]).getroot()}
    assert set(suites) == set(RULE_NAMES)
    assert int(suites["FORWARD_SAFE"].get("failures")) == 1
    assert suites["FORWARD_SAFE"].find("testcase[@name='cas']/failure") is not None
    md = open(out["md"]).read()
    assert md.startswith("### casblob gate: FAIL") and "| `FORWARD_SAFE` | cas | **FAIL** |" in md
    assert len(md) < 65536  # a GitHub comment
    errors = [ln for ln in p.stdout.splitlines() if ln.startswith("::error ")]
    assert "::error title=casconf gate%3A FORWARD_SAFE cas::" in "\n".join(errors)
    assert all("\n" not in e and "%0A" in e for e in errors)
    assert p.stdout.splitlines()[-1].startswith("::notice title=casconf gate%3A fail::FAIL: ")


def test_the_command_passes_with_an_allow_list_and_says_what_was_allowed(fakes, synth_dir, tmp_path):
    allow = _allow_file(tmp_path, {"schema": "casconf-gate-allow/1", "allow": [
        {"rule": "FORWARD_CLEAN", "base": "pre-cas", "reason": PRE_CAS_REASON}]})
    p = _casconf(*_common(fakes, synth_dir), "--allow", allow, "--github")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "allowed: " + PRE_CAS_REASON in p.stdout
    assert "::warning title=casconf gate%3A FORWARD_CLEAN pre-cas (allowed)::" in p.stdout


def test_bad_command_lines_and_configurations_exit_2_in_one_line(fakes, synth_dir, tmp_path):
    cases = [
        ["--head", fakes["v2"], "--fixtures", synth_dir],                               # no base
        ["--head-rev", "HEAD", "--base-rev", "x", "--fixtures", synth_dir],             # no --repo
        _common(fakes, synth_dir) + ["--base", "head=" + fakes["cas"]],                 # reserved name
        _common(fakes, synth_dir) + ["--base", "cas=" + fakes["cas"]],                  # given twice
        _common(fakes, synth_dir) + ["--allow", _allow_file(tmp_path, {"schema": "casconf-gate-allow/1",
                                                                      "allow": [{"rule": "ROUNDTRIP"}]})],
        _common(fakes, synth_dir) + ["--fixtures", str(tmp_path / "none")],
        ["--base", "cas=" + fakes["cas"]],                                              # no head
    ]
    for args in cases:
        p = _casconf(*args)
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        assert p.stderr.strip() and not p.stdout.strip(), args


def test_a_tree_that_cannot_be_found_or_imported_exits_3_in_one_line(fakes, synth_dir, tmp_path):
    broken = fake_trees.build(str(tmp_path / "noimport"), "cas", [
        ("metaflow/__init__.py", "", "import no_such_dependency_here\n")])
    for args, says in [
            (_common(fakes, synth_dir) + ["--base", "old=" + str(tmp_path / "nowhere")],
             "old: no metaflow package in %s" % (tmp_path / "nowhere")),
            (_common(fakes, synth_dir) + ["--base", "old=" + broken],
             "old (%s): its datastore does not import here: ModuleNotFoundError: No module named "
             "'no_such_dependency_here'" % broken)]:
        p = _casconf(*args)
        assert p.returncode == 3, (p.stdout, p.stderr)
        assert p.stderr.strip().splitlines() == ["casconf gate: " + says]


def test_revisions_of_a_clone_are_gated_and_the_trees_are_left_as_they_were(tmp_path, synth_dir):
    repo = tmp_path / "metaflow-clone"
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")

    def git(*args):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)

    repo.mkdir()
    git("init", "-q")
    fake_trees.build(str(repo), "cas")
    git("add", "-A")
    git("commit", "-qm", "released")
    git("tag", "2.19.38")
    fake_trees.apply(str(repo), fake_trees.PATCHES["v2"])
    git("commit", "-qam", "v2")
    before = _digest(repo)
    cache = tmp_path / "cache"
    p = _casconf("--repo", str(repo), "--head-rev", "HEAD", "--base-rev", "2.19.38", "--cache", str(cache),
                 "--fixtures", synth_dir, "--payloads", "quick", "--json", str(tmp_path / "g.json"))
    assert p.returncode == 0, p.stdout + p.stderr
    doc = json.load(open(tmp_path / "g.json"))
    head, base = doc["trees"][:2]
    assert (head["rev"], head["generation"]["name"], base["rev"], base["generation"]["name"]) == \
        ("HEAD", "v2", "2.19.38", "cas")
    assert sorted(os.listdir(cache)) == sorted([head["commit"], base["commit"]])
    assert _digest(repo) == before


def _digest(folder) -> str:
    h = hashlib.sha1()
    for dirpath, dirs, files in sorted(os.walk(folder)):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__",))
        for fn in sorted(files):
            with open(os.path.join(dirpath, fn), "rb") as f:
                h.update(fn.encode() + f.read())
    return h.hexdigest()
