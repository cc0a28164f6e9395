"""The metaflow adapter, with a fake ``metaflow`` package that mimics the API it calls."""

import os
import sys

import pytest

from casblob_fixtures import manifest as manifest_mod

from casconf import runner
from casconf.adapters.metaflow import MetaflowAdapter, classify_data_exception

# A source folder holding a stand-in `metaflow` package (casconf run --metaflow-src DIR).
FAKE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "support", "fake_metaflow")


@pytest.fixture
def fake_metaflow():
    yield FAKE
    for name in [n for n in sys.modules if n == "metaflow" or n.startswith("metaflow.")]:
        del sys.modules[name]


def test_not_importable_is_one_line_and_not_run(synth_dir):
    assert "metaflow" not in sys.modules
    a = MetaflowAdapter()
    why = a.unavailable()
    if why is None:
        pytest.skip("a real metaflow is importable here")
    assert "metaflow is not importable" in why and "\n" not in why
    result = runner.run([a], manifest_mod.load(synth_dir))
    assert result.summary["metaflow/legacy"]["not_run"] == result.summary["metaflow/legacy"]["statuses"]["not-run"] > 0
    assert result.summary["metaflow/legacy"]["pass"] == 0


def test_fake_metaflow_reproduces_the_model(synth_dir, fake_metaflow):
    a = MetaflowAdapter(src=fake_metaflow)
    assert a.unavailable() is None
    import metaflow
    assert getattr(metaflow, "FAKE", False)
    result = runner.run([a], manifest_mod.load(synth_dir), checks=("read",))
    fails = [e for e in result.entries if e["status"] != "pass"]
    assert not fails, fails[:3]
    # the hazards of the released read path show up as silent corruption
    assert result.summary["metaflow/legacy"]["silent_corruption"] == 4
    unhandled = [e for e in result.entries if e["case"] == "n_sidecar_list"]
    assert all(e["actual"]["error"] == "unhandled" for e in unhandled)


def test_data_exception_messages():
    assert classify_data_exception("Could not extract encoding version for 'x'").error == "version_missing"
    assert classify_data_exception("Unknown encoding version 3 for 'x' -- ...").error == "version_unsupported"
    r = classify_data_exception("Could not unpack artifact 'x': No module named 'lz4'")
    assert r.error == "codec_unavailable"
    r = classify_data_exception("Could not unpack artifact 'x': CRC check failed 0x1 != 0x2")
    assert (r.error, r.detail) == ("corrupt", "checksum")
