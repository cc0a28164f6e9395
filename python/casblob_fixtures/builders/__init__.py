"""Byte builders shared by the fixture generator, lint, the spec tools and the census
cross-check: gzip members, raw deflate, lz4 frames and blocks, skippable frames, bit flips.
Deterministic: a fixed gzip MTIME, no file names unless asked for."""

from casblob_fixtures.builders.bitflip import flip
from casblob_fixtures.builders.gzip_member import (FCOMMENT, FEXTRA, FHCRC, FNAME, FTEXT, GZIP_MAGIC,
                                                   MTIME, deflate_raw, gzip_header_len, gzip_member)
from casblob_fixtures.builders.lz4_frame import (BLOCK_MAX, LZ4_LEGACY_MAGIC, LZ4_MAGIC, block_record,
                                                 lz4_descriptor, lz4_frame, lz4_parse, skippable)
from casblob_fixtures.builders.xxh32 import xxh32

__all__ = ["BLOCK_MAX", "FCOMMENT", "FEXTRA", "FHCRC", "FNAME", "FTEXT", "GZIP_MAGIC", "LZ4_LEGACY_MAGIC",
           "LZ4_MAGIC", "MTIME", "block_record", "deflate_raw", "flip", "gzip_header_len", "gzip_member",
           "lz4_descriptor", "lz4_frame", "lz4_parse", "skippable", "xxh32"]
