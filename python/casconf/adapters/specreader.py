"""``spec-reader``: python/spec_reader, the strict reader written from spec/ alone, driven
through the command protocol (``python3 -m spec_reader batch``), as any outside implementation
would be. conformance/examples/spec-reader.json is the same config, for readers of PROTOCOL.md
(tests/test_examples.py keeps the two equal)."""

from __future__ import annotations

from casconf.adapters.command import CommandAdapter

CONFIG = {
    "name": "spec-reader",
    "description": "python/spec_reader (strict reader written from spec/ alone) through the command protocol",
    "profiles": ["strict"],
    "cwd": "{packages}",
    "decode": ["{python}", "-m", "spec_reader", "decode", "--json", "--profile", "{profile}",
               "--key", "{key}", "--max-size", "{max_size}", "--meta", "{meta}", "{blob}"],
    "no_meta": ["{python}", "-m", "spec_reader", "decode", "--json", "--profile", "{profile}",
                "--key", "{key}", "--max-size", "{max_size}", "--no-meta", "{blob}"],
    "batch": ["{python}", "-m", "spec_reader", "batch"],
    "timeout": 5,
}


class SpecReaderAdapter(CommandAdapter):
    def __init__(self, repo: str, timeout: float | None = None):
        super().__init__(CONFIG, repo=repo, timeout=timeout)
