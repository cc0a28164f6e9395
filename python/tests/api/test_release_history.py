"""The release-history sweep on a fake Metaflow clone (tags holding the fake trees of
tests/support/fake_trees, one per generation) and the synthetic corpus: ranges, read-path
variants, trees without their codec, the committed result's check, the rendered appendix."""

import json
import os
import subprocess

import pytest

from casblob_fixtures import manifest as manifest_mod
from spec_tools import release_history, release_sweep
from spec_tools.release_sweep import Spec
from tests.support import fake_trees


def _git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@t")
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _commit(repo, generation, tag, edits=()):
    for name in os.listdir(repo):
        if name == "metaflow":
            subprocess.run(["rm", "-rf", os.path.join(str(repo), name)], check=True)
    fake_trees.build(str(repo), generation, edits)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", tag)
    _git(repo, "tag", tag)


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """2.3.0, 2.3.1 pre-CAS (same read path); 2.4.0 CAS; 2.4.1 CAS whose error message reads
    differently; 2.5.0 CAS whose read path drops the sidecar check (a reader that disagrees);
    tag pr-v2: PR #3090's v2."""
    repo = tmp_path_factory.mktemp("metaflow-clone")
    _git(repo, "init", "-q")
    store = fake_trees.STORE
    _commit(repo, "pre-cas", "2.3.0")
    _commit(repo, "pre-cas", "2.3.1", [("metaflow/__init__.py", "", "\n# 2.3.1\n")])
    _commit(repo, "cas", "2.4.0")
    _commit(repo, "cas", "2.4.1", [(store, "Unknown encoding version %d for '%s'", "Unknown encoding version %d for %s")])
    _commit(repo, "cas", "2.5.0", [(store, "if meta is None:", "if True:")])
    _commit(repo, "v2-pr3090", "pr-v2")
    return str(repo)


@pytest.fixture(scope="module")
def synth(synth_dir):
    return manifest_mod.load(synth_dir)


def test_release_tags_are_versions_oldest_first(clone):
    assert release_sweep.release_tags(clone) == ["2.3.0", "2.3.1", "2.4.0", "2.4.1", "2.5.0"]
    assert release_sweep.in_range(["2.3.0", "2.4.0", "2.10.0", "2.13"], "2.4.0", "2.10.0") == ["2.4.0", "2.10.0"]


def test_every_release_is_read_with_its_own_code_and_compared_with_its_profile(clone, synth, tmp_path):
    specs = [Spec(t, t) for t in release_sweep.release_tags(clone)]
    specs += [Spec("pr", "pr-v2", release=False), Spec("pr without lz4", "pr-v2", release=False, hide=("lz4",))]
    runs = {r["name"]: r for r in release_sweep.sweep(specs, clone, synth, str(tmp_path / "cache"))}
    for tag, profile in (("2.3.0", "pre-cas"), ("2.3.1", "pre-cas"), ("2.4.0", "legacy"), ("2.4.1", "legacy"),
                         ("pr", "v2")):
        assert (runs[tag]["profile"], runs[tag]["agree"]) == (profile, runs[tag]["total"]), tag
    assert runs["2.3.0"]["variant"] == runs["2.3.1"]["variant"] != runs["2.4.0"]["variant"]
    assert runs["2.4.0"]["messages"] != runs["2.4.1"]["messages"]  # only the wording differs
    bad = runs["2.5.0"]
    assert bad["agree"] < bad["total"] and bad["disagreements"]
    nolz4 = runs["pr without lz4"]
    assert nolz4["import_error"].startswith("ModuleNotFoundError") and nolz4["outcomes"]["unhandled"] == nolz4["total"]

    doc = release_sweep.document(list(runs.values()), synth)
    text = release_history.render(doc)
    assert "| 2.3.0 - 2.3.1 | 2 | `LocalDataStore.load_data` | `pre-cas` |" in text
    assert "| 2.4.0 - 2.4.1 | 2 | `ContentAddressedStore.load_blobs` | `legacy` |" in text
    assert "| 2.5.0 | 1 |" in text and "Disagreements in 2.5.0:" in text
    assert "| 2.4.0 | 1 |" in text and "| 2.4.1 | 1 |" in text  # two message forms
    assert "none: does not import (`ModuleNotFoundError" in text


def test_per_variant_measures_one_release_per_read_path(clone, synth, tmp_path):
    specs = [Spec(t, t) for t in ("2.3.0", "2.3.1", "2.4.0")]
    runs = release_sweep.sweep(specs, clone, synth, str(tmp_path / "cache"), per_variant=True)
    assert [r.get("measured_as") for r in runs] == [None, "2.3.0", None]
    assert runs[1]["commit"] != runs[0]["commit"] and runs[1]["agree"] == runs[0]["agree"]


def test_the_committed_result_is_checked_by_a_re_run(clone, synth_dir, tmp_path, capsys):
    out = str(tmp_path / "history.json")
    common = ["--repo", clone, "--fixtures", synth_dir, "--cache", str(tmp_path / "cache"), "--out", out]
    assert release_history.main(["sweep", "--range", "2.3.1..2.4.0", "--extra", "pr=pr-v2:hide=lz4"] + common) == 0
    doc = json.load(open(out))
    assert [r["name"] for r in doc["runs"]] == ["2.3.1", "2.4.0", "pr"]
    assert release_history.main(["check"] + common) == 0
    doc["runs"][1]["agree"] -= 1
    json.dump(doc, open(out, "w"))
    capsys.readouterr()
    assert release_history.main(["check"] + common) == 1
    assert "2.4.0 (Python" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        release_history.main(["sweep", "--extra", "pr=pr-v2:nonsense"] + common)
