"""Loading ``fixtures/manifest.json`` (schema ``casblob-fixtures/1``, fixtures/README.md)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from casconf.model import ReadRequest


class ManifestError(Exception):
    pass


@dataclass(frozen=True)
class Case:
    tc_id: int
    name: str
    group: str
    flags: tuple[str, ...]
    key: str
    blob: str            # absolute path of the stored blob
    meta: str | None     # absolute path of its sidecar, None when the case has none
    expect: dict         # profile -> {"outcome": ..., ...}
    max_size: int | None = None
    comment: str = ""

    def request(self) -> ReadRequest:
        return ReadRequest(self.blob, self.meta, self.key, self.max_size)


@dataclass
class Manifest:
    path: str
    schema: str
    cases: list[Case]
    groups: list[str]                       # testGroups types, manifest order
    notes: dict = field(default_factory=dict)

    def flags(self) -> list[str]:
        seen = {}
        for case in self.cases:
            for flag in case.flags:
                seen.setdefault(flag, None)
        return sorted(seen)


def default_fixtures_dir() -> str:
    """``fixtures/`` of the repository this package lives in (conformance/casconf/..)."""
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "fixtures"))


def load(fixtures_dir: str) -> Manifest:
    path = os.path.join(fixtures_dir, "manifest.json")
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
    except FileNotFoundError:
        raise ManifestError("no manifest at %s (generate the fixtures first)" % path) from None
    except ValueError as exc:
        raise ManifestError("%s is not valid JSON: %s" % (path, exc)) from None
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
                prefix = os.path.join(fixtures_dir, t["dir"])
                blob = os.path.join(prefix, key[:2], key)
                cases.append(Case(
                    tc_id=int(t["tcId"]), name=t["name"], group=gtype,
                    flags=tuple(t.get("flags", ())), key=key, blob=blob,
                    meta=blob + "_meta" if t.get("sidecar") else None,
                    expect=t["expect"], max_size=t.get("maxSize"),
                    comment=t.get("comment", ""),
                ))
            except (KeyError, TypeError, ValueError) as exc:
                raise ManifestError("%s: bad test %r: %s" % (path, t.get("name"), exc)) from None
    declared = doc.get("numberOfTests")
    if declared is not None and declared != len(cases):
        raise ManifestError("%s: numberOfTests %s but %d tests" % (path, declared, len(cases)))
    return Manifest(path=path, schema=schema, cases=cases, groups=groups,
                    notes=doc.get("notes", {}))
