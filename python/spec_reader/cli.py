"""The spec reader as a command-protocol implementation (conformance/PROTOCOL.md):

  python3 -m spec_reader decode --json [--meta FILE | --no-meta] [--key K] [--max-size N] IN
  python3 -m spec_reader batch        (JSON lines {"blob","meta","profile","key","max_size"} on stdin)

It claims the ``strict`` profile only; any other profile is a ``usage`` error."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import stat
import sys

from spec_reader.errors import EXIT_CODES
from spec_reader.output import DEFAULT_MAX_SIZE
from spec_reader.reader import KEY_RE, read


# Inputs are untrusted too (spec R-SEC-6): regular files only, opened so that a FIFO cannot
# block, and bounded, so that /dev/zero or a huge stray file cannot exhaust memory.
MAX_INPUT_BYTES = 1 << 30


def read_regular(path: str) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_INPUT_BYTES:
            raise OSError("not a regular file of at most %d bytes: %s" % (MAX_INPUT_BYTES, path))
        data = bytearray()
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return bytes(data)
            data += chunk
            if len(data) > MAX_INPUT_BYTES:
                raise OSError("grew past %d bytes while read: %s" % (MAX_INPUT_BYTES, path))
    finally:
        os.close(fd)


def result(blob_path: str, meta_path: str | None, key: str | None, max_size: int | None) -> dict:
    """One protocol reply for one blob on disk (a missing sidecar file is no sidecar)."""
    try:
        blob = read_regular(blob_path)
    except FileNotFoundError:
        return {"ok": False, "error": "not_found", "detail": None}
    except OSError:
        return {"ok": False, "error": "io_error", "detail": None}
    sidecar = None
    if meta_path is not None:
        try:
            sidecar = read_regular(meta_path)
        except FileNotFoundError:
            sidecar = None
        except OSError:
            return {"ok": False, "error": "io_error", "detail": None}
    r = read(blob, sidecar, key, DEFAULT_MAX_SIZE if max_size is None else max_size)
    if r[0] == "ok":
        return {"ok": True, "sha1": hashlib.sha1(r[1]).hexdigest(), "decoded_size": len(r[1])}
    return {"ok": False, "error": r[1], "detail": r[2]}


USAGE_REPLY = {"ok": False, "error": "usage", "detail": None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="spec_reader", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decode")
    d.add_argument("--json", action="store_true")
    d.add_argument("--profile", default="strict")
    g = d.add_mutually_exclusive_group()
    g.add_argument("--meta")
    g.add_argument("--no-meta", action="store_true")
    d.add_argument("--key")
    d.add_argument("--max-size", type=int)
    d.add_argument("input")
    d.add_argument("output", nargs="?")
    sub.add_parser("batch")
    a = ap.parse_args(argv)
    if a.cmd == "decode":
        if a.profile != "strict":
            print(json.dumps(USAGE_REPLY))
            return EXIT_CODES["usage"]
        meta = a.meta
        if meta is None and not a.no_meta and os.path.exists(a.input + "_meta"):
            meta = a.input + "_meta"
        key = a.key
        if key is None and KEY_RE.match(os.path.basename(a.input)):
            key = os.path.basename(a.input)
        res = result(a.input, meta, key, a.max_size)
        print(json.dumps(res))
        return 0 if res["ok"] else EXIT_CODES[res["error"]]
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        if req.get("profile") not in (None, "strict"):
            res = USAGE_REPLY
        else:
            res = result(req["blob"], req.get("meta"), req.get("key"), req.get("max_size"))
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()
    return 0
