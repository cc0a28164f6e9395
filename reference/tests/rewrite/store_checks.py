"""Helpers of the migrate / repair checks (cli_checks.py, crash_checks.py): stores from
fixtures/stores/storegen.py, snapshots of every file, and every blob read under every profile:
the C++ profiles through `casblob audit --json`, the modelled ones through the Python Metaflow
model (python/metaflow_model: Python's real gzip, lz4.frame and json), which is ground truth.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
STOREGEN = os.path.join(REPO, "fixtures", "stores", "storegen.py")
PY = "/usr/bin/python3"
KEY = re.compile(r"^[0-9a-f]{40}$")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)
    return cond


def finish(name):
    if failures:
        print(f"{name}: {len(failures)} failure(s)", file=sys.stderr)
        return 1
    print(f"{name}: ok")
    return 0


def storegen(root, *args):
    subprocess.run([PY, STOREGEN, root, *args], check=True, stdout=subprocess.DEVNULL)


def run(casblob, *args, env=None, expect=None):
    p = subprocess.run([casblob, *args], capture_output=True, text=True, env=env)
    if expect is not None and p.returncode != expect:
        print(p.stdout, p.stderr, file=sys.stderr)
        check(False, f"{' '.join(args)}: exit {p.returncode}, expected {expect}")
    return p


def snapshot(root):
    """Every file below root: relative path -> (bytes, mtime_ns)."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = (fh.read(), os.stat(p).st_mtime_ns)
    return out


def blob_paths(root):
    """Relative paths of every blob (<Flow>/data/<kk>/<key>)."""
    out = []
    for flow in sorted(os.listdir(root)):
        data = os.path.join(root, flow, "data")
        if not os.path.isdir(data):
            continue
        for kk in sorted(os.listdir(data)):
            for name in sorted(os.listdir(os.path.join(data, kk))):
                if KEY.match(name) and name.startswith(kk):
                    out.append(os.path.join(flow, "data", kk, name))
    return out


def temp_files(root):
    return [p for p in snapshot(root) if ".casblob-tmp-" in p]


MODEL_SCRIPT = r"""
import hashlib, json, os, sys
from metaflow_model import PROFILES, read_outcome
root, paths = sys.argv[1], json.loads(sys.stdin.read())
out = {}
for rel in paths:
    p = os.path.join(root, rel)
    blob = open(p, "rb").read()
    side = open(p + "_meta", "rb").read() if os.path.exists(p + "_meta") else None
    out[rel] = {prof: read_outcome(blob, side, prof, os.path.basename(p)) for prof in PROFILES}
    # The payload is the content itself (stored raw): what a reader that ignores sidecars misreads.
    out[rel]["payload_is_content"] = hashlib.sha1(blob).hexdigest() == os.path.basename(p)
# Which modelled readers read sidecars at all: a raw blob with its raw sidecar reads right.
raw = b"not gzip"
sidecar_readers = [prof for prof in PROFILES
                   if read_outcome(raw, b'{"cas_raw": true, "cas_version": 1}', prof, hashlib.sha1(raw).hexdigest())["outcome"] == "ok"]
sys.stdout.write(json.dumps({"blobs": out, "sidecar_readers": sidecar_readers}))
"""


def model_reads(root, paths=None, with_readers=False):
    """{blob path: {profile: outcome dict, "payload_is_content": bool}} through python/metaflow_model
    (pre-cas, legacy, v2, v2-nolz4); with_readers: also the profiles that read sidecars."""
    paths = blob_paths(root) if paths is None else paths
    p = subprocess.run([PY, "-c", MODEL_SCRIPT, root], input=json.dumps(paths), capture_output=True, text=True,
                       cwd=os.path.join(REPO, "python"), check=True)
    out = json.loads(p.stdout)
    if with_readers:
        return out["blobs"], set(out["sidecar_readers"]) | {"strict"}
    for o in out["blobs"].values():
        o.pop("payload_is_content")
    return out["blobs"]


def audit(casblob, root, *args):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        path = f.name
    try:
        p = run(casblob, "audit", "--no-progress", "--jobs", "1", "--json", path, *args, root)
        with open(path) as f:
            return json.load(f), p
    finally:
        os.unlink(path)


def readers(rep):
    return {r["id"]: r for r in rep["readers"] if not r["derived"]}


def encodings(rep):
    return {k: v["blobs"] for k, v in rep["space"]["by_encoding"].items()}


def no_wrong_bytes(casblob, root, what, cas_era_clean=True, model=True):
    """Every blob under every profile. A profile that reads sidecars (the CAS-era readers: legacy,
    v2, v2-nolz4, strict) returns no wrong bytes and, with cas_era_clean, no unhandled error
    either: right bytes or a clean error. A profile that ignores sidecars (pre-CAS Metaflow
    gunzips every payload) returns wrong bytes only where the payload is the content itself
    (a raw blob whose content is gzip: so at either end of the rewrite too). The C++ profiles are
    read through `casblob audit`, the modelled ones through python/metaflow_model. Returns the
    number of (blob, profile) readings checked."""
    blobs, sidecar_readers = model_reads(root, with_readers=True)
    rep, _ = audit(casblob, root)
    n = 0
    for r in readers(rep).values():
        n += r["right"] + r["clean_error"] + r["unhandled"] + r["wrong_bytes"]
        if r["id"] in sidecar_readers:
            check(r["wrong_bytes"] == 0, f"{what}: {r['wrong_bytes']} blobs WRONG BYTES under {r['id']}")
            if cas_era_clean:
                check(r["unhandled"] == 0, f"{what}: {r['unhandled']} blobs unhandled under {r['id']}: {r['errors']}")
    for f in rep["findings"]:
        if f["id"] != "wrongBytesUnder":
            continue
        for prof in f["profiles"]:
            if prof not in sidecar_readers:
                check(blobs.get(f["path"], {}).get("payload_is_content"),
                      f"{what}: {f['path']} WRONG BYTES under {prof} and its payload is not its content")
    if model:
        for path, outs in blobs.items():
            for prof, o in outs.items():
                if prof == "payload_is_content":
                    continue
                n += 1
                if prof in sidecar_readers:
                    check(o["outcome"] != "wrong_bytes", f"{what}: {path} WRONG BYTES under the model's {prof}")
                    if cas_era_clean:
                        check(o.get("error") != "unhandled", f"{what}: {path} unhandled under the model's {prof}: {o}")
                else:
                    check(o["outcome"] != "wrong_bytes" or outs["payload_is_content"],
                          f"{what}: {path} WRONG BYTES under the model's {prof} and its payload is not its content")
    return n
