"""``casblob``: the reference CLI (build/bin/casblob), all four profiles, through the command
protocol with its native ``batch`` mode: one process per profile for the whole matrix."""

from __future__ import annotations

import os
import shutil

from casconf.adapters.command import CommandAdapter
from casconf.model import PROFILES


def default_cli(repo: str) -> str:
    """$CASBLOB_CLI, else the checkout's build/bin/casblob, else a ``casblob`` on PATH."""
    built = os.path.join(repo, "build", "bin", "casblob")
    if os.environ.get("CASBLOB_CLI"):
        return os.environ["CASBLOB_CLI"]
    if os.access(built, os.X_OK):
        return built
    return shutil.which("casblob") or built


def casblob_config(cli: str) -> dict:
    decode = [cli, "decode", "--profile", "{profile}", "--key", "{key}", "--max-size", "{max_size}",
              "--json"]
    return {
        "name": "casblob",
        "profiles": list(PROFILES),
        "decode": decode + ["--meta", "{meta}", "{blob}", "{out}"],
        "no_meta": decode + ["--no-meta", "{blob}", "{out}"],
        "batch": [cli, "batch"],
        "encode": [cli, "encode", "--version", "{version}", "--mtime", "0", "{in}", "{out}"],
        "encode_raw": [cli, "encode", "--version", "{version}", "--raw", "--mtime", "0", "{in}", "{out}"],
    }


class CasblobAdapter(CommandAdapter):
    def __init__(self, repo: str, cli: str | None = None, timeout: float | None = None):
        self.cli = os.path.abspath(cli or default_cli(repo))
        super().__init__(casblob_config(self.cli), repo=repo, timeout=timeout)

    def unavailable(self):
        if not os.access(self.cli, os.X_OK):
            return "%s not built (scripts/build, or --casblob PATH / CASBLOB_CLI)" % self.cli
        return None
