"""metaflow_trees: generation detection, materialising from git, and the per-tree process, on the
fake trees of tests/support/fake_trees (never Metaflow's code)."""

import ast
import gzip
import hashlib
import importlib.util
import json
import os
import subprocess

import lz4.frame
import pytest

from metaflow_trees import (CLEAN_ERROR, RIGHT_BYTES, UNHANDLED, WRONG_BYTES, GenerationError, MaterialiseError,
                            TreeError, TreeProcess, detect, from_path, from_rev, materialise)
from metaflow_trees.generation import codec_imports
from tests.support import fake_trees

PREFIX = "GateFlow/data"
PAYLOAD = b"an artifact\n" * 100
KEY = hashlib.sha1(PAYLOAD).hexdigest()


@pytest.fixture(scope="module")
def trees(tmp_path_factory):
    root = tmp_path_factory.mktemp("trees")
    return {g: fake_trees.build(str(root / g), g) for g in fake_trees.LAYERS}


def _store(root, key, blob, sidecar):
    d = os.path.join(str(root), PREFIX, key[:2])
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, key), "wb") as f:
        f.write(blob)
    if sidecar is not None:
        with open(os.path.join(d, key + "_meta"), "wb") as f:
            f.write(sidecar)


# -- generation --------------------------------------------------------------------------------

def test_each_fake_generation_is_recognised_from_its_code(trees):
    seen = {g: detect(path) for g, path in trees.items()}
    assert {g: (s.name, s.versions, s.profile) for g, s in seen.items()} == {
        "pre-cas": ("pre-cas", (1,), "pre-cas"), "cas": ("cas", (1,), "legacy"),
        "v2": ("v2", (1, 2), "v2"), "v2-pr3090": ("v2", (1, 2), "v2")}
    assert seen["v2"].required_codecs() == () and seen["v2-pr3090"].required_codecs() == ("lz4",)
    assert seen["pre-cas"].reader == "LocalDataStore.load_data" and not seen["pre-cas"].writes_raw
    assert seen["cas"].storage_module == "metaflow.plugins.datastores.local_storage"
    assert seen["cas"].exception_module == "metaflow.datastore.exceptions"
    assert seen["pre-cas"].exception_module == "metaflow.datastore.datastore"


def test_where_the_codec_is_imported_decides_how():
    src = ("import gzip\nimport lz4.frame\ntry:\n    import zstandard\nexcept ImportError:\n    zstandard = None\n"
           "from ..exception import X\nfrom metaflow.util import y\n"
           "def f():\n    import brotli\n    import lz4.block\n")
    found = {c.module: c.how for c in codec_imports(ast.parse(src))}
    assert found == {"lz4": "module", "zstandard": "optional", "brotli": "lazy"}


def test_a_folder_without_a_known_datastore_is_refused_in_one_line(tmp_path, trees):
    with pytest.raises(GenerationError, match="no metaflow package"):
        detect(str(tmp_path))
    broken = fake_trees.build(str(tmp_path / "t"), "cas")
    os.remove(os.path.join(broken, "metaflow/plugins/datastores/local_storage.py"))
    with pytest.raises(GenerationError, match="no LocalStorage"):
        detect(broken)
    with pytest.raises(TreeError) as exc:
        from_path("head", str(tmp_path / "nowhere"))
    assert str(exc.value).startswith("head: ") and "\n" not in str(exc.value)


# -- materialise -------------------------------------------------------------------------------

def _git(repo, *args):
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
                            GIT_COMMITTER_EMAIL="t@t"))


@pytest.fixture(scope="module")
def clone(tmp_path_factory, trees):
    repo = tmp_path_factory.mktemp("clone")
    _git(repo, "init", "-q")
    (repo / "README").write_text("not metaflow\n")
    _git(repo, "add", "README")
    _git(repo, "commit", "-qm", "no metaflow yet")
    _git(repo, "tag", "empty")
    fake_trees.build(str(repo), "cas")
    _git(repo, "add", "metaflow")
    _git(repo, "commit", "-qm", "cas")
    _git(repo, "tag", "2.4.0")
    return repo


