"""The driver's own inputs are bounded (F10 of the reliability issue): a manifest cannot point
outside the corpus, an in-process implementation cannot hang the run or read endless input, and
a command implementation cannot flood the driver's memory."""

import json
import os
import time

import pytest

import metaflow_model
from casblob_fixtures import manifest as manifest_mod
from casconf.adapters.command import MAX_REPLY_BYTES, CommandAdapter
from casconf.adapters.python import PythonAdapter
from casconf.model import ReadRequest


def _manifest(tmp_path, key="a" * 40, case_dir="cases/x"):
    doc = {"schema": "casblob-fixtures/1", "numberOfTests": 1, "testGroups": [{"type": "G", "tests": [
        {"tcId": 1, "name": "y_x", "key": key, "dir": case_dir, "sidecar": False, "expect": {}}]}]}
    (tmp_path / "manifest.json").write_text(json.dumps(doc))
    return str(tmp_path)


@pytest.mark.parametrize("key,case_dir", [
    ("a" * 40, "../outside"), ("a" * 40, "/etc"), ("a" * 40, "cases/../../x"), ("a" * 40, ""),
    ("../../../etc/passwd", "cases/x"), ("A" * 40, "cases/x"), ("a" * 39, "cases/x"), (7, "cases/x"),
])
def test_manifest_paths_stay_inside_the_corpus(tmp_path, key, case_dir):
    with pytest.raises(manifest_mod.ManifestError):
        manifest_mod.load(_manifest(tmp_path, key, case_dir))


def test_manifest_symlinked_case_dir_leading_outside_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    corpus = tmp_path / "corpus"
    (corpus / "cases").mkdir(parents=True)
    os.symlink(outside, corpus / "cases" / "x")
    with pytest.raises(manifest_mod.ManifestError):
        manifest_mod.load(_manifest(corpus))


def test_manifest_good_paths_load(tmp_path):
    assert manifest_mod.load(_manifest(tmp_path)).cases[0].dir == "cases/x"


def test_in_process_adapter_refuses_fifo_and_devices_at_once(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    t = time.monotonic()
    out = PythonAdapter().read("legacy", [ReadRequest(str(fifo), None, None), ReadRequest("/dev/zero", None, None),
                                          ReadRequest(str(tmp_path), None, None)])
    assert time.monotonic() - t < 2
    assert [r.error for r in out] == ["io_error", "io_error", "io_error"]


def test_in_process_adapter_that_hangs_is_a_timeout(tmp_path, monkeypatch):
    blob = tmp_path / "b"
    blob.write_bytes(b"x")
    monkeypatch.setattr(metaflow_model, "read_outcome", lambda *a: time.sleep(30))
    t = time.monotonic()
    out = PythonAdapter(timeout=0.5).read("legacy", [ReadRequest(str(blob), None, None)])
    assert out[0].kind == "timeout"
    assert time.monotonic() - t < 5


def _flood_adapter(script, batch):
    config = {"name": "flood", "profiles": ["strict"], "timeout": 10}
    argv = ["{python}", "-c", script]
    config["batch" if batch else "decode"] = argv
    return CommandAdapter(config, repo=os.getcwd())


@pytest.mark.parametrize("batch", [False, True])
def test_command_adapter_flood_is_stopped(tmp_path, batch):
    blob = tmp_path / "b"
    blob.write_bytes(b"x")
    # `yes`-like: endless output, one long line and many short ones.
    for script in ("import sys\nwhile True: sys.stdout.write('x' * 65536)",
                   "import sys\nwhile True: sys.stdout.write('y\\n' * 32768)"):
        t = time.monotonic()
        out = _flood_adapter(script, batch).read("strict", [ReadRequest(str(blob), str(blob), None)])
        assert out[0].kind == "crash", out[0]
        assert time.monotonic() - t < 8
    assert MAX_REPLY_BYTES == 1 << 20
