"""``spec-reader``: conformance/spec_reader.py, the strict reader written from spec/ alone,
driven through the command protocol with ``conformance/examples/spec-reader.json``."""

from __future__ import annotations

import json
import os

from casconf.adapters.command import CommandAdapter


def example_config(repo: str) -> str:
    return os.path.join(repo, "conformance", "examples", "spec-reader.json")


class SpecReaderAdapter(CommandAdapter):
    def __init__(self, repo: str, timeout: float | None = None):
        path = example_config(repo)
        with open(path, "rb") as f:
            config = json.load(f)
        super().__init__(config, repo=repo, config_dir=os.path.dirname(path), timeout=timeout)
