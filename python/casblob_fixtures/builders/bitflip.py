"""Bit flips: one byte of a valid blob xor a mask."""

from __future__ import annotations


def flip(data: bytes, pos: int, mask: int = 0x01) -> bytes:
    b = bytearray(data)
    b[pos] ^= mask
    return bytes(b)
