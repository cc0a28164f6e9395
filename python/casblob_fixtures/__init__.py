"""casblob_fixtures: the fixture corpus' tools (python/README.md).

* ``manifest``: the one reader of fixtures/manifest.json;
* ``builders``: byte builders (gzip members, raw deflate, lz4 frames and blocks, bit flips);
* ``payloads``, ``producers``, ``case``: deterministic payloads, the real writers, the case record;
* ``groups``: one module per fixture group; ``build``, ``stats``, ``notes``: the generator;
* ``generate``, ``lint``: the commands (fixtures/generate, fixtures/lint);
* ``verify_metaflow``: the corpus read by real Metaflow trees (their own code, through
  metaflow_trees), compared with the manifest; ``field_crc``: the >= 2 GiB FieldDamage blob.

Depends on the oracles (``metaflow_model`` measures the real-reader columns) and on
metaflow_trees, nothing above them."""
