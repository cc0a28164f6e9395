"""Implementations under test. One module per adapter; ``build`` makes the requested set."""

from __future__ import annotations

import json
import os

from casconf.adapters.base import Adapter
from casconf.adapters.casblob import CasblobAdapter
from casconf.adapters.command import CommandAdapter, ConfigError
from casconf.adapters.metaflow import MetaflowAdapter
from casconf.adapters.python import PythonAdapter
from casconf.adapters.specreader import SpecReaderAdapter

DEFAULT_IMPLEMENTATIONS = ("casblob", "python", "spec-reader", "metaflow")


def build(names, repo: str, casblob_cli: str | None = None, command_configs=(),
          timeout: float | None = None) -> list[Adapter]:
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
    builtin = {
        "casblob": lambda: CasblobAdapter(repo, casblob_cli, timeout=timeout),
        "python": PythonAdapter,
        "spec-reader": lambda: SpecReaderAdapter(repo, timeout=timeout),
        "metaflow": MetaflowAdapter,
    }
    if not names:
        names = list(DEFAULT_IMPLEMENTATIONS) + list(commands)
    out = []
    for name in names:
        if name in commands:
            out.append(commands[name])
        elif name in builtin:
            out.append(builtin[name]())
        else:
            raise ConfigError("unknown implementation %r (known: %s)"
                              % (name, ", ".join(list(builtin) + list(commands))))
    return out
