"""Implementations under test. One module per adapter, registered by name in ``BUILTIN``;
``build`` makes the requested set."""

from __future__ import annotations

import json
import os

from casconf.adapters.base import Adapter
from casconf.adapters.casblob import CasblobAdapter
from casconf.adapters.command import CommandAdapter, ConfigError
from casconf.adapters.metaflow import MetaflowAdapter, parse_tree
from casconf.adapters.python import PythonAdapter
from casconf.adapters.specreader import SpecReaderAdapter

# name -> factory(options). The defaults run in this order; a new built-in adapter is one
# more entry (and one more module in this folder).
BUILTIN = {
    "casblob": lambda o: CasblobAdapter(o["repo"], o.get("casblob_cli"), timeout=o.get("timeout")),
    "python": lambda o: PythonAdapter(timeout=o.get("timeout")),
    "spec-reader": lambda o: SpecReaderAdapter(o["repo"], timeout=o.get("timeout")),
    "metaflow": lambda o: MetaflowAdapter(path=o.get("metaflow_src"), timeout=o.get("timeout")),
}
DEFAULT_IMPLEMENTATIONS = tuple(BUILTIN)


def build(names, repo: str, casblob_cli: str | None = None, command_configs=(),
          timeout: float | None = None, metaflow_src: str | None = None, metaflow_trees=()) -> list[Adapter]:
    """Adapters for ``names`` (None = the defaults plus every --command config and every
    --metaflow tree), in that order. ``metaflow_trees``: ``NAME[:PROFILE]=PATH`` texts."""
    commands = {}
    for text in metaflow_trees:
        name, profile, path = parse_tree(text)
        if name in commands:
            raise ConfigError("--metaflow %s: given twice" % name)
        commands[name] = MetaflowAdapter(name, path, profile, timeout=timeout)
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
        defaults = [n for n in DEFAULT_IMPLEMENTATIONS if not (n == "metaflow" and metaflow_trees)]
        names = defaults + list(commands)
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
