#!/usr/bin/python3
"""Python's own read path over a Metaflow local datastore, for bench/audit/run: for every blob,
what Metaflow's LocalStorage.load_bytes and ContentAddressedStore.load_blobs do (the sidecar
with json.load, then raw / gzip.GzipFile(...).read() / lz4.frame.decompress), plus
hashlib.sha1 of the result compared with the key (what an audit must add).

  python_scan.py ROOT [--jobs N] [--flow F]... [--metaflow DIR]

--metaflow DIR runs Metaflow's real ContentAddressedStore.load_blobs from the source tree DIR
instead of the same steps written out here. Prints one JSON object.
"""
import argparse
import gzip
import hashlib
import json
import multiprocessing
import os
import sys
import time

import lz4.frame


def scan_dir(args):
    root, flow, kk, metaflow = args
    d = os.path.join(root, flow, "data", kk)
    keys = [n for n in os.listdir(d) if len(n) == 40]
    blobs = stored = content = wrong = 0
    if metaflow:
        from metaflow.datastore.content_addressed_store import ContentAddressedStore
        from metaflow.plugins.datastores.local_storage import LocalStorage
        cas = ContentAddressedStore(flow + "/data", LocalStorage(root))
        for key, blob in cas.load_blobs(keys):
            blobs += 1
            content += len(blob)
            wrong += hashlib.sha1(blob).hexdigest() != key
        stored = sum(os.path.getsize(os.path.join(d, k)) for k in keys)
        return blobs, stored, content, wrong
    for key in keys:
        path = os.path.join(d, key)
        meta = None
        if os.path.exists(path + "_meta"):
            with open(path + "_meta", "r") as f:
                meta = json.load(f)
        with open(path, "rb") as f:
            if meta and meta.get("cas_raw", False):
                blob = f.read()
            elif meta is None or meta.get("cas_version", -1) == 1:
                with gzip.GzipFile(fileobj=f, mode="rb") as g:
                    blob = g.read()
            else:
                blob = lz4.frame.decompress(f.read())
            stored += f.tell() if meta and meta.get("cas_raw", False) else os.fstat(f.fileno()).st_size
        blobs += 1
        content += len(blob)
        wrong += hashlib.sha1(blob).hexdigest() != key
    return blobs, stored, content, wrong


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--flow", action="append", default=[])
    ap.add_argument("--metaflow")
    a = ap.parse_args()
    if a.metaflow:
        sys.path.insert(0, a.metaflow)
    t0 = time.perf_counter()
    flows = a.flow or sorted(f for f in os.listdir(a.root) if os.path.isdir(os.path.join(a.root, f, "data")))
    work = [(a.root, f, kk, a.metaflow) for f in flows for kk in sorted(os.listdir(os.path.join(a.root, f, "data")))]
    if a.jobs > 1:
        with multiprocessing.Pool(a.jobs) as pool:
            parts = pool.map(scan_dir, work, chunksize=4)
    else:
        parts = [scan_dir(w) for w in work]
    totals = [sum(p[i] for p in parts) for i in range(4)]
    print(json.dumps({"blobs": totals[0], "stored_bytes": totals[1], "content_bytes": totals[2], "wrong": totals[3],
                      "seconds": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
