"""Deterministic payloads: the bytes Metaflow artifacts serialise to (pickled dicts, numpy
float64 arrays, text) and random bytes, all from fixed seeds."""

from __future__ import annotations

import pickle
import random

KIB = 1024
MIB = 1024 * 1024


def small_dict() -> bytes:
    # Metaflow pickles artifacts with protocol 4.
    return pickle.dumps(
        {"alpha": 1, "beta": [1, 2, 3], "gamma": "metaflow", "delta": None, "epsilon": 2.5},
        protocol=4,
    )


def metrics_dict() -> bytes:
    rng = random.Random(20251126)
    loss = [round(2.5 * 0.93**i + rng.random() * 0.01, 6) for i in range(200)]
    acc = [round(1 - 0.8 * 0.95**i - rng.random() * 0.01, 6) for i in range(200)]
    return pickle.dumps(
        {
            "run_id": "1764115200123456",
            "epochs": 200,
            "loss": loss,
            "accuracy": acc,
            "learning_rate": 3e-4,
            "tags": ["baseline", "lz4-eval", "metrics"],
        },
        protocol=4,
    )


def float64_normal(n: int, seed: int = 7) -> bytes:
    import numpy as np

    return np.random.default_rng(seed).standard_normal(n).astype("<f8").tobytes()


def float64_smooth(n: int) -> bytes:
    import numpy as np

    # A slowly varying signal rounded to integers: a typical sensor/metric array, compressible.
    x = np.arange(n, dtype="<f8")
    return np.round(np.sin(x / 5000.0) * 100.0).astype("<f8").tobytes()


def random_bytes(n: int, seed: int = 1) -> bytes:
    return random.Random(seed).randbytes(n)


_WORDS = (
    "flow step artifact datastore metaflow blob key sidecar gzip lz4 frame block version "
    "train test split model metrics loss accuracy epoch batch card foreach join start end "
    "run task attempt retry resources cpu memory namespace user tag parameter"
).split()


def text(n: int, seed: int = 3) -> bytes:
    """Deterministic log-like UTF-8 text of exactly n bytes."""
    rng = random.Random(seed)
    out = []
    size = 0
    line_no = 0
    while size < n:
        line_no += 1
        words = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 12)))
        line = "2025-11-26 00:%02d:%02d [step %d] %s\n" % (
            (line_no // 60) % 60, line_no % 60, line_no % 17, words)
        out.append(line)
        size += len(line)
    return "".join(out).encode("utf-8")[:n]


def utf8_text() -> bytes:
    return ("Metaflow — naïve café, 東京, emoji 🚀, Ωmega\n" * 8).encode("utf-8")


# ---- gzip: the real writer and a byte-exact builder ----------------------------------------
