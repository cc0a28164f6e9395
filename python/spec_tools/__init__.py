"""spec_tools: the measurements the specification reports and the checks of its consistency.

* ``real_readers``: Appendix A, re-measured on Python's gzip, python-lz4 and the Metaflow model;
* ``lz4_bitflips``: the bit-flip census and checksum cost behind section 8 (prints Markdown);
* ``census_crosscheck``: the C++ census' mutants replayed through the two oracles;
* ``census_figures``: section 8.4 and spec/census-results.md, generated from a census run;
* ``traceability`` / ``traceability_map``: every requirement traced to fixtures or tests;
* ``blocks``: the generated-block markers every tool here writes between.

Depends on the oracles and the fixture tools (builders, manifest), never on the conformance
driver; runs in a checkout (it reads and writes spec/)."""
