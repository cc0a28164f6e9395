"""The decoded output, bounded by the caller's limit (R-SEC-1, R-READ-5): adding bytes that
would pass ``max_size`` fails at once with ``limit_exceeded``."""

from __future__ import annotations

from spec_reader.errors import ReadError

DEFAULT_MAX_SIZE = 1 << 32  # R-SEC-1


class Output:
    def __init__(self, max_size: int):
        self.max_size = max_size
        self.parts: list[bytes] = []
        self.size = 0

    def room(self) -> int:
        return self.max_size - self.size

    def add(self, data: bytes) -> None:
        if self.size + len(data) > self.max_size:
            raise ReadError("limit_exceeded", None, "decoded size exceeds %d" % self.max_size)
        self.parts.append(data)
        self.size += len(data)

    def value(self) -> bytes:
        return b"".join(self.parts)
