"""``python``: the Metaflow model (python/metaflow_model), the published Metaflow read/write
path on the real gzip/json/lz4 modules.

In-process. Profiles legacy, v2, v2-nolz4 (what released Metaflow and PR #3090 do); writes
v1 (gzip level 3) and v2 (lz4.frame defaults) exactly as Metaflow does, raw included.
"""

from __future__ import annotations

import metaflow_model

from casconf.adapters.base import Adapter, call_with_timeout, io_response, load_inputs
from casconf.model import ReadRequest, Response


DEFAULT_TIMEOUT = 5.0  # seconds per case, as for command adapters


class PythonAdapter(Adapter):
    name = "python"
    profiles = metaflow_model.PROFILES
    write_versions = (1, 2)
    writes_raw = True

    def __init__(self, timeout: float | None = None):
        self.timeout = float(timeout or DEFAULT_TIMEOUT)

    def read(self, profile: str, requests: list[ReadRequest]) -> list[Response]:
        return [self._read_one(profile, r) for r in requests]

    def _read_one(self, profile: str, req: ReadRequest) -> Response:
        try:
            blob, sidecar = load_inputs(req)
        except OSError as exc:
            return io_response(exc)
        try:
            out = call_with_timeout(lambda: metaflow_model.read_outcome(blob, sidecar, profile, req.key or ""),
                                    self.timeout)
        except TimeoutError as exc:
            return Response.timeout(str(exc))
        if out["outcome"] == "ok":
            return Response.ok(req.key)
        if out["outcome"] == "wrong_bytes":
            return Response.ok(out["sha1"])
        return Response.err(out["error"], out.get("detail"), out.get("message"))

    def encode(self, payload: bytes, version: int, raw: bool, workdir: str):
        _key, stored, sidecar = metaflow_model.save_blob(payload, version, raw=raw, mtime=0)
        return stored, sidecar
