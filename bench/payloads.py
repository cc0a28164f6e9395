#!/usr/bin/python3
"""The benchmark payloads, generated deterministically (fixed seeds, pickle protocol 4).

Every payload is what Metaflow stores for an artifact: ``pickle.dumps(obj, protocol=4)``
(Metaflow's TaskDataStore pickles every artifact with protocol 4). They mirror the case study
of Metaflow PR #3090:

  empty          an empty artifact (0 B): the per-blob cost alone
  small_dict     a pickled dict of hyper-parameters              ~233 B
  small_4k       a pickled list of 453 floats                    ~4 KiB
  metrics_dict   a pickled dict of per-step metric lists         ~52 KB
  float64_800k   numpy float64, 100 000 values (smooth random walk, like weights/measurements)
  float64_8m     numpy float64, 1 000 000 values
  random_5m      5 000 000 random bytes (a pickled bytes object)
  text_1m        ~1 MB of log text (a pickled str), not in the case study

The bytes depend only on the seeds and on numpy's PCG64 and pickle, so the C++ harness and the
Python path time the very same files (written by ``write_payloads``).
"""
import hashlib
import json
import os
import pickle
import random

import numpy as np

PROTOCOL = 4

# Case study (Metaflow PR #3090, Azure D2s_v5, Python 3.12): save+load milliseconds.
CASE_STUDY = {
    "small_dict": {"label": "233 B pickled dict", "gzip_ms": 0.341, "lz4_ms": 0.218},
    "metrics_dict": {"label": "52 KB metrics dict", "gzip_ms": 2.278, "lz4_ms": 0.327},
    "float64_800k": {"label": "800 KB float64", "gzip_ms": 29.1, "lz4_ms": 1.56},
    "float64_8m": {"label": "8 MB float64", "gzip_ms": 289.0, "lz4_ms": 15.8},
    "random_5m": {"label": "5 MB random", "gzip_ms": 118.0, "lz4_ms": 9.65},
}

ORDER = ["empty", "small_dict", "small_4k", "metrics_dict", "float64_800k", "float64_8m", "random_5m", "text_1m"]


def empty():
    return b""


def small_dict():
    obj = {
        "learning_rate": 0.001,
        "batch_size": 64,
        "epochs": 20,
        "optimizer": "adam",
        "layers": [256, 128, 64],
        "dropout": 0.2,
        "activation": "relu",
        "weight_decay": 1e-05,
        "seed": 7,
        "model": "mlp-clf",
        "dataset": "s3://bucket/train.parquet",
    }
    return pickle.dumps(obj, protocol=PROTOCOL)


def small_4k():
    rnd = random.Random(4)
    return pickle.dumps([rnd.random() for _ in range(453)], protocol=PROTOCOL)


def metrics_dict():
    rnd = random.Random(52)
    n = 1340
    loss, val, acc, lr = [], [], [], []
    for i in range(n):
        t = i / n
        loss.append(2.3 * (1 - t) ** 3 + 0.05 + rnd.gauss(0, 0.01))
        val.append(2.4 * (1 - t) ** 2.5 + 0.08 + rnd.gauss(0, 0.015))
        acc.append(min(1.0, 0.1 + 0.88 * (1 - (1 - t) ** 4) + rnd.gauss(0, 0.005)))
        lr.append(0.001 * 0.5 ** (i // 300))
    obj = {"step": list(range(n)), "train_loss": loss, "val_loss": val, "accuracy": acc, "lr": lr}
    return pickle.dumps(obj, protocol=PROTOCOL)


def random_walk(n, seed):
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.normal(0.0, 0.01, n)) + 1.0


def float64_800k():
    return pickle.dumps(random_walk(100_000, 800), protocol=PROTOCOL)


def float64_8m():
    return pickle.dumps(random_walk(1_000_000, 8000), protocol=PROTOCOL)


def random_5m():
    return pickle.dumps(np.random.default_rng(5).bytes(5_000_000), protocol=PROTOCOL)


def text_1m():
    rnd = random.Random(1000)
    levels = ["INFO"] * 8 + ["DEBUG"] * 3 + ["WARNING"]
    words = ("epoch step loss accuracy checkpoint saved loaded batch gradient norm clipped "
             "learning rate scheduler warmup validation dataset shard worker queue").split()
    lines, size, step = [], 0, 0
    while size < 1_000_000:
        step += 1
        msg = " ".join(rnd.choice(words) for _ in range(rnd.randint(3, 9)))
        line = (f"2024-05-{1 + step // 40000:02d}T{(step // 3600) % 24:02d}:{(step // 60) % 60:02d}:"
                f"{step % 60:02d}.{rnd.randint(0, 999):03d}Z {rnd.choice(levels):7s} "
                f"worker-{rnd.randint(0, 7)} step={step} loss={rnd.uniform(0.01, 2.5):.4f} {msg}\n")
        lines.append(line)
        size += len(line)
    return pickle.dumps("".join(lines), protocol=PROTOCOL)


GENERATORS = {name: globals()[name] for name in ORDER}


def write_payloads(directory, names=ORDER):
    """Writes <name>.bin for each payload and payloads.json; returns the manifest."""
    os.makedirs(directory, exist_ok=True)
    manifest = []
    for name in names:
        data = GENERATORS[name]()
        path = os.path.join(directory, name + ".bin")
        with open(path, "wb") as f:
            f.write(data)
        manifest.append({"name": name, "file": path, "size": len(data),
                         "sha1": hashlib.sha1(data).hexdigest()})
    with open(os.path.join(directory, "payloads.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    return manifest


if __name__ == "__main__":
    import sys
    for p in write_payloads(sys.argv[1] if len(sys.argv) > 1 else "/tmp/casblob-payloads"):
        print(f"{p['name']:14s} {p['size']:>10d} {p['sha1']}")
