"""metaflow_model: Metaflow's CAS read and write paths, run on the real Python modules.

One of the project's two oracles (python/README.md, "Two oracles"): ground truth for the
``pre-cas``, ``legacy``, ``v2`` and ``v2-nolz4`` profiles (spec 7, Appendix A). It re-states, in
our own words, the decisions of Metaflow's published code (metaflow_model.read, metaflow_model.write).
The payload decoders and the JSON parser are the real ones (``gzip``, ``zlib``,
``lz4.frame``, ``json``): nothing here re-implements a codec. Only the dispatch is modelled,
as close to the published logic as a model can be, so that every quirk (truthy strings,
floats in ``%d``, ``null`` sidecars) behaves as it does in the field. It imports nothing but
those modules (enforced by tests/test_layering.py).
"""

from metaflow_model.errors import DataException, detail_from_message, error_from_message
from metaflow_model.read import PROFILES, exception_name, load_blob, read_outcome
from metaflow_model.write import meta_text, pack_v1, pack_v2, save_blob

__all__ = ["PROFILES", "DataException", "detail_from_message", "error_from_message", "exception_name", "load_blob", "meta_text",
           "pack_v1", "pack_v2", "read_outcome", "save_blob"]
