"""The release-history sweep: revisions of a Metaflow clone, each extracted with ``git archive``
into a cache (metaflow_trees) and reading the whole fixture corpus with its own code
(casblob_fixtures.verify_metaflow), compared with the manifest column of the profile its
generation should match (pre-CAS: ``pre-cas``, CAS-era: ``legacy``, with ``_unpack_v2``: ``v2``).

What one run records (the committed result, spec/release-history.json, is a list of them): the
revision and commit, the interpreter, the generation, the read-path variant (the git blob ids of
the files the read path runs), the agreement with the manifest and every disagreement, the
outcome counts, and the *message form*: a digest of every error message with the case's path
and key taken out, so that releases whose messages differ only in wording are told apart
without being called different readers. Messages are never compared: they are the readers' own.
"""

from __future__ import annotations

import collections
import hashlib
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from casblob_fixtures.manifest import Manifest
from casblob_fixtures.verify_metaflow import read_corpus
from metaflow_trees import TreeError, from_rev
from metaflow_trees.materialise import MaterialiseError, resolve

SCHEMA = "casblob-release-history/1"
RELEASE_TAG = re.compile(r"^\d+\.\d+(\.\d+)?$")
# The files each generation's read path runs (either location of LocalStorage).
READ_PATH_FILES = (
    "metaflow/datastore/content_addressed_store.py", "metaflow/datastore/exceptions.py",
    "metaflow/plugins/datastores/local_storage.py", "metaflow/datastore/local_storage.py",
    "metaflow/datastore/local.py", "metaflow/datastore/datastore.py",
)
# The cases whose messages the appendix quotes, one per kind of clean error.
MESSAGE_SAMPLES = ("n_sidecar_object_empty", "n_sidecar_version_3", "n_trunc_gzip_header_5_bytes")


@dataclass(frozen=True)
class Spec:
    """One run to make: a revision, how to run it (``hide``: modules it must do without), and
    whether it is a release (tags) or another revision (a pull request, a variant)."""

    name: str
    rev: str
    release: bool = True
    hide: tuple[str, ...] = ()
    profile: str | None = None  # the column to compare with; None: the generation's


def version_key(tag: str):
    return tuple(int(p) for p in tag.split("."))


def release_tags(repo: str, pattern: str = RELEASE_TAG.pattern) -> list[str]:
    """The clone's tags that are releases (``2.4.0``, ``2.13``), oldest first."""
    out = subprocess.run(["git", "-C", repo, "tag", "--list"], check=True, capture_output=True, text=True).stdout
    rx = re.compile(pattern)
    return sorted((t for t in out.split() if rx.match(t) and RELEASE_TAG.match(t)), key=version_key)


def in_range(tags: list[str], first: str | None, last: str | None) -> list[str]:
    lo = version_key(first) if first else None
    hi = version_key(last) if last else None
    return [t for t in tags if (lo is None or version_key(t) >= lo) and (hi is None or version_key(t) <= hi)]


def read_path_variant(repo: str, rev: str) -> str:
    """A digest of the git blob ids of the read-path files of ``rev``: equal digests, same code."""
    out = subprocess.run(["git", "-C", repo, "ls-tree", rev, "--", *READ_PATH_FILES], check=True,
                         capture_output=True, text=True).stdout
    return hashlib.sha1(out.encode()).hexdigest()[:12]


def normalised_message(case, message: str) -> str:
    path = "%s/%s/%s" % (case.dir, case.key[:2], case.key)
    return message.replace(path, "<path>").replace(case.key, "<key>")


def measure(spec: Spec, repo: str, manifest: Manifest, cache: str | None, python: str | None = None,
            env: dict | None = None) -> dict:
    """One run, as the committed result records it."""
    tree = from_rev(spec.name, repo, spec.rev, cache)
    profile = spec.profile or tree.generation.profile
    reading = read_corpus(tree, manifest, python=python, hide=spec.hide, env=env)
    agree, disagreements = reading.compare(profile)
    if reading.import_error:  # every case is that error: one record of it is enough
        disagreements = []
    counts = collections.Counter()
    exceptions = collections.Counter()
    messages, samples = hashlib.sha1(), {}
    for case, got in reading.outcomes:
        kind = got["outcome"] if got["outcome"] != "error" else (
            "unhandled" if got["error"] == "unhandled" else "clean_error")
        counts[kind] += 1
        if got.get("exception"):
            exceptions[got["exception"]] += 1
        if got["outcome"] == "error":
            text = normalised_message(case, got["message"])
            messages.update(("%s\0%s\n" % (case.name, text)).encode())
            if case.name in MESSAGE_SAMPLES:
                samples[case.name] = text
    g = tree.generation
    return {
        "name": spec.name, "rev": spec.rev, "commit": tree.commit, "release": spec.release,
        "python": reading.python, "hide": list(spec.hide),
        "generation": g.name, "reader": g.reader, "codecs": [{"module": c.module, "how": c.how} for c in g.codecs],
        "import_error": reading.import_error, "variant": read_path_variant(repo, tree.commit),
        "profile": profile, "agree": agree, "total": len(reading.outcomes), "disagreements": disagreements,
        "outcomes": {k: counts[k] for k in ("ok", "wrong_bytes", "clean_error", "unhandled")},
        "exceptions": dict(sorted(exceptions.items())),
        "messages": messages.hexdigest()[:12], "message_samples": dict(sorted(samples.items())),
    }


def sweep(specs: list[Spec], repo: str, manifest: Manifest, cache: str | None = None, python: str | None = None,
          env: dict | None = None, jobs: int = 2, per_variant: bool = False, progress=None) -> list[dict]:
    """Every spec measured (``per_variant``: one release per read-path variant, the others
    recorded with ``measured_as``), in the order given."""
    plan, copies = list(specs), {}
    if per_variant:
        first: dict[tuple, Spec] = {}
        plan = []
        for s in specs:
            ident = (read_path_variant(repo, s.rev), s.hide, s.profile)
            if s.release and ident in first:
                copies[s] = first[ident]
            else:
                first.setdefault(ident, s)
                plan.append(s)

    def one(s: Spec) -> dict:
        try:
            run = measure(s, repo, manifest, cache, python, env)
        except TreeError as exc:
            run = {"name": s.name, "rev": s.rev, "release": s.release, "error": str(exc)}
        if progress:
            progress(run)
        return run

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        measured = dict(zip(plan, pool.map(one, plan)))
    out = []
    for s in specs:
        if s in measured:
            out.append(measured[s])
            continue
        src = measured[copies[s]]
        try:
            commit = resolve(repo, s.rev)
        except MaterialiseError as exc:
            out.append({"name": s.name, "rev": s.rev, "release": s.release, "error": str(exc)})
            continue
        out.append(dict(src, name=s.name, rev=s.rev, commit=commit, measured_as=src["name"]))
    return out


def document(runs: list[dict], manifest: Manifest) -> dict:
    with open(manifest.path, "rb") as f:
        digest = hashlib.sha1(f.read()).hexdigest()
    return {"schema": SCHEMA, "corpus": {"cases": len(manifest.cases), "manifest_sha1": digest}, "runs": runs}


# What a re-run must reproduce (spec_tools.release_history check).
MEASURED_FIELDS = ("commit", "generation", "reader", "codecs", "import_error", "variant", "profile", "agree",
                   "total", "disagreements", "outcomes", "exceptions", "messages", "message_samples", "error")