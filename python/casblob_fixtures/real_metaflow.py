"""Importing the REAL Metaflow: installed, or from a source folder (e.g. ``git archive <commit>
metaflow | tar -x -C SRC`` of Netflix/metaflow), without touching ``sys.path``.

Metaflow's code is never committed here; only what it does is compared. Its local datastore
never uses ``requests``, but Metaflow imports it at start-up: when it is not installed, a stub
that fails on use stands in."""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import sys
import types


def _stub_requests() -> None:
    if "requests" in sys.modules or importlib.util.find_spec("requests") is not None:
        return  # the real one is there

    class _Any:
        def __init__(self, *a, **k):
            pass

        def __getattr__(self, n):
            return _Any()

        def __call__(self, *a, **k):
            return _Any()

    class _E(Exception):
        pass

    req = types.ModuleType("requests")
    ad = types.ModuleType("requests.adapters")
    ex = types.ModuleType("requests.exceptions")
    req.adapters, req.exceptions = ad, ex
    ad.HTTPAdapter = _Any
    req.Session = _Any
    for attr in ("ConnectionError", "HTTPError", "Timeout", "RequestException"):
        setattr(ex, attr, _E)
        setattr(req, attr, _E)
    sys.modules.update({"requests": req, "requests.adapters": ad, "requests.exceptions": ex})


def import_metaflow(src: str | None = None):
    """The ``metaflow`` package: from ``src`` (a folder holding it) when given, else the
    installed one. Raises ImportError (or what Metaflow raises while importing)."""
    _stub_requests()
    if src is None:
        return importlib.import_module("metaflow")
    loaded = sys.modules.get("metaflow")
    if loaded is not None:
        if os.path.dirname(os.path.dirname(os.path.abspath(loaded.__file__))) != os.path.abspath(src):
            raise ImportError("another metaflow is already imported from %s" % loaded.__file__)
        return loaded
    spec = importlib.machinery.PathFinder.find_spec("metaflow", [os.path.abspath(src)])
    if spec is None:
        raise ImportError("no metaflow package in %s" % src)
    module = importlib.util.module_from_spec(spec)
    sys.modules["metaflow"] = module  # submodules resolve through the package's own __path__
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules["metaflow"]
        raise
    return module


def cas_api(src: str | None = None):
    """(ContentAddressedStore, DataException, LocalStorage, MetaflowException) of that Metaflow."""
    import_metaflow(src)
    cas = importlib.import_module("metaflow.datastore.content_addressed_store")
    exceptions = importlib.import_module("metaflow.datastore.exceptions")
    local = importlib.import_module("metaflow.plugins.datastores.local_storage")
    base = importlib.import_module("metaflow.exception")
    return cas.ContentAddressedStore, exceptions.DataException, local.LocalStorage, base.MetaflowException
