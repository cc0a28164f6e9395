"""FieldDamage: every case cites where it comes from; the `_meta` folder is part of the corpus
the lint checks; the >= 2 GiB CRC32 blob's generator writes what its small stand-in shows."""

import gzip
import hashlib
import json
import os
import shutil
import zlib

import pytest

import metaflow_model
import spec_reader
from casblob_fixtures import field_crc, lint, manifest


def field_cases(fixtures_dir):
    return [c for c in manifest.load(fixtures_dir).cases if c.group == "FieldDamage"]


def test_every_field_damage_case_cites_an_issue_or_pull_request(real_fixtures):
    cases = field_cases(real_fixtures)
    assert len(cases) >= 7
    for c in cases:
        assert c.references, c.name
        assert all("#" in r and r.split("#")[1].isdigit() for r in c.references), c.name


def test_the_meta_folder_is_listed_and_checked_by_the_lint(real_fixtures, tmp_path):
    copy = str(tmp_path / "fixtures")
    shutil.copytree(real_fixtures, copy)
    (case,) = [c for c in field_cases(copy) if c.other_files]
    folder = os.path.join(copy, case.dir, case.other_files[0]["path"])
    assert os.path.basename(os.path.dirname(folder)) == "_meta"
    assert os.path.dirname(os.path.dirname(folder)) == os.path.dirname(case.blob)  # beside <key>_meta
    problems, _ = lint.lint(copy)
    assert problems == []
    with open(folder, "ab") as f:
        f.write(b" ")
    with open(os.path.join(os.path.dirname(folder), "unlisted.json"), "wb") as f:
        f.write(b"{}")
    problems, _ = lint.lint(copy)
    assert any("other file" in p and "differs" in p for p in problems), problems
    assert any("stray file" in p and "unlisted.json" in p for p in problems), problems


@pytest.mark.parametrize("size", [3 * (1 << 20) + 17, 2])
def test_the_large_crc_generator_writes_intact_deflate_under_a_wrong_crc(tmp_path, size):
    info = field_crc.write(str(tmp_path), size)
    blob = open(info["blob"], "rb").read()
    assert info["blob"].endswith(os.path.join(info["key"][:2], info["key"]))
    assert open(info["meta"], "rb").read() == b'{"cas_raw": false, "cas_version": 1}'
    inflated = zlib.decompressobj(-zlib.MAX_WBITS).decompress(blob[10:])
    assert len(inflated) == size and hashlib.sha1(inflated).hexdigest() == info["key"]
    assert int.from_bytes(blob[-4:], "little") == size  # ISIZE right ...
    assert int.from_bytes(blob[-8:-4], "little") != zlib.crc32(inflated)  # ... CRC32 wrong
    with pytest.raises(gzip.BadGzipFile, match="CRC check failed"):
        gzip.decompress(blob)
    sidecar = open(info["meta"], "rb").read()
    for profile in metaflow_model.PROFILES:
        got = metaflow_model.read_outcome(blob, sidecar, profile, info["key"])
        want = info["expect"][profile]
        assert (got["outcome"], got["error"]) == (want["outcome"], want["error"]), profile
        assert got.get("detail") == want.get("exception", got.get("detail")), profile
    assert spec_reader.read(blob, sidecar, info["key"])[1:3] == ("corrupt", "checksum")


def test_the_large_crc_generator_is_a_command(tmp_path, capsys):
    assert field_crc.main([str(tmp_path), "--size", "1000"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["content_size"] == 1000 and os.path.exists(info["blob"])
