"""One run: produce write-check blobs, read everything with every (implementation, profile)
(one ``read`` call per pair, pairs in parallel), judge, and summarise."""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from casconf.checks import read as read_check
from casconf.checks import safety
from casconf.checks import write as write_check
from casconf.model import FAILING, NOT_RUN, PASS, STATUSES, Response


@dataclass
class RunResult:
    entries: list[dict]
    summary: dict
    implementations: list[dict]            # name, profiles, available, reason, seconds
    seconds: float
    manifest: object = None
    notes: list[str] = field(default_factory=list)


def _read_pair(adapter, profile, requests):
    t0 = time.monotonic()
    try:
        responses = adapter.read(profile, requests)
        if len(responses) != len(requests):
            raise RuntimeError("adapter returned %d responses for %d requests" % (len(responses), len(requests)))
    except Exception as exc:  # a broken adapter marks its pair crashed, the run goes on
        responses = [Response.crash("adapter error: %s: %s" % (type(exc).__name__, exc))] * len(requests)
    return responses, time.monotonic() - t0


def summarize(entries) -> dict:
    summary: dict[str, dict] = {}
    for e in entries:
        s = summary.setdefault("%s/%s" % (e["implementation"], e["profile"]), {
            "pass": 0, "fail": 0, "silent_corruption": 0, "silent_corruption_unexpected": 0,
            "not_run": 0, "warnings": 0, "statuses": {st: 0 for st in STATUSES},
            "by_check": {}})
        st = e["status"]
        s["statuses"][st] += 1
        s["pass"] += st == PASS
        s["fail"] += st in FAILING
        s["not_run"] += st == NOT_RUN
        s["warnings"] += len(e.get("warnings", ()))
        if e.get("silent_corruption"):
            s["silent_corruption"] += 1
            s["silent_corruption_unexpected"] += not e["expected_hazard"]
        c = s["by_check"].setdefault(e["check"], {"pass": 0, "fail": 0, "not_run": 0})
        c["pass"] += st == PASS
        c["fail"] += st in FAILING
        c["not_run"] += st == NOT_RUN
    return summary


def run(adapters, manifest, checks=("read", "write"), jobs: int = 3, profiles=None) -> RunResult:
    t0 = time.monotonic()
    info, available = [], []
    for a in adapters:
        why = a.unavailable()
        info.append({"name": a.name, "profiles": list(a.profiles), "available": why is None,
                     "reason": why, "seconds": {}})
        if why is None:
            available.append(a)
    entries: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="casconf-write-") as workdir:
        write_cases = []
        if "write" in checks:
            write_cases, encode_entries = write_check.produce([a for a in available if a.write_versions], workdir)
            entries.extend(safety.annotate(e) for e in encode_entries)
        pairs = []
        for a, inf in zip(adapters, info):
            for profile in a.profiles:
                if profiles and profile not in profiles:
                    continue
                fixtures = read_check.cases_for(manifest, profile) if "read" in checks else []
                pairs.append((a, inf, profile, fixtures, write_cases))
        futures = []
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for a, inf, profile, fixtures, wcases in pairs:
                requests = [read_check.request(c) for c in fixtures] + [c.request() for c in wcases]
                if inf["available"]:
                    futures.append(pool.submit(_read_pair, a, profile, requests))
                else:
                    futures.append(None)
            for (a, inf, profile, fixtures, wcases), fut in zip(pairs, futures):
                if fut is None:
                    responses = [Response.not_run(inf["reason"])] * (len(fixtures) + len(wcases))
                else:
                    responses, seconds = fut.result()
                    inf["seconds"][profile] = round(seconds, 3)
                for case, resp in zip(fixtures, responses):
                    entries.append(safety.annotate(read_check.judge(
                        case, profile, a.name, resp, a.lenient_implementation_defined)))
                for case, resp in zip(wcases, responses[len(fixtures):]):
                    entries.append(safety.annotate(write_check.judge(case, profile, a.name, resp)))
    for a, inf in zip(adapters, info):
        if hasattr(a, "fallbacks"):
            inf["batch_fallbacks"] = a.fallbacks
    return RunResult(entries=entries, summary=summarize(entries), implementations=info,
                     seconds=time.monotonic() - t0, manifest=manifest)
