"""The child process: runs ONE Metaflow source tree's own datastore code, speaking JSON lines.

Started by ``metaflow_trees.process`` as ``PYTHON -m metaflow_trees.worker SPEC_JSON`` (one
interpreter per tree, so trees of different versions never share ``sys.modules``). SPEC_JSON:
``{"tree": PATH, "generation": Generation.to_json(), "hide": [MODULE...]}``.

It imports the tree's ``metaflow`` package from ``tree`` without touching ``sys.path`` (the
package's own ``__path__`` resolves its submodules), after

* hiding the modules named in ``hide`` (an import of them raises ModuleNotFoundError, as on a
  host without them: how "PR #3090 without lz4" is run);
* stubbing ``requests`` when it is missing: Metaflow imports it at start-up, the local
  datastore never calls it. Nothing else is stubbed (pre-2.4 trees need the real ``click``).

Then one line per message on the original stdout (the tree's own prints go to stderr):

  hello   {"hello": 1, "python": "3.11.2", "stubbed": [...], "hidden": [...],
           "import_error": null | {"type": ..., "message": ...}}
  read    {"op": "read", "root": DIR, "prefix": P, "keys": [K...]}
          -> one line per key, in order: {"key": K, "kind": "bytes", "sha1": ..., "size": N,
             "seconds": S} | {"key": K, "kind": "clean_error" | "unhandled", "type": CLASS,
             "message": STR, "seconds": S}; then {"done": true}
  write   {"op": "write", "root": DIR, "prefix": P, "payloads": [FILE...], "raw": BOOL}
          -> {"keys": [K...], "seconds": S} | {"error": {"type", "message"}, "unsupported": BOOL}

A read's ``kind`` is ``clean_error`` when the tree raised its own ``DataException`` and
``unhandled`` for anything else escaping its read path; a tree that failed to import answers
every key ``unhandled`` with the import error (that is what a task on that host sees).

The CAS prefix ``P`` under the storage root ``DIR`` is where blobs live as ``P/<kk>/<key>``
(+ ``<key>_meta``). A pre-CAS tree keeps them at ``<root>/<flow>/data/<kk>/<key>``; its
``LocalDataStore`` is pointed at ``DIR/P`` as its ``data_root``, the same layout.

Kept to the standard library and plain Python 3 (it runs under whichever interpreter the tree
needs)."""

import hashlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import time
import types

FLOW = "GateFlow"  # the flow name pre-CAS datastores are opened with (any identifier would do)


class _Hide(importlib.abc.MetaPathFinder):
    def __init__(self, names):
        self.names = set(names)

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in self.names:
            raise ModuleNotFoundError("No module named %r" % fullname, name=fullname)
        return None


def _stub_requests():
    """A ``requests`` whose every use fails, when the real one is missing. Returns the stub names."""
    try:
        if importlib.util.find_spec("requests") is not None:
            return []
    except ImportError:  # hidden (``hide``): stubbed like a missing one
        pass

    class Unavailable(Exception):
        pass

    class Anything(object):
        def __init__(self, *args, **kwargs):
            pass

        def __getattr__(self, name):
            raise Unavailable("requests is stubbed: the local datastore never uses it")

    req = types.ModuleType("requests")
    adapters = types.ModuleType("requests.adapters")
    exceptions = types.ModuleType("requests.exceptions")
    req.adapters, req.exceptions = adapters, exceptions
    req.Session = adapters.HTTPAdapter = Anything
    for name in ("RequestException", "ConnectionError", "HTTPError", "Timeout"):
        setattr(req, name, Unavailable)
        setattr(exceptions, name, Unavailable)
    sys.modules.update({"requests": req, "requests.adapters": adapters, "requests.exceptions": exceptions})
    return ["requests"]


def _import_metaflow(tree):
    spec = importlib.machinery.PathFinder.find_spec("metaflow", [tree])
    if spec is None:
        raise ImportError("no metaflow package in %s" % tree)
    module = importlib.util.module_from_spec(spec)
    sys.modules["metaflow"] = module
    spec.loader.exec_module(module)
    return module


