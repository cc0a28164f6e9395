"""casconf: the casblob conformance driver.

Runs every fixture of ``fixtures/manifest.json`` through every implementation under test
(adapters), for every reader profile it claims, compares each outcome with the manifest's
expectation, counts silent corruption apart, pairs every writer with every reader, and
reports (terminal matrix, Markdown, JSON, JUnit). See ``conformance/PROTOCOL.md``.

Layout (python/README.md): ``adapters/`` (one module per implementation under test),
``checks/`` (read, write, safety), ``reports/``, ``commands/`` (one module per subcommand),
``model`` (vocabulary, and the driver's copy of the contract tables). Reads the corpus with
``casblob_fixtures.manifest``; the built-in ``python`` and ``spec-reader`` implementations are the
two oracles.
"""

__version__ = "0.1.0"
