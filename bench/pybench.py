"""The Python path, as Metaflow runs it (released v1, PR #3090's v2), timed in Python.

save = hashlib.sha1 of the artifact bytes + the pack function; load = the unpack function +
hashlib.sha1 compared with the key. The pack/unpack bodies are Metaflow's
(metaflow/datastore/content_addressed_store.py: _pack_v1/_unpack_v1, and _pack_v2/_unpack_v2
of PR #3090); v2-cc adds content_checksum=True, raw stores the bytes as they are.
bench/run times save/load from casblob_bench's embedded interpreter, in the same round-robin as
the C++ variants (bench/embedded_python.hpp). time_payload() is the fallback for a casblob_bench
built without libpython: time.perf_counter (and time.thread_time, CPU) around k back-to-back
calls (k calibrated so a sample lasts >= sample_s), warm-up rounds, medians over reps samples.
"""
import gzip
import time
from hashlib import sha1
from io import BytesIO

import lz4.frame


def _pack_v1(blob):
    buf = BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=3) as f:
        f.write(blob)
    buf.seek(0)
    return buf


def _unpack_v1(blob):
    with gzip.GzipFile(fileobj=BytesIO(blob), mode="rb") as f:
        return f.read()


def _pack_v2(blob):
    return BytesIO(lz4.frame.compress(blob))


def _unpack_v2(blob):
    return lz4.frame.decompress(blob)


def _pack_v2cc(blob):
    return BytesIO(lz4.frame.compress(blob, content_checksum=True))


def _pack_raw(blob):
    return BytesIO(blob)


def _unpack_raw(blob):
    return blob


CODECS = {
    "v1": (_pack_v1, _unpack_v1),
    "v2": (_pack_v2, _unpack_v2),
    "v2-cc": (_pack_v2cc, _unpack_v2),
    "raw": (_pack_raw, _unpack_raw),
}


def save(encoding, blob):
    key = sha1(blob).hexdigest()
    return key, CODECS[encoding][0](blob)


def load(encoding, stored, key):
    data = CODECS[encoding][1](stored)
    if sha1(data).hexdigest() != key:
        raise ValueError("key mismatch")
    return data


def _measure(fn, reps, warmup, sample_s):
    t0 = time.perf_counter()
    fn()
    one = max(time.perf_counter() - t0, 1e-7)
    k = max(1, int(sample_s / one))
    for _ in range(warmup * k):
        fn()
    samples, cpu = [], []
    for _ in range(reps):
        c = time.thread_time()
        t = time.perf_counter()
        for _ in range(k):
            fn()
        samples.append((time.perf_counter() - t) / k)
        cpu.append((time.thread_time() - c) / k)
    return _median(samples), _median(cpu)


def _median(v):
    v = sorted(v)
    m = len(v) // 2
    return v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2


def time_payload(name, blob, encodings=CODECS, reps=15, warmup=2, sample_s=0.02):
    """Returns one result per (encoding, op): payload, size, encoding, stored_size, op, median_s, mb_s."""
    out = []
    for enc in encodings:
        key, packed = save(enc, blob)
        stored = packed.getvalue()
        assert load(enc, stored, key) == blob
        for op, fn in (("save", lambda: save(enc, blob)), ("load", lambda: load(enc, stored, key))):
            med, cpu = _measure(fn, reps, warmup, sample_s)
            out.append({"payload": name, "size": len(blob), "encoding": enc, "stored_size": len(stored),
                        "op": op, "median_s": med, "mb_s": len(blob) / med / 1e6, "cpu_median_s": cpu})
    return out
