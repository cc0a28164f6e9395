"""Collects the cases of every group, measures the three real-reader profiles with the Metaflow
model, and writes the corpus (cases/) and manifest.json."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import shutil
import sys

import metaflow_model

from casblob_fixtures import notes
from casblob_fixtures.case import sha1
from casblob_fixtures.groups import MODULES

SCHEMA = "casblob-fixtures/1"
GENERATOR_VERSION = "1"  # bump when a group's bytes or expectations change by design
MEASURED = metaflow_model.PROFILES
PROFILES = MEASURED + ("strict",)
# The CAS-era readers (2.4 onwards), whose clean error is DataException: the flags about
# unhandled exceptions and strictness compare strict with them. Every pre-cas failure is an
# unhandled exception by construction, and it ignores sidecars by design, so it would flag
# nearly every case; its wrong bytes still count as SilentCorruption.
CAS_ERA = tuple(p for p in MEASURED if p != "pre-cas")
KEY_RE = re.compile(r"^[0-9a-f]{40}$")
NAME_RE = re.compile(r"^[yni]_[a-z0-9_]+$")


def collect():
    """[(group module, [Case])] in manifest order; asserts the naming rules of the README."""
    groups = []
    seen = set()
    for modname in MODULES:
        mod = importlib.import_module("casblob_fixtures.groups." + modname)
        cs = mod.cases()
        for c in cs:
            c.group = mod.TYPE
            assert NAME_RE.match(c.name), c.name
            assert c.name not in seen, "duplicate name " + c.name
            seen.add(c.name)
            assert KEY_RE.match(c.key), (c.name, c.key)
            if c.name.startswith("y_"):
                assert c.strict == {"outcome": "ok"}, c.name
            if c.name.startswith("n_"):
                assert c.strict["outcome"] == "error", c.name
        groups.append((mod, cs))
    return groups


def as_expectation(r: dict) -> dict:
    """A Metaflow model outcome (metaflow_model.read_outcome) in the manifest's shape: the
    outcome, the error name, the exception class of an unhandled error, the SHA-1 of wrong bytes."""
    e = {"outcome": r["outcome"]}
    if r["outcome"] == "error":
        e["error"] = r["error"]
        if r["error"] == "unhandled":
            e["exception"] = r.get("detail")
    elif r["outcome"] == "wrong_bytes":
        e["sha1"] = r["sha1"]
    return e


def measure(blob: bytes, sidecar: bytes | None, key: str) -> dict:
    """The measured columns: what the Metaflow model does with this blob, per profile."""
    return {p: as_expectation(metaflow_model.read_outcome(blob, sidecar, p, key)) for p in MEASURED}


def derived_flags(expect: dict) -> list:
    m = [expect[p] for p in CAS_ERA]
    flags = []
    if any(expect[p]["outcome"] == "wrong_bytes" for p in MEASURED):
        flags.append("SilentCorruption")
    if any(e.get("error") == "unhandled" for e in m):
        flags.append("UnhandledException")
    strict_ok = expect["strict"]["outcome"] == "ok"
    if not strict_ok and any(e["outcome"] == "ok" for e in m):
        flags.append("StrictRejectsAccepted")
    # a profile that does not know the format (legacy on v2, v2-nolz4 on v2) failing cleanly is by design
    by_design = ("version_unsupported", "codec_unavailable")
    if strict_ok and any(e["outcome"] != "ok" and e.get("error") not in by_design for e in m):
        flags.append("StrictAcceptsRejected")
    return flags


def build_manifest(groups) -> dict:
    tests_total = 0
    tgroups = []
    used_flags = set()
    tc = 0
    for mod, cs in groups:
        tests = []
        for c in cs:
            tc += 1
            expect = measure(c.blob, c.sidecar, c.key)
            expect["strict"] = dict(c.strict)
            flags = list(dict.fromkeys(list(c.flags) + derived_flags(expect)))
            used_flags.update(flags)
            t = {
                "tcId": tc,
                "name": c.name,
                "comment": c.comment,
                "flags": flags,
                "producer": c.producer,
                "dir": "cases/" + c.name,
                "key": c.key,
                "sidecar": c.sidecar is not None,
                "content": {"sha1": sha1(c.content), "size": len(c.content)},
                "blob": {"sha1": sha1(c.blob), "size": len(c.blob)},
            }
            if c.sidecar is not None:
                t["sidecarSha1"] = sha1(c.sidecar)
            if c.other_files:
                t["otherFiles"] = [{"path": path, "sha1": sha1(data), "size": len(data)}
                                   for path, data in sorted(c.other_files.items())]
            if c.references:
                t["references"] = list(c.references)
            if c.max_size is not None:
                t["maxSize"] = c.max_size
            t["expect"] = {p: expect[p] for p in PROFILES}
            tests.append(t)
        tests_total += len(tests)
        source = {"name": mod.__name__, "version": GENERATOR_VERSION}
        tgroups.append({"type": mod.TYPE, "comment": mod.COMMENT, "source": source, "tests": tests})
    missing = used_flags - set(notes.NOTES)
    assert not missing, "flags without notes: %s" % sorted(missing)
    return {
        "schema": SCHEMA,
        "numberOfTests": tests_total,
        "header": notes.HEADER,
        "profiles": notes.PROFILES,
        "environment": environment(),
        "notes": {k: {"description": d, "effect": e} for k, (d, e) in sorted(notes.NOTES.items()) if k in used_flags},
        "testGroups": tgroups,
    }


def environment() -> dict:
    import lz4

    return {
        "python": "%d.%d" % sys.version_info[:2],
        "python-lz4": lz4.__version__.split("+")[0],
    }


def dump_json(obj) -> bytes:
    return (json.dumps(obj, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def write_corpus(groups, manifest: dict, out_dir: str) -> None:
    cases_dir = os.path.join(out_dir, "cases")
    if os.path.isdir(cases_dir):
        shutil.rmtree(cases_dir)
    for _, cs in groups:
        for c in cs:
            d = os.path.join(cases_dir, c.name, c.key[:2])
            os.makedirs(d)
            with open(os.path.join(d, c.key), "wb") as f:
                f.write(c.blob)
            if c.sidecar is not None:
                with open(os.path.join(d, c.key + "_meta"), "wb") as f:
                    f.write(c.sidecar)
            for path, data in c.other_files.items():
                full = os.path.join(cases_dir, c.name, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "wb") as f:
                    f.write(data)
    with open(os.path.join(out_dir, "manifest.json"), "wb") as f:
        f.write(dump_json(manifest))


def tree_digest(root: str) -> dict:
    """Relative path -> SHA-1 of every file under ``root``."""
    out = {}
    for dirpath, _, files in os.walk(root):
        for fn in files:
            p = os.path.join(dirpath, fn)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = hashlib.sha1(f.read()).hexdigest()
    return out
