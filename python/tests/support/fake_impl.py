"""A scriptable command-protocol implementation for testing the command adapter's mechanics.

fake_impl.py MODE decode [--meta F] [--key K] BLOB   |   fake_impl.py MODE batch
Every read answers ``ok`` with the SHA-1 of the stored bytes, except as MODE says:
  good           as above
  exit_mismatch  decode: ok reply but exit status 3
  bad_json       every reply is "not json"
  die_on_marker  a blob starting with b"DIE" makes the process exit 1 without a reply
  hang_on_marker a blob starting with b"HANG" makes it sleep forever
  error_reply    every reply is {"ok": false, "error": "corrupt", "detail": "data"} (exit 14)
  buffered_hang  batch: never flushes, and hangs on a HANG blob (attribution needs fallback)
"""

import hashlib
import json
import sys
import time


def answer(mode, blob_path):
    with open(blob_path, "rb") as f:
        blob = f.read()
    if mode in ("die_on_marker",) and blob.startswith(b"DIE"):
        sys.exit(1)
    if mode in ("hang_on_marker", "buffered_hang") and blob.startswith(b"HANG"):
        time.sleep(3600)
    if mode == "error_reply":
        return {"ok": False, "error": "corrupt", "detail": "data"}, 14
    return {"ok": True, "sha1": hashlib.sha1(blob).hexdigest()}, 0


def main():
    mode, cmd = sys.argv[1], sys.argv[2]
    if cmd == "decode":
        reply, rc = answer(mode, sys.argv[-1])
        print("not json" if mode == "bad_json" else json.dumps(reply))
        return 3 if mode == "exit_mismatch" else rc
    for line in sys.stdin:
        if not line.strip():
            continue
        reply, _ = answer(mode, json.loads(line)["blob"])
        sys.stdout.write(("not json" if mode == "bad_json" else json.dumps(reply)) + "\n")
        if mode != "buffered_hang":
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
