#!/usr/bin/python3
"""Writes the seed corpus fuzz/corpus/<harness>/ (committed; keep it small).

Seeds come from fixtures/cases/ (blobs under 4 KiB, sidecars) and from inputs generated here
with Python's own gzip / lz4.frame writers, each wrapped in the harness's input layout: data
at the front, parameters at the END, in the order FuzzedDataProvider consumes them
(ConsumeIntegral reads from the last byte backwards, most significant byte first).
Re-running it is idempotent (file name = SHA-1 of the content)."""
import gzip
import hashlib
import io
import os
import pathlib
import sys

import lz4.frame

ROOT = pathlib.Path(__file__).resolve().parents[2]
CASES = ROOT / "fixtures" / "cases"
OUT = ROOT / "fuzz" / "corpus"
MAX_BLOB = 4096


class Input:
    """front bytes + trailer of consumed parameters."""

    def __init__(self):
        self.consumed = []

    def u8(self, v):
        self.consumed.append(v & 0xFF)
        return self

    def u16(self, v):
        self.consumed += [(v >> 8) & 0xFF, v & 0xFF]
        return self

    def u32(self, v):
        self.consumed += [(v >> s) & 0xFF for s in (24, 16, 8, 0)]
        return self

    def build(self, front: bytes) -> bytes:
        return bytes(front) + bytes(reversed(self.consumed))


def write(harness, data: bytes):
    d = OUT / harness
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def fixture_cases():
    for case in sorted(CASES.iterdir()):
        for blob in sorted(case.rglob("*")):
            if blob.is_file() and not blob.name.endswith("_meta"):
                meta = blob.with_name(blob.name + "_meta")
                yield case.name, blob.name, blob.read_bytes(), meta.read_bytes() if meta.exists() else None


def gz(data, level=3, mtime=0, name=None):
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name or "", fileobj=buf, mode="wb", compresslevel=level, mtime=mtime) as f:
        f.write(data)
    return buf.getvalue()


CONTENTS = [b"", b"a", b"hello world\n" * 3, bytes(range(256)), b"\x00" * 300,
            b"The quick brown fox jumps over the lazy dog. " * 20]


def generated_payloads():
    for i, c in enumerate(CONTENTS):
        yield "gzip", gz(c, level=3 if i % 2 else 9, mtime=i, name="blob" if i == 2 else None)
        yield "lz4", lz4.frame.compress(c)
        if i in (2, 5):
            yield "lz4", lz4.frame.compress(c, content_checksum=True, block_checksum=True, store_size=False)
            yield "gzip", gz(c) + gz(c[:5]) + b"\x00\x00"
            yield "lz4", lz4.frame.compress(c) + lz4.frame.compress(c[:7])


def kind(blob):
    if blob[:2] == b"\x1f\x8b":
        return "gzip"
    if blob[:4] == b"\x04\x22\x4d\x18" or (len(blob) >= 4 and blob[1:4] == b"\x2a\x4d\x18" and blob[0] & 0xF0 == 0x50):
        return "lz4"
    return None


def main():
    n = 0
    payloads = list(generated_payloads())
    for case, key, blob, meta in fixture_cases():
        if len(blob) > MAX_BLOB:
            continue
        h = int(hashlib.sha1(case.encode()).hexdigest()[:8], 16)
        k = kind(blob)
        if k:
            payloads.append((k, blob))
        # decode_blob: key mode 2 carries the fixture's true key; profile varies by case.
        profile = h & 3
        flags = profile | (4 if meta is not None else 0) | (2 << 3)
        side = meta or b""
        write("decode_blob_fuzzer",
              Input().u8(flags).u32(h).u16(len(side)).build(bytes.fromhex(key) + side + blob))
        if meta is not None:
            write("meta_parser_fuzzer", meta)
    for i, (k, p) in enumerate(payloads):
        seed = 0x1000 * i + (i % 16)
        write("gzip_reader_fuzzer" if k == "gzip" else "lz4_reader_fuzzer", Input().u8(0x80 if i % 3 == 0 else 0).u32(seed).build(p))
        write("differential_fuzzer", Input().u8(0 if k == "gzip" else 1).u32(seed).build(p))
    # decode_blob, self-encoded (key mode 3): v1/v2/raw, no mutation and one mutation.
    for i, c in enumerate(CONTENTS):
        for enc in (0x00, 0x01, 0x0e, 0x0f, 0x1d, 0xe5):
            for profile in (3, 1):
                flags = profile | 4 | (3 << 3)
                inp = Input().u8(flags).u32(i * 77).u16(0).u8(enc).u8(3).u32(1700000000).u8(0)
                write("decode_blob_fuzzer", inp.u8(0).build(c))
            inp = Input().u8(3 | 4 | (3 << 3)).u32(i).u16(0).u8(enc).u8(3).u32(0).u8(0).u8(1)
            write("decode_blob_fuzzer", inp.build(bytes([0, 0, 12, 0x40]) + c))
        for opt in (0x00, 0x01, 0x02, 0x03, 0x0d, 0x1d, 0x61, 0x80):
            write("roundtrip_fuzzer", Input().u8(opt).u32(i * 31 + opt).u32(i).u8(3 + i % 7).u8(i % 13).build(c))
    for m in [b'{"cas_raw": false, "cas_version": 1}', b'{"cas_raw": true, "cas_version": 2}', b"null", b"{}",
              b'{"cas_version": 1.0}', b'{"cas_version": NaN}', b'{"cas_raw": "false", "cas_version": 1}',
              b'{"cas_version": 1, "cas_version": 2}', b'\xef\xbb\xbf{"cas_version": 1}', b'[1, {"a": [true, null]}]',
              b'{"cas_version": 123456789012345678901234567890}', b'{"x": "\\ud800", "cas_version": -0}',
              b'{"cas_version": 1e400}', b'"\\u00e9\\n"']:
        write("meta_parser_fuzzer", m)
    total = sum(f.stat().st_size for f in OUT.rglob("*") if f.is_file())
    print(f"corpus: {sum(1 for f in OUT.rglob('*') if f.is_file())} files, {total} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
