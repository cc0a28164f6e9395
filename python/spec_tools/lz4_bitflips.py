"""Measures the numbers behind the spec's "v2 writer and reader recommendation" (section 8).

1. Silent corruption: every single-bit flip of a stored payload, decoded with the real
   reader (python-lz4 ``lz4.frame.decompress`` for v2, Python ``gzip`` for v1), classified as
   error (the reader raises), wrong bytes (returns other bytes without error) or same bytes.
2. Cost of the lz4 content checksum: compress/decompress time of an 8 MiB float64 payload
   (numpy, seeded) with python-lz4 defaults vs content_checksum=True (best of N runs).

  python3 -m spec_tools.lz4_bitflips [--payload-bytes N] [--repeat R]
Prints a Markdown block to paste into spec section 8 (numbers are machine dependent).
"""

from __future__ import annotations

import argparse
import gzip
import io
import pickle
import platform
import random
import time
import zlib

import lz4
import lz4.frame
import numpy as np


def payload(n: int) -> bytes:
    rnd = random.Random(3090)
    obj = {
        "rows": [{"id": i, "name": "item-%05d" % i, "score": rnd.random(), "tags": ["a", "b"][: i % 3]}
                 for i in range(n // 60)],
        "blob": bytes(rnd.randrange(16) for _ in range(n // 8)),
    }
    return pickle.dumps(obj, protocol=4)


def census(stored: bytes, decode, original: bytes) -> tuple[int, int, int]:
    err = wrong = same = 0
    buf = bytearray(stored)
    for i in range(len(buf)):
        for b in range(8):
            buf[i] ^= 1 << b
            try:
                out = decode(bytes(buf))
            except Exception:  # noqa: BLE001
                err += 1
            else:
                if out == original:
                    same += 1
                else:
                    wrong += 1
            buf[i] ^= 1 << b
    return err, wrong, same


def gunzip(b: bytes) -> bytes:
    with gzip.GzipFile(fileobj=io.BytesIO(b), mode="rb") as f:
        return f.read()


def best(fn, repeat: int) -> float:
    t = []
    for _ in range(repeat):
        s = time.perf_counter()
        fn()
        t.append(time.perf_counter() - s)
    return min(t)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--payload-bytes", type=int, default=24000)
    ap.add_argument("--repeat", type=int, default=15)
    a = ap.parse_args()
    data = payload(a.payload_bytes)
    print("Measured with Python %s, python-lz4 %s (liblz4 %s), zlib %s; payload: pickled "
          "dict, %d bytes; every single-bit flip of the stored bytes." % (
              platform.python_version(), lz4.__version__.split("+")[0],
              lz4.library_version_string(), zlib.ZLIB_RUNTIME_VERSION, len(data)))
    print()
    print("| stored form | stored bytes | bit flips | error | **wrong bytes** | same bytes |")
    print("|---|---|---|---|---|---|")
    forms = [
        ("v2, python-lz4 defaults (PR #3090)", lz4.frame.compress(data), lz4.frame.decompress),
        ("v2, content_checksum=True", lz4.frame.compress(data, content_checksum=True),
         lz4.frame.decompress),
        ("v2, block_checksum=True", lz4.frame.compress(data, block_checksum=True),
         lz4.frame.decompress),
        ("v1, gzip level 3 (released)", gzip.compress(data, 3, mtime=0), gunzip),
    ]
    for name, stored, dec in forms:
        assert dec(stored) == data
        e, w, s = census(stored, dec, data)
        n = e + w + s
        print("| %s | %d | %d | %d (%.2f%%) | %d (%.2f%%) | %d (%.2f%%) |" % (
            name, len(stored), n, e, 100.0 * e / n, w, 100.0 * w / n, s, 100.0 * s / n))
    print()
    rng = np.random.default_rng(3090)
    payloads = [
        ("8 MiB float64, standard normal (incompressible)", rng.standard_normal(1 << 20).tobytes()),
        ("8 MiB float64, prices rounded to cents (compressible)",
         np.round(100 + np.cumsum(rng.standard_normal(1 << 20)), 2).tobytes()),
    ]
    configs = (("lz4 defaults (PR #3090)", {}),
               ("lz4 content_checksum=True", {"content_checksum": True}),
               ("lz4 content+block checksums", {"content_checksum": True, "block_checksum": True}))
    print("Checksum cost, best of %d interleaved runs after a warm-up (single core, shared "
          "machine: differences under ~1 ms are noise):" % a.repeat)
    print()
    print("| payload | writer | stored bytes | compress ms | decompress ms |")
    print("|---|---|---|---|---|")
    for pname, big in payloads:
        comp = {name: lz4.frame.compress(big, **kw) for name, kw in configs}
        tc = {name: [] for name, _ in configs}
        td = {name: [] for name, _ in configs}
        for r in range(a.repeat + 1):
            for name, kw in configs:
                s = time.perf_counter()
                lz4.frame.compress(big, **kw)
                m = time.perf_counter()
                lz4.frame.decompress(comp[name])
                e = time.perf_counter()
                if r:  # run 0 is the warm-up
                    tc[name].append(m - s)
                    td[name].append(e - m)
        for name, _ in configs:
            print("| %s | %s | %d | %.1f | %.1f |" % (pname, name, len(comp[name]),
                                                        min(tc[name]) * 1e3, min(td[name]) * 1e3))
        gzc = gzip.compress(big, 3, mtime=0)
        tg = best(lambda: gzip.compress(big, 3, mtime=0), 2)
        tgd = best(lambda: gunzip(gzc), 2)
        print("| %s | gzip level 3 (v1, released) | %d | %.1f | %.1f |" % (
            pname, len(gzc), tg * 1e3, tgd * 1e3))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
