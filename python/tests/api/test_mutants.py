"""Mutant implementations (python/tests/support/mutants/) must be CAUGHT by the driver."""

import os

import pytest

from casblob_fixtures import manifest as manifest_mod

from casconf import adapters, runner

MUTANTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "support", "mutants")


def run_mutant(name, fixtures, repo, timeout=1.0):
    impl = adapters.build(None, repo, command_configs=[os.path.join(MUTANTS, name + ".json")],
                          timeout=timeout)
    impl = [a for a in impl if a.name.startswith("mutant")]
    result = runner.run(impl, manifest_mod.load(fixtures), checks=("read",))
    return {e["case"]: e for e in result.entries}


def failing(entries):
    return {name: e["status"] for name, e in entries.items() if e["status"] != "pass"}


def test_ignore_sidecar(synth_dir, repo):
    f = failing(run_mutant("ignore_sidecar", synth_dir, repo))
    assert f.get("n_v99_future") == "should-have-failed"
    assert f.get("n_cas_raw_string_false") == "should-have-failed"
    assert f.get("n_lost_sidecar_lz4") == "should-have-failed"


def test_no_crc(synth_dir, repo):
    r = run_mutant("no_crc", synth_dir, repo)
    f = failing(r)
    assert f.get("n_v1_bad_crc") == "should-have-failed"
    assert f.get("n_key_mismatch") == "wrong-bytes" and r["n_key_mismatch"]["silent_corruption"]
    assert not r["n_key_mismatch"]["expected_hazard"]


def test_unknown_version(synth_dir, repo):
    assert failing(run_mutant("unknown_version", synth_dir, repo)) == {"n_v99_future": "should-have-failed"}


@pytest.mark.timeouts
def test_crash_hang(synth_dir, repo):
    f = failing(run_mutant("crash_hang", synth_dir, repo))
    assert f == {"y_raw_v2": "crash", "n_nosidecar_empty_file": "timeout"}


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["ignore_sidecar", "no_crc", "unknown_version", "crash_hang"])
def test_mutants_are_caught_on_the_real_corpus(name, real_fixtures, repo):
    base = failing(run_mutant_base(real_fixtures, repo))
    f = failing(run_mutant(name, real_fixtures, repo, timeout=1.0))
    new = {k: v for k, v in f.items() if base.get(k) != v}
    assert new, "%s not caught" % name
    kinds = set(new.values())
    expected = {"ignore_sidecar": {"should-have-failed"}, "no_crc": {"should-have-failed"},
                "unknown_version": {"wrong-bytes", "should-have-failed"},
                "crash_hang": {"crash", "timeout"}}[name]
    assert kinds & expected, kinds


_BASE = {}


def run_mutant_base(fixtures, repo):
    """spec_reader unmutated, through the same path (the mutants' base); cached."""
    if fixtures not in _BASE:
        a = [x for x in adapters.build(["spec-reader"], repo)]
        result = runner.run(a, manifest_mod.load(fixtures), checks=("read",))
        _BASE[fixtures] = {e["case"]: e for e in result.entries}
    return _BASE[fixtures]