def test_a_revision_is_extracted_once_into_a_folder_named_by_its_commit(clone, tmp_path):
    cache = tmp_path / "cache"
    path, commit = materialise(str(clone), "2.4.0", str(cache))
    assert os.path.basename(path) == commit and len(commit) == 40
    assert detect(path).name == "cas"
    marker = os.path.join(path, "metaflow", "left-here")
    open(marker, "w").close()
    assert materialise(str(clone), commit[:10], str(cache)) == (path, commit)
    assert os.path.exists(marker)  # reused, not extracted again
    assert sorted(os.listdir(cache)) == [commit]  # no temporary folder left behind
    tree = from_rev("base", str(clone), "2.4.0", str(cache))
    assert (tree.rev, tree.commit, tree.generation.name) == ("2.4.0", commit, "cas")


def test_a_bad_revision_fails_in_one_line_and_leaves_nothing(clone, tmp_path):
    cache = tmp_path / "cache"
    with pytest.raises(MaterialiseError, match="no commit 'no-such-tag'"):
        materialise(str(clone), "no-such-tag", str(cache))
    with pytest.raises(MaterialiseError, match="git archive"):
        materialise(str(clone), "empty", str(cache))  # that commit has no metaflow/
    assert not os.path.exists(cache) or os.listdir(cache) == []
    with pytest.raises(TreeError, match="^base: "):
        from_rev("base", str(clone), "no-such-tag", str(cache))


# -- the process -------------------------------------------------------------------------------

def _proc(trees, generation, **kw):
    return TreeProcess(trees[generation], detect(trees[generation]), **kw)


@pytest.mark.parametrize("generation", sorted(fake_trees.LAYERS))
def test_each_generation_writes_with_its_own_code_and_reads_it_back(trees, generation, tmp_path):
    payloads = []
    for i, data in enumerate([PAYLOAD, b""]):
        payloads.append(str(tmp_path / ("p%d" % i)))
        with open(payloads[-1], "wb") as f:
            f.write(data)
    with _proc(trees, generation) as p:
        assert p.import_error is None and p.hello["python"]
        wrote = p.write(str(tmp_path / "s"), PREFIX, payloads, raw=False)
        assert wrote["keys"] == [KEY, hashlib.sha1(b"").hexdigest()]
        results = p.read(str(tmp_path / "s"), PREFIX, wrote["keys"])
        raw = p.write(str(tmp_path / "r"), PREFIX, payloads, raw=True)
    assert [r.outcome for r in results] == [RIGHT_BYTES, RIGHT_BYTES] and results[0].size == len(PAYLOAD)
    stored = open(os.path.join(str(tmp_path / "s"), PREFIX, KEY[:2], KEY), "rb").read()
    meta = os.path.join(str(tmp_path / "s"), PREFIX, KEY[:2], KEY + "_meta")
    if generation == "pre-cas":
        assert stored[:2] == b"\x1f\x8b" and not os.path.exists(meta)
        assert raw["unsupported"] and raw["error"]["type"] == "Unsupported"
    else:
        version = 2 if generation.startswith("v2") else 1
        assert json.load(open(meta)) == {"cas_raw": False, "cas_version": version}
        assert stored[:4] == b"\x04\x22\x4d\x18" if version == 2 else stored[:3] == b"\x1f\x8b\x08"
        assert len(raw["keys"]) == 2


def test_outcomes_are_the_trees_own_clean_error_unhandled_or_bytes_checked_against_the_key(trees, tmp_path):
    other = hashlib.sha1(b"other").hexdigest()
    _store(tmp_path, KEY, lz4.frame.compress(PAYLOAD), b'{"cas_raw": false, "cas_version": 99}')
    _store(tmp_path, other, PAYLOAD, b'{"cas_raw": true, "cas_version": 1}')      # raw, wrong content
    key3 = hashlib.sha1(b"3").hexdigest()
    _store(tmp_path, key3, b"3", b"[1]")                                           # a list: .get fails
    keys = [KEY, other, key3]
    with _proc(trees, "cas") as cas, _proc(trees, "pre-cas") as pre:
        got = cas.read(str(tmp_path), PREFIX, keys)
        old = pre.read(str(tmp_path), PREFIX, keys)
    assert [r.outcome for r in got] == [CLEAN_ERROR, WRONG_BYTES, UNHANDLED]
    assert got[0].type == "DataException" and "Unknown encoding version 99" in got[0].message
    assert got[1].sha1 == KEY and got[2].type == "AttributeError"
    # pre-CAS never reads the sidecar and has no clean error around gzip
    assert [(r.outcome, r.type) for r in old] == [(UNHANDLED, "BadGzipFile")] * 3


