"""metaflow_trees: run REAL Metaflow source trees, each with its own code, in its own process.

* ``tree``: a named tree, from a folder holding its ``metaflow`` package or from a revision of
  a Metaflow clone (``materialise``: ``git archive REV metaflow`` into a cache keyed by commit);
* ``generation``: what the tree is, read from its code: ``pre-cas`` (2.0-2.3), ``cas`` (2.4+),
  ``v2`` (``_unpack_v2``), and how it imports its codecs (PR #3090's top-level ``import
  lz4.frame`` versus a lazy import);
* ``process``: ``TreeProcess``, one child interpreter per tree speaking JSON lines (``worker``):
  ``read(root, prefix, keys)`` -> per key right bytes / wrong bytes / clean error (the tree's
  ``DataException``) / unhandled (anything else), and ``write(root, prefix, payloads, raw)``
  through the tree's own ``save_blobs`` (pre-CAS: ``LocalDataStore.save_data``).

Metaflow's code is never part of this project: trees are read from the user's clone. This
package imports nothing of the project (python/README.md); the conformance driver and the
release-history tools build on it."""

from metaflow_trees.generation import Generation, GenerationError, detect
from metaflow_trees.materialise import MaterialiseError, default_cache_dir, materialise
from metaflow_trees.process import (CLEAN_ERROR, OUTCOMES, RIGHT_BYTES, UNHANDLED, WRONG_BYTES, ReadResult,
                                    TreeProcess, TreeProcessError)
from metaflow_trees.tree import Tree, TreeError, from_path, from_rev

__all__ = [
    "Generation", "GenerationError", "detect", "MaterialiseError", "default_cache_dir", "materialise",
    "CLEAN_ERROR", "OUTCOMES", "RIGHT_BYTES", "UNHANDLED", "WRONG_BYTES", "ReadResult", "TreeProcess",
    "TreeProcessError", "Tree", "TreeError", "from_path", "from_rev",
]
