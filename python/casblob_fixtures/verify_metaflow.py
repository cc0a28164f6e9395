"""The fixture corpus read by REAL Metaflow trees, compared with the manifest.

Each tree runs its own read path in its own process (metaflow_trees): a CAS-era tree
``ContentAddressedStore.load_blobs`` over ``LocalStorage``, a pre-CAS tree
``LocalDataStore.load_data``, each case folder being the CAS prefix (the tree's data root). A
reading agrees with the manifest column of the profile the tree should behave as (detected from
its code, or declared) when it has the same outcome: right bytes; wrong bytes with the same
SHA-1; a clean error (the tree's DataException) of the same name, read from its message; an
unhandled exception of the same class.

``generate --verify-metaflow SRC [--profile P]`` runs one tree; the release-history sweep
(spec_tools.release_history) runs many; ``casconf run --metaflow NAME=PATH`` judges trees case
by case through the same ``outcome``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import metaflow_model
from metaflow_trees import CLEAN_ERROR, RIGHT_BYTES, WRONG_BYTES, ReadResult, Tree, TreeProcess, from_path

from casblob_fixtures.manifest import Case, Manifest, load


def outcome(result: ReadResult) -> dict:
    """A tree's reading in the manifest's shape (fixtures/README.md), plus the message."""
    if result.outcome == RIGHT_BYTES:
        return {"outcome": "ok"}
    if result.outcome == WRONG_BYTES:
        return {"outcome": "wrong_bytes", "sha1": result.sha1, "size": result.size}
    out = {"outcome": "error", "message": result.message or ""}
    if result.outcome == CLEAN_ERROR:
        out["error"], detail = metaflow_model.error_from_message(result.message or "")
        if detail:
            out["detail"] = detail
    else:
        out.update(error="unhandled", exception=result.type)
    return out


def agrees(expected: dict, got: dict) -> bool:
    """Same outcome, SHA-1 of wrong bytes, error name and exception class (details and message
    texts are the readers' own and are not compared)."""
    if got["outcome"] != expected["outcome"]:
        return False
    if got["outcome"] == "wrong_bytes":
        return got["sha1"] == expected["sha1"]
    if got["outcome"] == "error":
        return got["error"] == expected["error"] and got.get("exception") == expected.get("exception")
    return True


@dataclass
class CorpusReading:
    """One tree's reading of every case."""

    tree: Tree
    python: str                       # the version the tree ran under
    import_error: str | None          # the tree's datastore did not import there
    outcomes: list[tuple[Case, dict]] = field(default_factory=list)

    def compare(self, profile: str) -> tuple[int, list[dict]]:
        """(cases agreeing with the manifest's ``profile`` column, the disagreements)."""
        agree, disagreements = 0, []
        for case, got in self.outcomes:
            want = case.expect[profile]
            if agrees(want, got):
                agree += 1
            else:
                disagreements.append({"case": case.name, "manifest": want,
                                      "tree": {k: v for k, v in got.items() if k != "message"}})
        return agree, disagreements


def read_corpus(tree: Tree, manifest: Manifest, python: str | None = None, hide=(), timeout: float = 60.0,
                env: dict | None = None) -> CorpusReading:
    """Every case of ``manifest`` read by ``tree`` (a child process; ``hide``: modules made
    unimportable there, as on a host without them)."""
    with TreeProcess(tree.path, tree.generation, python=python, hide=hide, timeout=timeout, env=env,
                     label=tree.name) as proc:
        reading = CorpusReading(tree, proc.hello.get("python", "?"), proc.import_error)
        for case in manifest.cases:
            (result,) = proc.read(manifest.root, case.dir, [case.key])
            reading.outcomes.append((case, outcome(result)))
    return reading


def verify(fixtures: str, src: str, profile: str | None = None) -> int:
    """``generate --verify-metaflow SRC``: the tree in SRC against its profile's column."""
    tree = from_path(os.path.basename(os.path.abspath(src)) or "metaflow", src)
    profile = profile or tree.generation.profile
    reading = read_corpus(tree, load(fixtures))
    agree, disagreements = reading.compare(profile)
    for d in disagreements:
        print("verify-metaflow: %s: manifest %s, Metaflow %s" % (d["case"], d["manifest"], d["tree"]))
    print("verify-metaflow (%s read as %s, %s, Python %s%s): %d agree, %d disagree"
          % (src, profile, tree.generation.describe(), reading.python,
             ", import failed: " + reading.import_error if reading.import_error else "", agree, len(disagreements)))
    return 1 if disagreements else 0
