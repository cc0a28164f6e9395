"""The command protocol as PROTOCOL.md states it, against a scriptable implementation:
exit codes, replies, batch mode and its fallback, timeouts, config validation."""

import hashlib
import os

import pytest

from casconf.adapters.command import CommandAdapter, ConfigError
from casconf.model import ReadRequest

FAKE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "support", "fake_impl.py")


def _adapter(mode, batch=True, decode=True, timeout=1.0):
    config = {"name": "fake-" + mode, "profiles": ["strict"]}
    if decode:
        config["decode"] = ["{python}", FAKE, mode, "decode", "--meta", "{meta}", "--key", "{key}", "{blob}"]
        config["no_meta"] = ["{python}", FAKE, mode, "decode", "--key", "{key}", "{blob}"]
    if batch:
        config["batch"] = ["{python}", FAKE, mode, "batch"]
    return CommandAdapter(config, repo=os.getcwd(), timeout=timeout)


@pytest.fixture
def blobs(tmp_path):
    reqs = []
    for i, data in enumerate([b"one", b"DIE now", b"two", b"HANG here", b"three"]):
        p = tmp_path / ("b%d" % i)
        p.write_bytes(data)
        reqs.append(ReadRequest(str(p), None, hashlib.sha1(data).hexdigest(), None))
    return reqs


def test_config_validation(repo):
    with pytest.raises(ConfigError):
        CommandAdapter({"name": "x", "profiles": ["strict"]}, repo=repo)           # no template
    with pytest.raises(ConfigError):
        CommandAdapter({"name": "x", "profiles": ["fast"], "decode": ["a"]}, repo=repo)
    assert "not on PATH" in CommandAdapter({"name": "x", "profiles": ["strict"],
                                            "decode": ["no-such-program-here"]}, repo=repo).unavailable()


@pytest.mark.parametrize("batch", [True, False])
def test_good_batch_and_per_case(blobs, batch):
    good = [b for b in blobs if b"DIE" not in open(b.blob, "rb").read() and b"HANG" not in open(b.blob, "rb").read()]
    res = _adapter("good", batch=batch).read("strict", good)
    assert [r.kind for r in res] == ["ok"] * 3
    assert [r.sha1 for r in res] == [b.key for b in good]


def test_exit_code_mismatch_is_a_crash(blobs):
    assert _adapter("exit_mismatch", batch=False).read("strict", blobs[:1])[0].kind == "crash"


def test_bad_json_is_a_crash(blobs):
    res = _adapter("bad_json").read("strict", blobs[:1])
    assert res[0].kind == "crash" and "not JSON" in res[0].message


def test_error_reply_with_right_exit_code(blobs):
    res = _adapter("error_reply", batch=False).read("strict", blobs[:1])
    assert (res[0].kind, res[0].error, res[0].detail) == ("error", "corrupt", "data")


@pytest.mark.timeouts
def test_batch_crash_and_hang_are_pinned_to_their_case(blobs):
    a = _adapter("die_on_marker")
    kinds = [r.kind for r in a.read("strict", blobs[:3])]
    assert kinds == ["ok", "crash", "ok"] and a.fallbacks == 1
    res = _adapter("hang_on_marker").read("strict", blobs[2:])
    assert [r.kind for r in res] == ["ok", "timeout", "ok"]


@pytest.mark.timeouts
def test_buffered_batch_hang_is_attributed_by_fallback(blobs):
    # The implementation never flushes: its earlier replies are lost with the killed batch;
    # the driver re-runs the unanswered case alone, so only the hanging case times out.
    res = _adapter("buffered_hang").read("strict", blobs[2:])
    assert [r.kind for r in res] == ["ok", "timeout", "ok"]


@pytest.mark.timeouts
def test_batch_only_implementation_marks_the_failed_case(blobs):
    res = _adapter("hang_on_marker", decode=False).read("strict", blobs[2:])
    assert [r.kind for r in res] == ["ok", "timeout", "ok"]


def test_command_writer_without_sidecar_is_an_encode_crash(tmp_path, repo):
    from casconf.checks import write as write_check

    writer = CommandAdapter({"name": "cp-writer", "profiles": ["strict"], "decode": ["true"],
                             "encode": ["cp", "{in}", "{out}"], "write_versions": [1]}, repo=repo)
    cases, entries = write_check.produce([writer], str(tmp_path))
    assert len(entries) == len(write_check.payloads()) and len(cases) == len(entries)
    assert all(e["status"] == "crash" and "no sidecar" in e["actual"]["message"] for e in entries)
    assert all(c.meta is None and c.variant.label == "v1" for c in cases)
