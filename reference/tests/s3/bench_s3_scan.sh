#!/usr/bin/env bash
# The issue-18 measurement: a store of SMALL small and LARGE large blobs, written once to a local
# datastore and once to s3rver (started here on 127.0.0.1, stopped on exit), then scanned as an
# audit at --level data would (casblob_s3_scan_bench: list, sidecar, stream, strict decode with
# the SHA-1 check) with 1, 8 and 32 parallel requests on S3 and 1 and 2 workers locally.
# Then the same with `casblob audit` itself.
#   bench_s3_scan.sh BUILD_DIR [SMALL=20000] [LARGE=50] [LARGE_MIB=8] [RUNS=3]
# s3rver is addressed directly (not through the test proxy). Prints one JSON line per run and
# the median per configuration. Timings on a shared 2-core VM are noisy: compare within one run.
set -euo pipefail
build=$(cd "$1" && pwd); small=${2:-20000}; large=${3:-50}; large_mib=${4:-8}; runs=${5:-3}
here=$(cd "$(dirname "$0")" && pwd)
cli=$build/bin/casblob
scan=$build/reference/tests/s3/casblob_s3_scan_bench
work=$(mktemp -d "${TMPDIR:-/tmp}/casblob-s3bench-XXXXXX")
trap '/usr/bin/python3 "$here/s3_server.py" stop "$work/server" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

/usr/bin/python3 - "$work/in" "$small" "$large" "$large_mib" <<'PY'
import os, pickle, random, sys
import numpy as np
out, small, large, mib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
os.makedirs(out)
rng = random.Random(18)
for i in range(small):  # artifacts as Metaflow pickles them: small dicts, lists, strings
    obj = {"step": "train_%d" % i, "params": [rng.random() for _ in range(rng.randint(5, 400))], "ok": True}
    open(os.path.join(out, "s%06d" % i), "wb").write(pickle.dumps(obj, protocol=4))
for i in range(large):  # large arrays: a smooth float64 series
    a = np.cumsum(np.random.default_rng(i).normal(size=mib * 131072)).astype(np.float64)
    open(os.path.join(out, "l%03d" % i), "wb").write(pickle.dumps(a, protocol=4))
PY

state=$(/usr/bin/python3 "$here/s3_server.py" start "$work/server")
endpoint=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(sys.argv[1])["server_endpoint"])' "$state")
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_ENDPOINT_URL_S3=$endpoint
/usr/bin/python3 -c "import boto3,sys; boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1').create_bucket(Bucket='bench')" "$endpoint"

put() {  # ROOT JOBS: every input file, in batches (argv length)
  (cd "$work/in" && ls | xargs -n 2000 "$cli" put --root "$1" --flow BenchFlow --jobs "$2" >/dev/null)
}
t0=$(date +%s.%N); put "$work/local" 2; t1=$(date +%s.%N); put s3://bench/ds 16; t2=$(date +%s.%N)
echo "{\"write_local_s\": $(echo "$t1 - $t0" | bc), \"write_s3_jobs16_s\": $(echo "$t2 - $t1" | bc), \"state\": $state}"

# `casblob audit` itself (level data: every blob decoded under strict with its key, every
# profile's reading recorded, task indexes walked), timed from outside; its report gives the
# counts. One JSON line in the scan tool's shape.
audit() {  # ROOT JOBS
  local t0 t1
  t0=$(date +%s.%N)
  # --flow: s3rver leaves a flow out of a delimited listing of the root (spec 4.2.2).
  "$cli" audit --no-progress --jobs "$2" --flow BenchFlow --json "$work/audit.json" "$1" >/dev/null || [ $? -le 1 ]
  t1=$(date +%s.%N)
  /usr/bin/python3 - "$work/audit.json" "$1" "$2" "$(echo "$t1 - $t0" | bc)" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
objects, stored = r["counts"]["blobs"], r["space"]["total"]["stored_bytes"]
sec = float(sys.argv[4])
print(json.dumps({"tool": "audit", "root": sys.argv[2], "jobs": int(sys.argv[3]), "objects": objects,
                  "stored_bytes": stored, "seconds": sec, "objects_per_s": round(objects / sec, 1),
                  "mb_per_s": round(stored / 1e6 / sec, 1)}))
PY
}

results=$work/results.jsonl
for r in $(seq "$runs"); do
  for j in 1 2; do "$scan" "$work/local" BenchFlow "$j" | tee -a "$results"; done
  for j in 1 8 32; do "$scan" s3://bench/ds BenchFlow "$j" | tee -a "$results"; done
  for j in 1 2; do audit "$work/local" "$j" | tee -a "$results"; done
  for j in 1 8 32; do audit s3://bench/ds "$j" | tee -a "$results"; done
done
/usr/bin/python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
def store(r):
    return "s3" if r["root"].startswith("s3") else "local"
for key in sorted({(r.get("tool", "scan"), store(r), r["jobs"]) for r in rows}):
    sel = [r for r in rows if (r.get("tool", "scan"), store(r), r["jobs"]) == key]
    print(json.dumps({"tool": key[0], "store": key[1], "jobs": key[2], "runs": len(sel), "objects": sel[0]["objects"],
                      "stored_mb": round(sel[0]["stored_bytes"] / 1e6, 1),
                      "median_objects_per_s": statistics.median(r["objects_per_s"] for r in sel),
                      "median_mb_per_s": statistics.median(r["mb_per_s"] for r in sel),
                      "median_seconds": statistics.median(r["seconds"] for r in sel)}))
PY
