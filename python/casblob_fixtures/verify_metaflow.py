"""``generate --verify-metaflow SRC [--profile legacy|v2]``: replays the corpus through REAL
Metaflow source and compares with the manifest column.

SRC is a directory containing the ``metaflow`` package (``git archive <commit> metaflow`` of
Netflix/metaflow for ``legacy``, or of the PR #3090 commit for ``v2``). Each case folder is used
as a LocalStorage root with CAS prefix "" (blobs at <case>/<kk>/<key>, as under
<root>/<Flow>/data), ContentAddressedStore.load_blobs reads the key, and the outcome is
compared: ok / wrong_bytes (with sha1) / clean MetaflowException vs unhandled (with the
exception class)."""

from __future__ import annotations

import hashlib
import os

from casblob_fixtures.manifest import load
from casblob_fixtures.real_metaflow import cas_api


def verify(fixtures: str, src: str, profile: str) -> int:
    ContentAddressedStore, _, LocalStorage, MetaflowException = cas_api(src)
    agree = disagree = 0
    for case in load(fixtures).cases:
        cas = ContentAddressedStore("", LocalStorage(os.path.join(fixtures, case.dir)))
        want = case.expect[profile]
        try:
            ((_, data),) = list(cas.load_blobs([case.key]))
            s = hashlib.sha1(data).hexdigest()
            got = {"outcome": "ok"} if s == case.key else {"outcome": "wrong_bytes", "sha1": s}
        except MetaflowException as e:
            got = {"outcome": "error", "error": "clean (%s)" % type(e).__name__}
        except Exception as e:  # noqa: BLE001 - that is the point
            got = {"outcome": "error", "error": "unhandled", "exception": type(e).__name__}
        same = got["outcome"] == want["outcome"]
        if same and want["outcome"] == "wrong_bytes":
            same = got["sha1"] == want["sha1"]
        if same and want["outcome"] == "error":
            same = (want["error"] == "unhandled") == (got["error"] == "unhandled")
            if same and want["error"] == "unhandled":
                same = want.get("exception") == got.get("exception")
        if same:
            agree += 1
        else:
            disagree += 1
            print("verify-metaflow: %s: manifest %s, Metaflow %s" % (case.name, want, got))
    print("verify-metaflow (%s, %s): %d agree, %d disagree" % (profile, src, agree, disagree))
    return 1 if disagree else 0
