"""spec_reader: a minimal ``strict`` CAS blob reader written from spec/cas-blob-format.md alone.

One of the project's two oracles (python/README.md, "Two oracles"): it exists to test the
specification, not to be fast. Every normative reading step of the spec's section 6 is
implemented, in order, with the error names of section 9; the codecs are built from
primitives only (gzip on ``zlib`` raw deflate, the lz4 frame on ``lz4.block`` and a
pure-Python XXH32; ``lz4.frame`` and ``gzip`` are never used). It imports nothing but the
standard library and ``lz4.block`` (enforced by tests/test_layering.py).

API:  read(blob, sidecar, key, max_size) -> ("ok", bytes) | ("error", name, detail)
CLI:  python3 -m spec_reader decode|batch   (the conformance command protocol; spec_reader.cli)
"""

from spec_reader.errors import EXIT_CODES, ReadError
from spec_reader.output import DEFAULT_MAX_SIZE
from spec_reader.reader import read

__all__ = ["DEFAULT_MAX_SIZE", "EXIT_CODES", "ReadError", "read"]
