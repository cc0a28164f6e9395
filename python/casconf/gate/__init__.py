"""``casconf gate``: a change to Metaflow's writer (the head tree) against every reader
generation still deployed (the base trees), run with their own code (conformance/GATE.md,
spec 11.4).

Layout: ``exercise`` (the trees write and read, through metaflow_trees), ``rules`` (the rule
table and how each is judged), ``allowlist``, ``payloads``, ``result`` (GateResult, exit codes),
``run`` (the entry point), ``docs`` (the generated tables of GATE.md and the spec), ``reports/``
(terminal, JSON, JUnit, Markdown, GitHub annotations). The command line is commands/gate.py."""
