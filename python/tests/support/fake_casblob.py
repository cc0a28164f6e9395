"""A stand-in for build/bin/casblob (the subset casconf calls: decode --json, batch, encode),
for testing the casblob adapter without the C++ build: ``python3 python tests.support.fake_casblob``
(conftest.module_launcher). legacy/v2/v2-nolz4 answer with the Metaflow model, strict with the
spec reader."""

import argparse
import hashlib
import json
import sys

import metaflow_model
import spec_reader
from spec_reader import EXIT_CODES


def result(profile, blob_path, meta_path, key, max_size):
    blob = open(blob_path, "rb").read()
    sidecar = open(meta_path, "rb").read() if meta_path else None
    if profile == "strict":
        r = spec_reader.read(blob, sidecar, key, max_size or spec_reader.DEFAULT_MAX_SIZE)
        if r[0] == "ok":
            return {"ok": True, "sha1": hashlib.sha1(r[1]).hexdigest()}
        return {"ok": False, "error": r[1], "detail": r[2], "message": ""}
    try:
        data = metaflow_model.load_blob(blob, sidecar, profile)
    except metaflow_model.DataException as exc:
        return {"ok": False, "error": exc.error, "detail": exc.detail, "message": str(exc)}
    except Exception as exc:
        return {"ok": False, "error": "unhandled", "detail": metaflow_model.exception_name(exc), "message": str(exc)}
    return {"ok": True, "sha1": hashlib.sha1(data).hexdigest()}


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decode")
    d.add_argument("--profile", default="strict")
    d.add_argument("--key")
    d.add_argument("--meta")
    d.add_argument("--no-meta", action="store_true")
    d.add_argument("--max-size", type=int)
    d.add_argument("--json", action="store_true")
    d.add_argument("input")
    d.add_argument("output")
    sub.add_parser("batch")
    e = sub.add_parser("encode")
    e.add_argument("--version", type=int, required=True)
    e.add_argument("--raw", action="store_true")
    e.add_argument("--mtime", type=int, default=0)
    e.add_argument("input")
    e.add_argument("output")
    a = ap.parse_args()
    if a.cmd == "encode":
        key, stored, sidecar = metaflow_model.save_blob(open(a.input, "rb").read(), a.version, a.raw, a.mtime)
        open(a.output, "wb").write(stored)
        open(a.output + "_meta", "wb").write(sidecar)
        print(key)
        return 0
    if a.cmd == "decode":
        res = result(a.profile, a.input, None if a.no_meta else a.meta, a.key, a.max_size)
        print(json.dumps(res))
        return 0 if res["ok"] else EXIT_CODES[res["error"]]
    for line in sys.stdin:
        req = json.loads(line)
        res = result(req["profile"], req["blob"], req["meta"], req["key"], req["max_size"])
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
