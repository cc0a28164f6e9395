"""casconf: the casblob conformance driver.

Runs every fixture of ``fixtures/manifest.json`` through every implementation under test
(adapters), for every reader profile it claims, compares each outcome with the manifest's
expectation, counts silent corruption apart, pairs every writer with every reader, and
reports (terminal matrix, Markdown, JSON, JUnit). See ``conformance/PROTOCOL.md``.
"""

__version__ = "0.1.0"
