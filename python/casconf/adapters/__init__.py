"""Implementations under test. One module per adapter, registered by name in ``BUILTIN``;
``build`` makes the requested set."""

from __future__ import annotations

import json
import os

from casconf.adapters.base import Adapter
from casconf.adapters.casblob import CasblobAdapter
from casconf.adapters.command import CommandAdapter, ConfigError
from casconf.adapters.metaflow import MetaflowAdapter
from casconf.adapters.python import PythonAdapter
from casconf.adapters.specreader import SpecReaderAdapter

# name -> factory(options). The defaults run in this order; a new built-in adapter is one
# more entry (and one more module in this folder).
BUILTIN = {
    "casblob": lambda o: CasblobAdapter(o["repo"], o.get("casblob_cli"), timeout=o.get("timeout")),
    "python": lambda o: PythonAdapter(timeout=o.get("timeout")),
    "spec-reader": lambda o: SpecReaderAdapter(o["repo"], timeout=o.get("timeout")),
    "metaflow": lambda o: MetaflowAdapter(o.get("metaflow_src")),
}
DEFAULT_IMPLEMENTATIONS = tuple(BUILTIN)


def build(names, repo: str, casblob_cli: str | None = None, command_configs=(),
          timeout: float | None = None, metaflow_src: str | None = None) -> list[Adapter]:
    """Adapters for ``names`` (None = the defaults plus every --command config), in that order."""
    commands = {}
    for path in command_configs:
        with open(path, "rb") as f:
            try:
                config = json.load(f)
            except ValueError as exc:
                raise ConfigError("%s: not JSON: %s" % (path, exc)) from None
        adapter = CommandAdapter(config, repo=repo, config_dir=os.path.dirname(os.path.abspath(path)),
                                 timeout=timeout)
        commands[adapter.name] = adapter
    options = {"repo": repo, "casblob_cli": casblob_cli, "timeout": timeout, "metaflow_src": metaflow_src}
    if not names:
        names = list(DEFAULT_IMPLEMENTATIONS) + list(commands)
    out = []
    for name in names:
        if name in commands:
            out.append(commands[name])
        elif name in BUILTIN:
            out.append(BUILTIN[name](options))
        else:
            raise ConfigError("unknown implementation %r (known: %s)"
                              % (name, ", ".join(list(BUILTIN) + list(commands))))
    return out
