"""Small fake Metaflow trees for the tests of metaflow_trees and of ``casconf gate``.

A tree is built into a temporary folder from layers (``base`` + ``pre_cas`` or ``cas``) and
then patched, the way Metaflow's history moved: ``cas`` is the released v1 store, ``v2`` is a
careful v2 (lz4 imported lazily, content checksum, one frame written, every frame read: what
spec 8.3 recommends), ``v2-pr3090`` is v2 as PR #3090 wrote it (top-level ``import lz4.frame``,
python-lz4 defaults, one frame read). Each broken head is the careful ``v2`` with ONE defect,
and names the (rule, base) pairs on which the gate must fail it.

None of this is Metaflow's code: it is written to behave like each generation's local
datastore, and nothing more."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
STORE = "metaflow/datastore/content_addressed_store.py"
LAYERS = {"pre-cas": ("base", "pre_cas"), "cas": ("base", "cas"), "v2": ("base", "cas"),
          "v2-pr3090": ("base", "cas")}

# (file, old, new): ``old`` must occur exactly once; an empty ``old`` appends ``new``.
_WRITE_V2 = [(STORE, '"cas_version": 1}', '"cas_version": 2}'),
             (STORE, "else self._pack_v1(blob)", "else self._pack_v2(blob)")]
PATCHES = {
    "pre-cas": [],
    "cas": [],
    "v2": _WRITE_V2 + [(STORE, "", '''
    def _pack_v2(self, blob):
        import lz4.frame  # here, not at the top: without lz4 everything else still reads

        return BytesIO(lz4.frame.compress(blob, content_checksum=True))

    def _unpack_v2(self, f):
        import lz4.frame

        data, out = f.read(), []
        while True:  # every frame, skippable ones included
            frame = lz4.frame.LZ4FrameDecompressor()
            out.append(frame.decompress(data))
            if not frame.eof:
                raise ValueError("truncated lz4 frame")
            data = frame.unused_data
            if not data:
                return b"".join(out)
''')],
    "v2-pr3090": _WRITE_V2 + [(STORE, "from io import BytesIO\n", "from io import BytesIO\n\nimport lz4.frame\n"),
                              (STORE, "", '''
    def _pack_v2(self, blob):
        return BytesIO(lz4.frame.compress(blob))

    def _unpack_v2(self, f):
        return lz4.frame.decompress(f.read())
''')],
}


@dataclass(frozen=True)
class Broken:
    defect: str
    rule: str               # the rule this defect is about
    edits: tuple            # applied to the careful v2 head
    fails: frozenset        # every (rule, base) row that fails (base None: the head's row), measured


_PACK = "return BytesIO(lz4.frame.compress(blob, content_checksum=True))"
_BASES = ("pre-cas", "cas", "v2-pr3090")
BROKEN_HEADS = {
    "no_version_bump": Broken(
        "writes lz4 under cas_version 1", "ROUNDTRIP",
        ((STORE, '"cas_version": 2}', '"cas_version": 1}'),),
        frozenset({("ROUNDTRIP", None)})),
    "unpack_v2_returns_stored": Broken(
        "_unpack_v2 returns the stored bytes", "ROUNDTRIP",
        ((STORE, "    def _unpack_v2(self, f):\n", "    def _unpack_v2(self, f):\n        return f.read()\n\n"
                                                   "    def _unpack_v2_unused(self, f):\n"),),
        frozenset({("ROUNDTRIP", None), ("BACKWARD_TRANSITIVE", "v2-pr3090"), ("BACKWARD_TRANSITIVE", "corpus"),
                   ("CODEC_OPTIONAL", "v2-pr3090")})),
    "lz4_marked_raw": Broken(
        "marks lz4 blobs cas_raw: true", "FORWARD_SAFE",
        ((STORE, 'meta = {"cas_raw": raw,', 'meta = {"cas_raw": True,'),),
        frozenset({("ROUNDTRIP", None), ("FORWARD_CLEAN", "cas"), ("FORWARD_CLEAN", "v2-pr3090"),
                   ("FORWARD_SAFE", "cas"), ("FORWARD_SAFE", "v2-pr3090")})),
    "no_sidecar": Broken(
        "stores no sidecar", "ROUNDTRIP",
        ((STORE, "yield path, (BytesIO(blob) if raw else self._pack_v2(blob), meta)",
          "yield path, BytesIO(blob) if raw else self._pack_v2(blob)"),),
        frozenset({("ROUNDTRIP", None)})),
    "second_frame": Broken(
        "writes each payload as two frames (a v2 reader that reads one frame returns half)", "FORWARD_SAFE",
        ((STORE, _PACK, "half = len(blob) // 2\n        return BytesIO(lz4.frame.compress(blob[:half], "
                        "content_checksum=True) + lz4.frame.compress(blob[half:], content_checksum=True))"),),
        frozenset({("FORWARD_CLEAN", "v2-pr3090"), ("FORWARD_SAFE", "v2-pr3090")})),
    "gzip_wrapped_v2": Broken(
        "wraps the lz4 frame in a gzip member (payload magic 1f 8b)", "SIDECAR_LOSS_SAFE",
        ((STORE, _PACK, "import gzip as g\n\n        return BytesIO(g.compress(lz4.frame.compress(blob)))"),
         (STORE, "        data, out = f.read(), []\n", "        import gzip as g\n\n"
                                                      "        data, out = g.decompress(f.read()), []\n")),
        frozenset({("BACKWARD_TRANSITIVE", "v2-pr3090"), ("BACKWARD_TRANSITIVE", "corpus"), ("FORWARD_SAFE", "pre-cas"),
                   ("SIDECAR_LOSS_SAFE", None)} | {("SIDECAR_LOSS_SAFE", b) for b in _BASES})),
    "version_as_string": Broken(
        'writes "cas_version": "2" (a string)', "FORWARD_CLEAN",
        ((STORE, '"cas_version": 2}', '"cas_version": "2"}'),),
        frozenset({("ROUNDTRIP", None), ("FORWARD_CLEAN", "cas"), ("FORWARD_CLEAN", "v2-pr3090")})),
    "drops_v1": Broken(
        "reads blobs without a sidecar as lz4", "BACKWARD_TRANSITIVE",
        ((STORE, "    def _unpack_backward_compatible(self, f):\n        return self._unpack_v1(f)",
          "    def _unpack_backward_compatible(self, f):\n        return self._unpack_v2(f)"),),
        frozenset({("BACKWARD_TRANSITIVE", "pre-cas"), ("BACKWARD_TRANSITIVE", "corpus"),
                   ("CODEC_OPTIONAL", "pre-cas")})),
    "falls_back_to_stored": Broken(
        "returns the stored bytes when a blob without sidecar is not gzip", "BACKWARD_TRANSITIVE",
        ((STORE, "    def _unpack_backward_compatible(self, f):\n        return self._unpack_v1(f)",
          "    def _unpack_backward_compatible(self, f):\n        try:\n            return self._unpack_v1(f)\n"
          "        except OSError:\n            f.seek(0)\n            return f.read()"),),
        frozenset({("BACKWARD_TRANSITIVE", "corpus"), ("SIDECAR_LOSS_SAFE", None)})),
    "lz4_imported_at_top": Broken(
        "imports lz4.frame at module level", "CODEC_OPTIONAL",
        ((STORE, "from io import BytesIO\n", "from io import BytesIO\n\nimport lz4.frame  # noqa: F401\n"),),
        frozenset({("CODEC_OPTIONAL", b) for b in _BASES})),
}


def apply(root: str, edits) -> None:
    for rel, old, new in edits:
        path = os.path.join(root, rel)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if old:
            if text.count(old) != 1:
                raise ValueError("%s: %r occurs %d times" % (rel, old, text.count(old)))
            text = text.replace(old, new)
        else:
            text += new
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


def build(dest: str, generation: str, edits=()) -> str:
    """A fake tree of ``generation`` (a key of LAYERS) in ``dest``, plus ``edits``; returns ``dest``."""
    for layer in LAYERS[generation]:
        shutil.copytree(os.path.join(HERE, layer), dest, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    apply(dest, PATCHES[generation])
    apply(dest, edits)
    return dest


def broken_head(dest: str, name: str) -> str:
    return build(dest, "v2", BROKEN_HEADS[name].edits)
