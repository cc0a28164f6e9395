"""A stand-in Metaflow package for the gate's tests (python/tests/support/fake_trees): only the
local datastore, in the shape each generation has it. Not Metaflow's code."""

FAKE = True