class Tree(object):
    """The tree's datastore classes, per generation."""

    def __init__(self, tree, generation):
        self.generation = generation
        _import_metaflow(tree)
        self.DataException = importlib.import_module(generation["exception_module"]).DataException
        store = importlib.import_module(generation["store_module"])
        if generation["name"] == "pre-cas":
            self.LocalDataStore = store.LocalDataStore
            self.TransformableObject = importlib.import_module("metaflow.datastore.datastore").TransformableObject
        else:
            self.ContentAddressedStore = store.ContentAddressedStore
            self.LocalStorage = importlib.import_module(generation["storage_module"]).LocalStorage

    def _pre_cas_store(self, root, prefix, mode):
        # Metaflow's own set-up: the class-level datastore root, then a datastore per flow.
        self.LocalDataStore.datastore_root = root
        ds = self.LocalDataStore(FLOW, mode=mode)
        ds.data_root = os.path.join(root, prefix)  # = <root>/<flow>/data in a real datastore
        return ds

    def load(self, root, prefix, key):
        if self.generation["name"] == "pre-cas":
            return self._pre_cas_store(root, prefix, "d").load_data(key)
        store = self.ContentAddressedStore(prefix, self.LocalStorage(root))
        loaded = list(store.load_blobs([key]))
        if len(loaded) != 1:
            raise RuntimeError("load_blobs returned %d items for one key" % len(loaded))
        return loaded[0][1]

    def save(self, root, prefix, blobs, raw):
        if self.generation["name"] == "pre-cas":
            ds = self._pre_cas_store(root, prefix, "w")
            keys = []
            for blob in blobs:
                key = hashlib.sha1(blob).hexdigest()  # as MetaflowDataStore._save_object names it
                ds.save_data(key, self.TransformableObject(blob))
                keys.append(key)
            return keys
        store = self.ContentAddressedStore(prefix, self.LocalStorage(root))
        return [r.key for r in store.save_blobs(iter(blobs), raw=raw, len_hint=len(blobs))]


def _failure(exc):
    # A class called just "error" (zlib's, binascii's) is named with its module: "zlib.error".
    name = type(exc).__name__
    if name == "error":
        name = "%s.%s" % (type(exc).__module__, name)
    return {"type": name, "message": str(exc)}


class Worker(object):
    def __init__(self, spec):
        self.spec = spec
        self.tree = None
        self.import_error = None

    def start(self):
        hidden = list(self.spec.get("hide") or [])
        if hidden:
            sys.meta_path.insert(0, _Hide(hidden))
        stubbed = _stub_requests()
        try:
            self.tree = Tree(os.path.abspath(self.spec["tree"]), self.spec["generation"])
        except Exception as exc:  # the tree does not import here: every read reports it
            self.import_error = _failure(exc)
        return {"hello": 1, "python": "%d.%d.%d" % sys.version_info[:3], "stubbed": stubbed,
                "hidden": hidden, "import_error": self.import_error}

    def read(self, req, emit):
        for key in req["keys"]:
            t0 = time.perf_counter()
            if self.tree is None:
                out = dict(self.import_error, kind="unhandled")
            else:
                try:
                    blob = self.tree.load(req["root"], req["prefix"], key)
                    out = {"kind": "bytes", "sha1": hashlib.sha1(blob).hexdigest(), "size": len(blob)}
                except self.tree.DataException as exc:
                    out = dict(_failure(exc), kind="clean_error")
                except Exception as exc:  # escapes the tree's read path as-is: not its clean error
                    out = dict(_failure(exc), kind="unhandled")
            out.update(key=key, seconds=round(time.perf_counter() - t0, 6))
            emit(out)
        emit({"done": True})

    def write(self, req):
        if self.tree is None:
            return {"error": self.import_error, "unsupported": False}
        if req["raw"] and self.generation_name() == "pre-cas":
            return {"error": {"type": "Unsupported", "message": "a pre-CAS datastore has no raw blobs"},
                    "unsupported": True}
        blobs = []
        for path in req["payloads"]:
            with open(path, "rb") as f:
                blobs.append(f.read())
        t0 = time.perf_counter()
        try:
            keys = self.tree.save(req["root"], req["prefix"], blobs, bool(req["raw"]))
        except Exception as exc:
            return {"error": _failure(exc), "unsupported": False}
        return {"keys": keys, "seconds": round(time.perf_counter() - t0, 6)}

    def generation_name(self):
        return self.spec["generation"]["name"]


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    spec = json.loads(argv[0])
    # The protocol owns the original stdout; whatever the tree prints goes to stderr.
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def emit(doc):
        proto.write(json.dumps(doc) + "\n")
        proto.flush()

    worker = Worker(spec)
    emit(worker.start())
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        if req.get("op") == "read":
            worker.read(req, emit)
        elif req.get("op") == "write":
            emit(worker.write(req))
        else:
            emit({"error": {"type": "ProtocolError", "message": "unknown op %r" % req.get("op")}})
    return 0


if __name__ == "__main__":
    sys.exit(main())