def test_a_tree_without_its_hard_codec_reads_nothing_and_a_lazy_one_reads_v1(trees, tmp_path):
    v1 = hashlib.sha1(b"v1").hexdigest()
    _store(tmp_path, KEY, lz4.frame.compress(PAYLOAD), b'{"cas_raw": false, "cas_version": 2}')
    _store(tmp_path, v1, gzip.compress(b"v1"), b'{"cas_raw": false, "cas_version": 1}')
    with _proc(trees, "v2-pr3090", hide=("lz4",)) as hard, _proc(trees, "v2", hide=("lz4",)) as lazy:
        assert hard.import_error == "ModuleNotFoundError: No module named 'lz4'"
        assert lazy.import_error is None and lazy.hello["hidden"] == ["lz4"]
        nothing = hard.read(str(tmp_path), PREFIX, [KEY, v1])
        some = lazy.read(str(tmp_path), PREFIX, [KEY, v1])
        assert "error" in hard.write(str(tmp_path / "w"), PREFIX, [], raw=False)
    assert [(r.outcome, r.type) for r in nothing] == [(UNHANDLED, "ModuleNotFoundError")] * 2
    assert [r.outcome for r in some] == [CLEAN_ERROR, RIGHT_BYTES]
    assert "No module named 'lz4'" in some[0].message


def test_prints_of_the_tree_do_not_break_the_protocol_and_requests_is_stubbed_only_when_missing(tmp_path):
    tree = fake_trees.build(str(tmp_path / "t"), "cas", [
        ("metaflow/__init__.py", "", "import requests\nprint('hello from the tree')\n")])
    with TreeProcess(tree, detect(tree), hide=("requests",)) as p:
        assert p.stubbed == ["requests"] and p.import_error is None
    with TreeProcess(tree, detect(tree)) as p:
        assert p.import_error is None
        assert p.stubbed == ([] if _have("requests") else ["requests"])


def _have(module):
    return importlib.util.find_spec(module) is not None


def test_a_reader_that_dies_on_one_key_costs_that_key_only(tmp_path):
    tree = fake_trees.build(str(tmp_path / "t"), "cas", [
        (fake_trees.STORE, "    def _unpack_v1(self, f):\n",
         "    def _unpack_v1(self, f):\n        import os\n        if f.read(1) == b'X':\n            os._exit(7)\n"
         "        f.seek(0)\n")])
    good = hashlib.sha1(b"good").hexdigest()
    _store(tmp_path / "s", KEY, b"X", b'{"cas_raw": false, "cas_version": 1}')
    _store(tmp_path / "s", good, gzip.compress(b"good"), b'{"cas_raw": false, "cas_version": 1}')
    with TreeProcess(tree, detect(tree), label="crashy") as p:
        got = p.read(str(tmp_path / "s"), PREFIX, [good, KEY, good])
        assert p.restarts == 1
    assert [r.outcome for r in got] == [RIGHT_BYTES, UNHANDLED, RIGHT_BYTES]
    assert got[1].type == "<died>" and "exited with status 7" in got[1].message


@pytest.mark.timeouts
def test_a_reader_that_hangs_on_one_key_times_out_on_that_key_only(tmp_path):
    tree = fake_trees.build(str(tmp_path / "t"), "cas", [
        (fake_trees.STORE, "    def _unpack_v1(self, f):\n",
         "    def _unpack_v1(self, f):\n        import time\n        if f.read(1) == b'X':\n            time.sleep(60)\n"
         "        f.seek(0)\n")])
    _store(tmp_path / "s", KEY, b"X", b'{"cas_raw": false, "cas_version": 1}')
    with TreeProcess(tree, detect(tree), timeout=2) as p:
        got = p.read(str(tmp_path / "s"), PREFIX, [KEY])
    assert got[0].outcome == UNHANDLED and got[0].type == "<timeout>"
