"""The one reader of ``fixtures/manifest.json`` (schema ``casblob-fixtures/1``, fixtures/README.md).

Every consumer in this repository reads the corpus through ``load``: the conformance driver,
the lint, ``generate --check``, the spec tools and ``--verify-metaflow``. Unknown keys are
ignored, as fixtures/README.md asks of every consumer; missing required ones are a
``ManifestError``."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

_KEY = re.compile(r"^[0-9a-f]{40}$")


class ManifestError(Exception):
    pass


@dataclass(frozen=True)
class Case:
    tc_id: int
    name: str
    group: str
    flags: tuple[str, ...]
    key: str
    dir: str             # relative to the fixtures folder: cases/<name>
    blob: str            # absolute path of the stored blob
    meta: str | None     # absolute path of its sidecar, None when the case has none
    expect: dict         # profile -> {"outcome": ..., ...}
    max_size: int | None = None
    comment: str = ""
    producer: str = ""
    content: dict = field(default_factory=dict)       # {"sha1", "size"} of what the writer meant
    blob_digest: dict | None = None                   # {"sha1", "size"} of the stored blob
    sidecar_sha1: str | None = None
    other_files: tuple = ()                           # ({"path", "sha1", "size"}, ...) beside the blob
    references: tuple[str, ...] = ()                  # "<owner>/<repo>#<n>": where the damage comes from


@dataclass
class Manifest:
    path: str
    root: str                               # the fixtures folder (absolute)
    schema: str
    cases: list[Case]
    groups: list[str]                       # testGroups types, manifest order
    notes: dict = field(default_factory=dict)
    profiles: dict = field(default_factory=dict)
    number_of_tests: int | None = None
    doc: dict = field(default_factory=dict, repr=False)  # the parsed JSON, for schema checks

    def flags(self) -> list[str]:
        seen = {}
        for case in self.cases:
            for flag in case.flags:
                seen.setdefault(flag, None)
        return sorted(seen)

    def by_name(self) -> dict[str, Case]:
        return {c.name: c for c in self.cases}


def checkout_root() -> str | None:
    """The repository these packages run from (python/ sits beside fixtures/), or None when
    they are installed elsewhere."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if os.path.isfile(os.path.join(here, "fixtures", "manifest.schema.json")):
        return here
    return None


def default_fixtures_dir() -> str:
    """The checkout's fixtures/ when run in place, else ./fixtures (an installed package run
    from the root of a casblob clone)."""
    root = checkout_root()
    return os.path.join(root, "fixtures") if root else os.path.abspath("fixtures")


def _check_case_paths(root: str, name, key, case_dir) -> None:
    """A manifest is input too (F10 of the reliability issue): a key that is not 40 lowercase hex
    digits, or a case folder that is absolute, has a `..` segment or resolves outside the
    fixtures folder, would make every consumer read a file it was never meant to."""
    if not isinstance(key, str) or not _KEY.match(key):
        raise ManifestError("test %r: key %r is not 40 lowercase hex digits" % (name, key))
    if not isinstance(case_dir, str) or not case_dir or os.path.isabs(case_dir) or \
            any(part in ("", ".", "..") for part in case_dir.replace("\\", "/").split("/")):
        raise ManifestError("test %r: dir %r must be a relative path inside the fixtures folder" % (name, case_dir))
    real_root = os.path.realpath(root)
    real_dir = os.path.realpath(os.path.join(root, case_dir))
    if os.path.commonpath([real_root, real_dir]) != real_root:
        raise ManifestError("test %r: dir %r leads outside the fixtures folder" % (name, case_dir))


def load(fixtures_dir: str) -> Manifest:
    root = os.path.abspath(fixtures_dir)
    path = os.path.join(root, "manifest.json")
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise ManifestError("no manifest at %s (generate the fixtures first, or give --fixtures DIR)" % path) from None
    except ValueError as exc:
        raise ManifestError("%s is not valid JSON: %s" % (path, exc)) from None
    if not isinstance(doc, dict):
        raise ManifestError("%s is not a JSON object" % path)
    schema = doc.get("schema", "")
    if not str(schema).startswith("casblob-fixtures/"):
        raise ManifestError("%s: unknown schema %r" % (path, schema))
    cases, groups = [], []
    for group in doc.get("testGroups", []):
        gtype = group.get("type", "?")
        if gtype not in groups:
            groups.append(gtype)
        for t in group.get("tests", []):
            try:
                key = t["key"]
                _check_case_paths(root, t.get("name"), key, t["dir"])
                blob = os.path.join(root, t["dir"], key[:2], key)
                cases.append(Case(
                    tc_id=int(t["tcId"]), name=t["name"], group=gtype,
                    flags=tuple(t.get("flags", ())), key=key, dir=t["dir"], blob=blob,
                    meta=blob + "_meta" if t["sidecar"] else None,
                    expect=t["expect"], max_size=t.get("maxSize"),
                    comment=t.get("comment", ""), producer=t.get("producer", ""),
                    content=t.get("content", {}), blob_digest=t.get("blob"),
                    sidecar_sha1=t.get("sidecarSha1"),
                    other_files=tuple(t.get("otherFiles", ())), references=tuple(t.get("references", ())),
                ))
            except (KeyError, TypeError, ValueError) as exc:
                name = t.get("name") if isinstance(t, dict) else None
                raise ManifestError("%s: bad test %r: %s" % (path, name, exc)) from None
    declared = doc.get("numberOfTests")
    if declared is not None and declared != len(cases):
        raise ManifestError("%s: numberOfTests %s but %d tests" % (path, declared, len(cases)))
    return Manifest(path=path, root=root, schema=schema, cases=cases, groups=groups,
                    notes=doc.get("notes", {}), profiles=doc.get("profiles", {}),
                    number_of_tests=declared, doc=doc)
