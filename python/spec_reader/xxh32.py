"""XXH32 (the xxHash specification, 32-bit variant): the lz4 frame's header, block and content
checksums (spec 5.4)."""

from __future__ import annotations

import struct

P1, P2, P3, P4, P5 = 2654435761, 2246822519, 3266489917, 668265263, 374761393
M32 = 0xFFFFFFFF


def xxh32(data, seed: int = 0) -> int:
    n = len(data)
    mv = memoryview(data)
    i = 0
    if n >= 16:
        v1 = (seed + P1 + P2) & M32
        v2 = (seed + P2) & M32
        v3 = seed & M32
        v4 = (seed - P1) & M32
        stop = n - (n % 16)
        for a, b, c, d in struct.iter_unpack("<4I", mv[:stop]):
            v1 = (v1 + a * P2) & M32
            v1 = (((v1 << 13) | (v1 >> 19)) & M32) * P1 & M32
            v2 = (v2 + b * P2) & M32
            v2 = (((v2 << 13) | (v2 >> 19)) & M32) * P1 & M32
            v3 = (v3 + c * P2) & M32
            v3 = (((v3 << 13) | (v3 >> 19)) & M32) * P1 & M32
            v4 = (v4 + d * P2) & M32
            v4 = (((v4 << 13) | (v4 >> 19)) & M32) * P1 & M32
        i = stop
        h = (((v1 << 1) | (v1 >> 31)) + ((v2 << 7) | (v2 >> 25))
             + ((v3 << 12) | (v3 >> 20)) + ((v4 << 18) | (v4 >> 14))) & M32
    else:
        h = (seed + P5) & M32
    h = (h + n) & M32
    while i + 4 <= n:
        (w,) = struct.unpack_from("<I", mv, i)
        h = (h + w * P3) & M32
        h = (((h << 17) | (h >> 15)) & M32) * P4 & M32
        i += 4
    while i < n:
        h = (h + mv[i] * P5) & M32
        h = (((h << 11) | (h >> 21)) & M32) * P1 & M32
        i += 1
    h ^= h >> 15
    h = (h * P2) & M32
    h ^= h >> 13
    h = (h * P3) & M32
    h ^= h >> 16
    return h
