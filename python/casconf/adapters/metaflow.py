"""``metaflow``: the real Metaflow: installed (``import metaflow`` works with this interpreter),
or a source folder given with ``casconf run --metaflow-src DIR``.

Reads each fixture with Metaflow's own ``ContentAddressedStore.load_blobs`` over its own
``LocalStorage``, rooted so that the case folder is the CAS prefix (a case folder *is* a
Metaflow local CAS prefix: ``<prefix>/<kk>/<key>`` + ``<key>_meta``). Profiles:

* ``legacy``  released Metaflow: ``_unpack_v2`` hidden (so ``cas_version: 2`` is unknown);
* ``v2``      PR #3090: ``_unpack_v2(f) = lz4.frame.decompress(f.read())``;
* ``v2-nolz4`` a v2-aware Metaflow whose lz4 import fails inside the decoder.

The PR's methods are added by subclassing ContentAddressedStore (the same as monkeypatching
the class, without touching the imported module). A ``DataException`` is the clean error,
classified from its message; anything else escaping ``load_blobs`` is ``unhandled``.
"""

from __future__ import annotations

import hashlib
import os

from casblob_fixtures.real_metaflow import cas_api
from metaflow_model import detail_from_message

from casconf.adapters.base import Adapter
from casconf.model import ReadRequest, Response


def _import(src: str | None):
    """(ContentAddressedStore, DataException, LocalStorage), or a one-line reason. Lazy: a run
    that does not ask for this adapter never imports Metaflow."""
    try:
        store, data_exception, local, _ = cas_api(src)
    except Exception as exc:  # ImportError, or a Metaflow that fails while importing
        return None, "%s: %s" % (type(exc).__name__, exc)
    return (store, data_exception, local), None


def classify_data_exception(message: str) -> Response:
    if message.startswith("Could not extract encoding version"):
        return Response.err("version_missing", message=message)
    if message.startswith("Unknown encoding version"):
        return Response.err("version_unsupported", message=message)
    if "No module named" in message:
        return Response.err("codec_unavailable", message=message)
    return Response.err("corrupt", detail_from_message(message), message)


def _store_classes(ContentAddressedStore):
    def unpack_v2(self, f):
        import lz4.frame  # PR #3090 imports it at module top; here it is certainly importable

        return lz4.frame.decompress(f.read())

    def unpack_v2_nolz4(self, f):
        raise ImportError("No module named 'lz4'")

    class Legacy(ContentAddressedStore):
        _unpack_v2 = None  # getattr(self, "_unpack_v2", None) is None -> unknown version

    class V2(ContentAddressedStore):
        _unpack_v2 = unpack_v2

    class V2NoLz4(ContentAddressedStore):
        _unpack_v2 = unpack_v2_nolz4

    return {"legacy": Legacy, "v2": V2, "v2-nolz4": V2NoLz4}


class MetaflowAdapter(Adapter):
    name = "metaflow"
    profiles = ("legacy", "v2", "v2-nolz4")

    def __init__(self, src: str | None = None):
        self.src = src
        self._api, self._why = None, None
        self._classes = None

    def unavailable(self):
        if self._api is None and self._why is None:
            self._api, self._why = _import(self.src)
        if self._why is not None:
            return "metaflow is not importable (%s)" % self._why
        return None

    def read(self, profile: str, requests: list[ReadRequest]) -> list[Response]:
        why = self.unavailable()
        if why is not None:
            return [Response.not_run(why) for _ in requests]
        store_cls, data_exception, local_storage = self._api
        if self._classes is None:
            self._classes = _store_classes(store_cls)
        cls = self._classes[profile]
        return [self._read_one(cls, data_exception, local_storage, r) for r in requests]

    @staticmethod
    def _read_one(cls, DataException, LocalStorage, req: ReadRequest) -> Response:
        key = os.path.basename(req.blob)
        prefix_dir = os.path.dirname(os.path.dirname(req.blob))
        if req.meta not in (None, req.blob + "_meta") or (req.meta is None and os.path.exists(req.blob + "_meta")):
            return Response.not_run("Metaflow only reads the sidecar <blob>_meta beside the blob")
        if not os.path.exists(req.blob):
            return Response.err("not_found", message=req.blob)
        storage = LocalStorage(os.path.dirname(prefix_dir))
        store = cls(os.path.basename(prefix_dir), storage)
        try:
            loaded = list(store.load_blobs([key]))
        except DataException as exc:
            return classify_data_exception(str(exc))
        except Exception as exc:  # escapes Metaflow as-is: not its clean error
            return Response.err("unhandled", type(exc).__name__, "%s: %s" % (type(exc).__name__, exc))
        if len(loaded) != 1:
            return Response.crash("load_blobs returned %d items" % len(loaded))
        return Response.ok(hashlib.sha1(loaded[0][1]).hexdigest())
