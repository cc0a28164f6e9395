#!/usr/bin/python3
"""Crash tests of `casblob migrate --apply` (spec 3.5, R-MIG-1; issue 16 item 4).

  crash_checks.py --casblob BIN sweep [--stride-write K] [--json FILE]
      the failpoint sweep: for every n, CASBLOB_FAILPOINT=<op>:n kills the migrate right after
      its n-th write(2), fsync or rename, on a copy of the same store, in every direction
      (v1/v2/raw -> v2 with raw included, -> v1, -> raw); after each kill every blob is read
      under every profile; then a run without failpoint finishes and every blob is in the target.
  crash_checks.py --casblob BIN kills --kills N [--seed S] [--json FILE]
      N SIGKILLs at random moments of migrate --apply (--jobs 2) over a store of v1, v2 and raw
      blobs of many sizes, the target cycling 2 -> 1 -> raw -> 2 ...; every blob read under every
      profile after each kill; every run that completes is checked to be all in its target.

After a kill: no profile returns wrong bytes (the C++ profiles through `casblob audit`, legacy,
v2 and v2-nolz4 through the Python Metaflow model), and none raises an unhandled error: every
reading is right bytes or a clean error. Prints (and with --json writes) the counts: kills,
states checked (blob x profile readings), wrong bytes found (must be 0).
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

from store_checks import audit, blob_paths, check, encodings, finish, model_reads, no_wrong_bytes, readers, storegen, temp_files

TARGETS = [("2", ["--include-raw"]), ("1", ["--include-raw"]), ("raw", [])]
ENC = {"2": "v2", "1": "v1", "raw": "raw"}


class Counts:
    def __init__(self):
        self.kills = self.states = self.runs_completed = self.temp_left = 0  # temp_left: the most after one kill
        self.by_op = {}

    def as_dict(self, seconds):
        bad = [f for f in __import__("store_checks").failures]
        return {"kills": self.kills, "kills_by_op": self.by_op, "states_checked": self.states,
                "wrong_bytes": sum("WRONG BYTES" in f for f in bad), "unhandled": sum("unhandled" in f for f in bad),
                "failures": len(bad), "runs_completed": self.runs_completed,
                "most_temporary_files_after_a_kill": self.temp_left, "seconds": round(seconds, 1)}


def make_store(root, seed, small):
    if small:  # the sweep: few blobs, every kind (v1, v2, raw, a compressible raw, an empty one)
        storegen(root, "--blobs", "6", "--seed", str(seed), "--v2-fraction", "0.4", "--damage", "raw_transfer")
    else:
        storegen(root, "--blobs", "120", "--seed", str(seed), "--v2-fraction", "0.4", "--large", "3",
                 "--large-size", "1500000", "--damage", "raw_transfer")


def migrate(casblob, root, journal, to, extra, env=None, resume=False):
    args = [casblob, "migrate", "--apply", "--quiet", "--to", to, *extra, "--journal", journal]
    if resume:
        args.append("--resume")
    return subprocess.Popen(args + [root], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def check_after_kill(casblob, root, what, counts):
    counts.states += no_wrong_bytes(casblob, root, what)
    counts.temp_left = max(counts.temp_left, len(temp_files(root)))


def check_complete(casblob, root, to, what, counts):
    rep, _ = audit(casblob, root)
    total = len(blob_paths(root))
    enc = encodings(rep)
    if to == "1":
        check(enc.get("v1", 0) + enc.get("raw", 0) == total and enc.get("raw", 0) == 0, f"{what}: every blob v1: {enc}")
    else:
        check(enc == {ENC[to]: total}, f"{what}: every blob {ENC[to]}: {enc}")
    check(readers(rep)["strict"]["right"] == total, f"{what}: every blob reads right under strict")
    prof = {"1": "legacy", "2": "v2", "raw": "legacy"}[to]
    bad = [p for p, o in model_reads(root).items() if o[prof]["outcome"] != "ok"]
    check(not bad, f"{what}: {len(bad)} blobs do not read right under the model's {prof}")
    counts.runs_completed += 1


def sweep(casblob, tmp, stride_write, counts):
    base = os.path.join(tmp, "base")
    make_store(base, 21, small=True)
    for to, extra in TARGETS:
        for op in ("rename", "fsync", "write"):
            n = 1
            while True:
                root = os.path.join(tmp, f"s-{to}-{op}-{n}")
                shutil.copytree(base, root, symlinks=True)
                journal = root + ".jsonl"
                env = dict(os.environ, CASBLOB_FAILPOINT=f"{op}:{n}")
                p = migrate(casblob, root, journal, to, extra, env=env)
                p.communicate()
                if p.returncode != -9:  # fewer than n such operations: the run completed
                    check(p.returncode == 0, f"--to {to}: the run without a kill exits 0, not {p.returncode}")
                    check_complete(casblob, root, to, f"--to {to}, {op}:{n} not reached", counts)
                    shutil.rmtree(root)
                    break
                counts.kills += 1
                counts.by_op[op] = counts.by_op.get(op, 0) + 1
                check_after_kill(casblob, root, f"--to {to} killed after {op} {n}", counts)
                # The same run again finishes the job (R-MIG-5: proofs, no journal needed).
                p = migrate(casblob, root, journal + ".2", to, extra)
                p.communicate()
                check(p.returncode == 0, f"--to {to} after {op} {n}: the re-run exits 0, not {p.returncode}")
                check_complete(casblob, root, to, f"--to {to}, re-run after {op} {n}", counts)
                shutil.rmtree(root)
                n += stride_write if op == "write" else 1


def kills(casblob, tmp, n_kills, seed, counts):
    rng = random.Random(seed)
    root = os.path.join(tmp, "store")
    make_store(root, seed, small=False)
    # Calibrate: how long a whole run takes here (a copy, each direction once).
    cal = os.path.join(tmp, "cal")
    shutil.copytree(root, cal, symlinks=True)
    durations = []
    for i, (to, extra) in enumerate(TARGETS):
        t0 = time.monotonic()
        p = migrate(casblob, cal, os.path.join(tmp, f"cal{i}.jsonl"), to, extra + ["--jobs", "2"])
        p.communicate()
        durations.append(time.monotonic() - t0)
    shutil.rmtree(cal)
    span = max(durations)
    ti, journal, run = 0, None, 0
    while counts.kills < n_kills:
        to, extra = TARGETS[ti % len(TARGETS)]
        run += 1
        resume = journal is not None and rng.random() < 0.5
        if not resume:
            journal = os.path.join(tmp, f"run{run}.jsonl")
        p = migrate(casblob, root, journal, to, extra + ["--jobs", "2"], resume=resume)
        time.sleep(rng.uniform(0, 0.7 * span))  # later runs of a direction have less to do
        if p.poll() is None:
            p.kill()
            p.wait()
            counts.kills += 1
            check_after_kill(casblob, root, f"kill {counts.kills} (--to {to})", counts)
        else:
            _, err = p.communicate()
            check(p.returncode == 0, f"run {run} --to {to} exits 0, not {p.returncode}: {err.strip()}")
            check_complete(casblob, root, to, f"run {run} --to {to}", counts)
            ti, journal = ti + 1, None
    # Finish: one more run to completion in the current direction.
    to, extra = TARGETS[ti % len(TARGETS)]
    p = migrate(casblob, root, os.path.join(tmp, "last.jsonl"), to, extra)
    p.communicate()
    check(p.returncode == 0, f"the last run --to {to} exits 0")
    check_complete(casblob, root, to, f"last run --to {to}", counts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--casblob", required=True)
    ap.add_argument("mode", choices=["sweep", "kills"])
    ap.add_argument("--kills", type=int, default=30)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stride-write", type=int, default=1)
    ap.add_argument("--json")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="casblob-crash-")
    counts = Counts()
    t0 = time.monotonic()
    try:
        if a.mode == "sweep":
            sweep(a.casblob, tmp, a.stride_write, counts)
        else:
            kills(a.casblob, tmp, a.kills, a.seed, counts)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = counts.as_dict(time.monotonic() - t0)
    check(counts.kills > 0, "at least one kill happened")
    print(json.dumps(out))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)
    return finish(a.mode)


if __name__ == "__main__":
    sys.exit(main())
