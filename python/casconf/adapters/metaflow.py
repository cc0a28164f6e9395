"""Real Metaflow source trees, each run as it is: ``casconf run --metaflow NAME[:PROFILE]=PATH``
(repeatable; PATH holds the tree's ``metaflow`` package, as ``git archive REV metaflow``
extracts it). Without one, the implementation ``metaflow`` is the Metaflow installed for this
interpreter, if any.

Each tree is one implementation claiming one profile: the one given after NAME, or the one its
generation should match, read from its code (metaflow_trees): a pre-CAS tree (2.0-2.3)
``pre-cas``, a CAS-era tree ``legacy``, a tree whose ContentAddressedStore has ``_unpack_v2``
``v2``. Nothing is emulated: the tree reads with its own code in its own process, a CAS-era tree
through ``ContentAddressedStore.load_blobs`` over its ``LocalStorage`` (the case folder is the
CAS prefix), a pre-CAS tree through ``LocalDataStore.load_data`` (the case folder is its data
root). Its ``DataException`` is the clean error, named from its message; anything else escaping
is ``unhandled``, with its class. A tree whose datastore does not import here (PR #3090 without
lz4) is run all the same: every read is that import error.
"""

from __future__ import annotations

import importlib.util
import os
import threading

from casblob_fixtures.verify_metaflow import outcome
from metaflow_trees import TreeError, TreeProcess, TreeProcessError, from_path

from casconf.adapters.base import Adapter
from casconf.adapters.command import ConfigError
from casconf.model import PROFILES, ReadRequest, Response


def parse_tree(text: str) -> tuple[str, str | None, str]:
    """``NAME[:PROFILE]=PATH`` -> (name, profile or None, path)."""
    head, sep, path = text.partition("=")
    name, _, profile = head.partition(":")
    if not sep or not name or not path:
        raise ConfigError("--metaflow wants NAME[:PROFILE]=PATH, not %r" % text)
    if profile and profile not in PROFILES:
        raise ConfigError("--metaflow %s: unknown profile %r (known: %s)" % (name, profile, ", ".join(PROFILES)))
    return name, profile or None, path


def installed_tree() -> str | None:
    """The folder holding the installed ``metaflow`` package, found without importing it."""
    try:
        spec = importlib.util.find_spec("metaflow")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.dirname(list(spec.submodule_search_locations)[0])


def _response(result) -> Response:
    got = outcome(result)
    if result.kind == "bytes":
        return Response.ok(result.sha1)
    if got["error"] == "unhandled":
        return Response.err("unhandled", got["exception"], "%s: %s" % (got["exception"], got["message"]))
    return Response.err(got["error"], got.get("detail"), got["message"])


class MetaflowAdapter(Adapter):
    """One Metaflow source tree (``path``), or the installed Metaflow (``path`` None)."""

    def __init__(self, name: str = "metaflow", path: str | None = None, profile: str | None = None,
                 python: str | None = None, timeout: float | None = None):
        self.name = name
        self.path = path
        self.declared = profile
        self.python = python
        self.timeout = timeout or 60.0
        self._tree, self._why = None, None
        self._lock = threading.Lock()
        self._probe()

    def _probe(self) -> None:
        path = self.path or installed_tree()
        if path is None:
            self._why = "metaflow is not installed for this interpreter (give --metaflow NAME=PATH)"
            return
        try:
            self._tree = from_path(self.name, path)
        except TreeError as exc:
            self._why = str(exc)

    @property
    def profiles(self) -> tuple[str, ...]:
        if self.declared:
            return (self.declared,)
        return (self._tree.generation.profile,) if self._tree else ("legacy",)

    def unavailable(self):
        return self._why

    def describe(self) -> str:
        return self._tree.generation.describe() if self._tree else self._why

    def read(self, profile: str, requests: list[ReadRequest]) -> list[Response]:
        if self._why is not None:
            return [Response.not_run(self._why) for _ in requests]
        try:
            with self._lock, TreeProcess(self._tree.path, self._tree.generation, python=self.python,
                                         timeout=self.timeout, label=self.name) as proc:
                return [self._read_one(proc, r) for r in requests]
        except TreeProcessError as exc:
            return [Response.crash(str(exc)) for _ in requests]

    @staticmethod
    def _read_one(proc: TreeProcess, req: ReadRequest) -> Response:
        key = os.path.basename(req.blob)
        prefix_dir = os.path.dirname(os.path.dirname(req.blob))
        if req.meta not in (None, req.blob + "_meta") or (req.meta is None and os.path.exists(req.blob + "_meta")):
            return Response.not_run("Metaflow only reads the sidecar <blob>_meta beside the blob")
        if not os.path.exists(req.blob):
            return Response.err("not_found", message=req.blob)
        (result,) = proc.read(os.path.dirname(prefix_dir), os.path.basename(prefix_dir), [key])
        return _response(result)
