import json
import os
import shutil

import pytest

from casblob_fixtures import manifest


def test_load_synthetic(synth_dir):
    m = manifest.load(synth_dir)
    assert len(m.cases) == 15 and m.groups[0] == "ValidV1"
    case = m.cases[0]
    assert os.path.exists(case.blob) and case.blob.endswith(os.path.join(case.key[:2], case.key))
    assert case.meta == case.blob + "_meta" and os.path.exists(case.meta)
    nosidecar = [c for c in m.cases if c.name == "y_nosidecar_gzip"][0]
    assert nosidecar.meta is None
    bomb = [c for c in m.cases if c.name == "n_bomb_limit"][0]
    assert bomb.max_size == 64
    assert "SilentCorruption" in m.flags()


def test_missing_and_inconsistent_manifests(tmp_path, synth_dir):
    with pytest.raises(manifest.ManifestError, match="no manifest"):
        manifest.load(str(tmp_path))
    shutil.copytree(synth_dir, str(tmp_path / "c"))
    path = tmp_path / "c" / "manifest.json"
    doc = json.loads(path.read_text())
    doc["numberOfTests"] = 3
    path.write_text(json.dumps(doc))
    with pytest.raises(manifest.ManifestError, match="numberOfTests"):
        manifest.load(str(tmp_path / "c"))
