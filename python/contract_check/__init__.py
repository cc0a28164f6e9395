"""contract_check: every copy of the contract tables agrees with the C++ library's.

The library (reference/src/common/error.cpp, reference/src/read/profile.cpp) is the one source
of truth for error names, corrupt details, exit codes and profiles; ``casblob --list-errors
--json`` and ``--list-profiles --json`` print it. This package compares every other copy with
that output (``copies``) and generates the README's tables from it (``readme``):

  python3 -m contract_check --casblob BIN [--write] [--repo DIR]

Sits on top of everything (it reads the driver's, the oracles' and the fixtures' copies);
runs in a checkout."""
