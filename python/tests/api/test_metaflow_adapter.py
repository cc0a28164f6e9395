"""The metaflow adapter: real source trees, each run with its own code (here the fake trees of
tests/support/fake_trees, which behave like each generation), judged on the profile it declares
or its generation's."""

import pytest

from casblob_fixtures import manifest as manifest_mod
from metaflow_model import error_from_message

from casconf import adapters, cli, runner
from casconf.adapters.command import ConfigError
from casconf.adapters.metaflow import MetaflowAdapter, installed_tree, parse_tree
from tests.support import fake_trees


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    root = tmp_path_factory.mktemp("trees")
    return {g: fake_trees.build(str(root / g), g) for g in fake_trees.LAYERS}


def test_not_installed_is_one_line_and_not_run(synth_dir):
    if installed_tree() is not None:
        pytest.skip("a real metaflow is installed here")
    a = MetaflowAdapter()
    why = a.unavailable()
    assert "metaflow is not installed" in why and "\n" not in why
    result = runner.run([a], manifest_mod.load(synth_dir))
    summary = result.summary["metaflow/legacy"]
    assert summary["not_run"] == summary["statuses"]["not-run"] > 0 and summary["pass"] == 0


@pytest.mark.parametrize("generation,profile", [("pre-cas", "pre-cas"), ("cas", "legacy"), ("v2-pr3090", "v2")])
def test_each_generation_is_detected_and_meets_its_profile(synth_dir, trees, generation, profile):
    a = MetaflowAdapter(generation, trees[generation])
    assert a.unavailable() is None and a.profiles == (profile,)
    result = runner.run([a], manifest_mod.load(synth_dir), checks=("read",))
    fails = [e for e in result.entries if e["status"] != "pass"]
    assert not fails, fails[:3]
    # the hazards of each read path show up as silent corruption, measured on the tree's own code
    assert result.summary["%s/%s" % (generation, profile)]["silent_corruption"] == {
        "pre-cas": 3, "legacy": 4, "v2": 5}[profile]
    if profile == "pre-cas":  # no sidecar read, no DataException: BadGzipFile escapes
        lost = [e for e in result.entries if e["case"] == "y_raw_v2"]
        assert lost[0]["actual"]["error"] == "unhandled" and lost[0]["actual"]["exception"] == "BadGzipFile"


def test_a_tree_that_differs_from_its_declared_profile_fails(synth_dir, trees):
    # The careful v2 tree reads every lz4 frame; PR #3090 (the v2 column) reads one.
    a = MetaflowAdapter("careful", trees["v2"])
    result = runner.run([a], manifest_mod.load(synth_dir), checks=("read",))
    fails = {e["case"]: e["status"] for e in result.entries if e["status"] != "pass"}
    assert fails == {"y_v2_concatenated_frames": "should-have-failed"}  # right bytes where v2 returns wrong ones
    declared = MetaflowAdapter("as-legacy", trees["v2-pr3090"], profile="legacy")
    assert declared.profiles == ("legacy",)
    result = runner.run([declared], manifest_mod.load(synth_dir), checks=("read",))
    assert {e["case"] for e in result.entries if e["status"] != "pass"} >= {"y_v2_small_dict"}


def test_any_number_of_trees_from_the_command_line(synth_dir, trees, capsys):
    rc = cli.main(["run", "--fixtures", synth_dir, "--check", "read", "--quiet",
                   "--metaflow", "old=%s" % trees["pre-cas"], "--metaflow", "released=%s" % trees["cas"],
                   "--metaflow", "pr3090:v2=%s" % trees["v2-pr3090"], "--impl", "old", "released", "pr3090"])
    out = capsys.readouterr().out
    assert rc == 0, out
    built = adapters.build(None, ".", metaflow_trees=["a=%s" % trees["cas"]])
    assert "metaflow" not in [b.name for b in built] and "a" in [b.name for b in built]


def test_bad_tree_arguments_are_usage_errors(tmp_path):
    assert parse_tree("x:v2=/some/path=with=equals") == ("x", "v2", "/some/path=with=equals")
    for bad in ("no-equals", "=path", "x:nonsense=path"):
        with pytest.raises(ConfigError):
            parse_tree(bad)
    with pytest.raises(ConfigError, match="given twice"):
        adapters.build(None, ".", metaflow_trees=["a=%s" % tmp_path, "a=%s" % tmp_path])
    a = MetaflowAdapter("empty", str(tmp_path))
    assert "no metaflow package" in a.unavailable()


def test_data_exception_messages():
    assert error_from_message("Could not extract encoding version for 'x'") == ("version_missing", None)
    assert error_from_message("Unknown encoding version 3 for 'x' -- ...") == ("version_unsupported", None)
    assert error_from_message("Could not unpack artifact 'x': No module named 'lz4'") == ("codec_unavailable", None)
    assert error_from_message("Could not unpack artifact 'x': CRC check failed 0x1 != 0x2") == ("corrupt", "checksum")
