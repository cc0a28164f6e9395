"""conformance/examples/ are configs a reader of PROTOCOL.md copies: they must run as shown."""

import json
import os

from casconf import cli
from casconf.adapters import specreader
from tests.conftest import REPO

EXAMPLES = os.path.join(REPO, "conformance", "examples")


def test_the_spec_reader_example_is_the_built_in_config():
    with open(os.path.join(EXAMPLES, "spec-reader.json"), encoding="utf-8") as f:
        assert json.load(f) == specreader.CONFIG


def test_the_spec_reader_example_runs_through_the_protocol(synth_dir, capsys):
    # A --command config named like a built-in replaces it.
    rc = cli.main(["run", "--fixtures", synth_dir, "--command", os.path.join(EXAMPLES, "spec-reader.json"),
                   "--impl", "spec-reader", "--check", "read", "--quiet"])
    assert rc == 0, capsys.readouterr().out


def test_shell_example_adapter(synth_dir, repo, capsys, monkeypatch, casblob_cli):
    monkeypatch.setenv("CASBLOB_CLI", casblob_cli)
    config = os.path.join(EXAMPLES, "casblob-cli.json")
    rc = cli.main(["run", "--fixtures", synth_dir, "--impl", "casblob-sh", "--command", config,
                   "--profile", "strict", "legacy", "--json", os.devnull])
    text = capsys.readouterr().out
    assert rc == 0, text
    assert "write casblob-sh v2 (7)" in text
