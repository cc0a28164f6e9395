"""The allow-list: named (rule, base) violations accepted, each with a written reason.

```json
{"schema": "casconf-gate-allow/1",
 "allow": [{"rule": "FORWARD_CLEAN", "base": "2.3.6",
            "reason": "pre-CAS readers never read the sidecar: a v2 blob raises BadGzipFile"}]}
```

``base`` names a ``--base`` (or ``corpus``, BACKWARD_TRANSITIVE's fixture row); left out or
null, the entry names the rule's head row (ROUNDTRIP, the head's SIDECAR_LOSS_SAFE). A failing
row that an entry names becomes ``allowed``: reported with its violations and the reason, not
failing the gate. An entry that names nothing that failed is reported as unused."""

from __future__ import annotations

import json
from dataclasses import dataclass

from casconf.gate.rules import ALLOWED, FAIL, RULE_NAMES

SCHEMA = "casconf-gate-allow/1"


class AllowListError(Exception):
    """The file is not a valid allow-list (one line; the gate's exit status 2)."""


@dataclass(frozen=True)
class Entry:
    rule: str
    base: str | None
    reason: str

    def to_json(self) -> dict:
        return {"rule": self.rule, "base": self.base, "reason": self.reason}


def load(path: str) -> list[Entry]:
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
    except OSError as exc:
        raise AllowListError("%s: %s" % (path, exc.strerror or exc)) from None
    except ValueError as exc:
        raise AllowListError("%s: not JSON: %s" % (path, exc)) from None
    if not isinstance(doc, dict) or set(doc) - {"schema", "allow"} or doc.get("schema") != SCHEMA:
        raise AllowListError('%s: expected {"schema": "%s", "allow": [...]}' % (path, SCHEMA))
    entries = []
    for i, item in enumerate(doc.get("allow") or []):
        where = "%s: allow[%d]" % (path, i)
        if not isinstance(item, dict) or set(item) - {"rule", "base", "reason"}:
            raise AllowListError("%s: expected an object with rule, base and reason" % where)
        if item.get("rule") not in RULE_NAMES:
            raise AllowListError("%s: unknown rule %r (rules: %s)" % (where, item.get("rule"), ", ".join(RULE_NAMES)))
        base = item.get("base")
        if base is not None and (not isinstance(base, str) or not base):
            raise AllowListError("%s: base must be a base's name or null" % where)
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise AllowListError("%s: %s%s is allowed without a written reason" %
                                 (where, item["rule"], "" if base is None else " " + base))
        entries.append(Entry(item["rule"], base, " ".join(reason.split())))
    return entries


def apply(rows, entries: list[Entry]) -> list[Entry]:
    """Marks failing rows named by an entry ``allowed`` (with its reason); returns the unused entries."""
    used = set()
    for row in rows:
        for e in entries:
            if (e.rule, e.base) == (row.rule, row.base) and row.status == FAIL:
                row.status, row.allowed_reason = ALLOWED, e.reason
                used.add(e)
    return [e for e in entries if e not in used]
