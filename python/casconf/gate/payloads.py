"""The payloads every tree writes (issue 14: empty, 1 byte, 64 KiB + 1, a pickled dict, a float64
array, 1 MiB random, text, and one of at least 8 MB): the write check's seven (casconf
checks/write.py) plus an 8 MiB artifact, half random, half a repeated float64 array."""

from __future__ import annotations

import random

from casconf.checks.write import payloads as write_check_payloads

BIG = 8 << 20


def _big() -> bytes:
    floats = dict(write_check_payloads())["float64_array"]   # 32 KiB of float64
    rng = random.Random(20260411)
    half = rng.randbytes(BIG // 2)
    return half + (floats * (BIG // 2 // len(floats) + 1))[:BIG // 2]


def default() -> list[tuple[str, bytes]]:
    return write_check_payloads() + [("mixed_8MiB", _big())]


def quick() -> list[tuple[str, bytes]]:
    """Without the two large ones: for tests and a fast look."""
    return [p for p in write_check_payloads() if p[0] != "random_1MB"]


SETS = {"default": default, "quick": quick}
