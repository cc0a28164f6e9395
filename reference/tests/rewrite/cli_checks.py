#!/usr/bin/python3
"""casblob migrate (and repair) through the CLI, on stores fixtures/stores/storegen.py writes
(ctest "rewrite: ..." entries; reference/tests/CMakeLists.txt).

  cli_checks.py --casblob BIN CHECK     CHECK: rollout dryrun damaged raw resume docs
  cli_checks.py --casblob BIN docs --write   rewrite the generated tables in the spec and README
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

from store_checks import (REPO, audit, blob_paths, check, encodings, finish, model_reads, no_wrong_bytes, readers, run,
                          snapshot, storegen, temp_files)


def migrate(casblob, root, tmp, *args, journal=None, expect=None, env=None):
    journal = journal or tempfile.mktemp(suffix=".jsonl", dir=tmp)
    p = run(casblob, "migrate", "--journal", journal, "--json", journal + ".summary.json", *args, root, env=env, expect=expect)
    summary = json.load(open(journal + ".summary.json")) if os.path.exists(journal + ".summary.json") else None
    return summary, p, journal


def all_right_under(root, profile, what):
    bad = {p: o[profile] for p, o in model_reads(root).items() if o[profile]["outcome"] != "ok"}
    check(not bad, f"{what}: {len(bad)} blobs do not read right under the model's {profile}: {list(bad.items())[:2]}")


def check_rollout(casblob, tmp):
    """v1 -> v2 -> v1 of a generated store (v1, v2 and raw blobs, small and streamed): after the
    rollout every encoded blob is v2 and reads right under v2; after the rollback every key reads
    right under legacy again; a second run of either changes nothing."""
    root = os.path.join(tmp, "store")
    storegen(root, "--blobs", "150", "--seed", "5", "--v2-fraction", "0.3", "--large", "2", "--large-size", "3000000")
    total = len(blob_paths(root))
    before = encodings(audit(casblob, root)[0])
    raw = before.get("raw", 0)
    check(before.get("v1", 0) > 0 and before.get("v2", 0) > 0 and raw > 0, f"the store has v1, v2 and raw blobs: {before}")

    s, _, _ = migrate(casblob, root, tmp, "--to", "2", "--apply", "--jobs", "2", expect=0)
    check(s["outcomes"].get("rewritten", 0) == before["v1"], f"rollout rewrote the {before['v1']} v1 blobs: {s['outcomes']}")
    check(s["outcomes"].get("skipped_raw", 0) == raw, f"raw blobs are left without --include-raw: {s['outcomes']}")
    check("cannot read" in s["statement"] and "legacy" in s["statement"], f"the rollout names who cannot read: {s['statement']}")
    check(any(l["profile"] == "legacy" and l["blobs"] == total - raw for l in s["cannot_read"]),
          f"legacy cannot read the {total - raw} v2 blobs: {s['cannot_read']}")
    after = audit(casblob, root)[0]
    check(encodings(after) == {"v2": total - raw, "raw": raw}, f"after the rollout: {encodings(after)}")
    check(readers(after)["strict"]["right"] == total, "every blob reads right under strict after the rollout")
    all_right_under(root, "v2", "after the rollout")
    check(not temp_files(root), "no temporary file left")

    snap = snapshot(root)
    s, _, _ = migrate(casblob, root, tmp, "--to", "2", "--apply", expect=0)
    check(set(s["outcomes"]) <= {"in_target", "skipped_raw"}, f"a second rollout finds everything in the target: {s['outcomes']}")
    check(snapshot(root) == snap, "a second rollout writes nothing (bytes, mtimes, names)")

    s, _, _ = migrate(casblob, root, tmp, "--to", "1", "--apply", "--jobs", "2", expect=0)
    check(s["outcomes"].get("rewritten", 0) == total - raw, f"the rollback rewrote every v2 blob: {s['outcomes']}")
    check("every reader profile reads them" in s["statement"], f"after the rollback every profile reads: {s['statement']}")
    after = audit(casblob, root)[0]
    check(encodings(after) == {"v1": total - raw, "raw": raw}, f"after the rollback: {encodings(after)}")
    all_right_under(root, "legacy", "after the rollback")
    check(readers(after)["legacy"]["right"] == total, "every key reads right under legacy (C++ profile) after the rollback")
    no_wrong_bytes(casblob, root, "after the rollback")


def check_dryrun(casblob, tmp):
    """Without --apply nothing in ROOT changes, and the plan says what --apply would do."""
    root = os.path.join(tmp, "store")
    storegen(root, "--blobs", "60", "--seed", "6", "--v2-fraction", "0.5")
    snap = snapshot(root)
    s, _, journal = migrate(casblob, root, tmp, "--to", "2", expect=0)
    check(snapshot(root) == snap, "a dry run changes no byte, mtime or name in ROOT")
    check(not s["apply"] and s["outcomes"].get("rewritten", 0) > 0, f"the plan has rewrites: {s['outcomes']}")
    lines = [json.loads(l) for l in open(journal)]
    check(lines[0]["type"] == "begin" and not lines[0]["apply"], "the plan's journal begins with apply false")
    planned = [l for l in lines if l["type"] == "blob" and l["outcome"] == "rewritten"]
    check(planned and all(l["steps"] == ["payload", "sidecar"] for l in planned), "v1 -> v2 plans payload then sidecar")
    p = run(casblob, "migrate", "--to", "2", "--journal", journal, root, expect=2)
    check("exists" in p.stderr, "an existing journal without --resume is refused")


def check_damaged(casblob, tmp):
    """Damaged blobs (nothing proves them) are reported and skipped, byte-identical; a lost
    sidecar on a v2 payload that the key proves is finished (the state a crash leaves)."""
    root = os.path.join(tmp, "store")
    storegen(root, "--blobs", "60", "--seed", "7", "--damage", "corrupt_truncated", "--damage", "key_mismatch",
             "--damage", "zero_length", "--damage", "sidecar_missing_v2", "--manifest", root + ".json")
    damage = json.load(open(root + ".json"))["damage"]
    snap = snapshot(root)
    wrong = lambda: {(p, prof) for p, o in model_reads(root).items() for prof, r in o.items() if r["outcome"] == "wrong_bytes"}
    wrong_before = wrong()
    check(wrong_before, "the damage includes blobs released readers misread (key_mismatch, zero_length)")
    s, _, _ = migrate(casblob, root, tmp, "--to", "2", "--apply", expect=1)
    left = {l["path"] for l in s["left"] if l["outcome"] == "damaged"}
    for d in damage:
        if d["kind"] in ("corrupt_truncated", "key_mismatch", "zero_length"):
            check(d["path"] in left, f"{d['kind']} is reported as damaged")
            check(snapshot(root).get(d["path"]) == snap.get(d["path"]), f"{d['kind']}: its payload is untouched")
            check(snapshot(root).get(d["path"] + "_meta") == snap.get(d["path"] + "_meta"), f"{d['kind']}: its sidecar is untouched")
    check(s["finished_interrupted"] >= 1, "the v2 payload without sidecar was proven and given its sidecar")
    check(wrong() <= wrong_before, "the migrate made no blob read wrong that did not before")


def check_raw(casblob, tmp):
    """raw -> v2 -> raw with --include-raw and --to raw, through the fence; contents that are
    themselves gzip (code packages are tarballs) stay right under every profile."""
    root = os.path.join(tmp, "store")
    storegen(root, "--blobs", "40", "--seed", "8", "--damage", "raw_transfer")
    raw = encodings(audit(casblob, root)[0]).get("raw", 0)
    check(raw >= 2, f"the store has raw blobs: {raw}")
    s, _, journal = migrate(casblob, root, tmp, "--to", "2", "--include-raw", "--apply", expect=0)
    fenced = [json.loads(l) for l in open(journal)]
    fenced = [l for l in fenced if l["type"] == "blob" and l.get("from") == "raw"]
    check(len(fenced) == raw and all(l["steps"] == ["fence sidecar", "payload", "sidecar"] for l in fenced),
          "raw -> v2 goes through the fence")
    total = len(blob_paths(root))
    check(encodings(audit(casblob, root)[0]) == {"v2": total}, "every blob is v2")
    s, _, _ = migrate(casblob, root, tmp, "--to", "raw", "--apply", expect=0)
    after = audit(casblob, root)[0]
    check(encodings(after) == {"raw": total}, f"every blob is raw: {encodings(after)}")
    check(readers(after)["legacy"]["right"] == total, "every raw blob reads right under legacy")
    no_wrong_bytes(casblob, root, "after raw -> v2 -> raw")
    s, _, _ = migrate(casblob, root, tmp, "--to", "1", "--include-raw", "--apply", expect=0)
    all_right_under(root, "legacy", "after raw -> v1")
    s, _, _ = migrate(casblob, root, tmp, "--to", "2", "--content-checksum", "--apply", expect=0)
    s2, _, _ = migrate(casblob, root, tmp, "--to", "2", "--content-checksum", "--apply", expect=0)
    check(set(s2["outcomes"]) == {"in_target"}, f"v2 with content checksum is idempotent: {s2['outcomes']}")


def check_resume(casblob, tmp):
    """A run killed part way (CASBLOB_FAILPOINT) leaves a journal; --resume skips what it says is
    done and finishes; --resume with another target is refused."""
    root = os.path.join(tmp, "store")
    storegen(root, "--blobs", "80", "--seed", "9", "--v2-fraction", "0")
    env = dict(os.environ, CASBLOB_FAILPOINT="rename:40")
    _, p, journal = migrate(casblob, root, tmp, "--to", "2", "--apply", env=env)
    check(p.returncode == -9, f"the failpoint killed the run (SIGKILL): {p.returncode}")
    no_wrong_bytes(casblob, root, "after the kill")
    p = run(casblob, "migrate", "--to", "1", "--resume", "--journal", journal, root, expect=2)
    check("not of this run" in p.stderr, "--resume of another target is refused")
    # A kill before the begin line leaves an empty journal: --resume starts afresh (it refused it
    # as "the journal of another run" before; found by crash_checks.py).
    empty = os.path.join(tmp, "empty.jsonl")
    open(empty, "w").close()
    run(casblob, "migrate", "--to", "2", "--resume", "--journal", empty, root, expect=0)
    # Killed before it created its journal: --resume of a journal that does not exist starts afresh.
    run(casblob, "migrate", "--to", "2", "--resume", "--journal", os.path.join(tmp, "never-written.jsonl"), root, expect=0)
    s, _, _ = migrate(casblob, root, tmp, "--to", "2", "--apply", "--resume", journal=journal, expect=0)
    check(s["resumed_from_journal"] >= 10, f"--resume skipped the blobs the journal records: {s['resumed_from_journal']}")
    total = len(blob_paths(root))
    check(encodings(audit(casblob, root)[0]).get("v2") == total - encodings(audit(casblob, root)[0]).get("raw", 0),
          "every encoded blob is v2 after the resumed run")
    all_right_under(root, "v2", "after --resume")


# damage kind -> (repair's extra options, what must happen to the damaged object: "rewritten" (its
# files change, it reads right everywhere after) or "quarantined" (its files move to the folder)).
REPAIRS = {
    "crc_broken": ([], "rewritten"),
    "isize_broken": ([], "rewritten"),
    "sidecar_missing": (["--add-missing-sidecars"], "rewritten"),
    "sidecar_missing_v2": ([], "rewritten"),
    "sidecar_missing_raw": ([], "rewritten"),
    "sidecar_invalid": ([], "rewritten"),
    "sidecar_raw_string": ([], "rewritten"),
    "format_mismatch": ([], "rewritten"),
    "lz4_two_frames": ([], "rewritten"),
    "key_mismatch": (["--quarantine"], "quarantined"),
    "corrupt_truncated": (["--quarantine"], "quarantined"),
    "zero_length": (["--quarantine"], "quarantined"),
    "temp_metaflow": (["--quarantine"], "quarantined"),
    "temp_casblob": (["--quarantine"], "quarantined"),
    "orphan_sidecar": (["--quarantine"], "quarantined"),
}


def finding_ids(rep, path):
    return {f["id"] for f in rep["findings"] if f["path"] in (path, path + "_meta")}


def check_repair(casblob, tmp):
    """Each damage kind alone in a store: the dry run writes nothing; repair --apply fixes exactly
    that object (every other file byte-identical, mtimes included); audit then shows its findings
    gone; a quarantined object is in the folder with its record; no reader reads anything wrong."""
    for kind, (opts, fate) in REPAIRS.items():
        root = os.path.join(tmp, kind)
        storegen(root, "--blobs", "40", "--seed", "12", "--damage", kind, "--manifest", root + ".json")
        damage = json.load(open(root + ".json"))["damage"][0]
        path = damage["path"]
        before, _ = audit(casblob, root)
        targets = finding_ids(before, path) - {"unreferenced", "danglingReference"}
        check(targets, f"{kind}: the audit finds it ({path})")
        snap = snapshot(root)
        qdir = os.path.join(tmp, kind + "-quarantine")
        args = [a if a != "--quarantine" else f"--quarantine={qdir}" for a in opts]
        p = run(casblob, "repair", "--journal", os.path.join(tmp, kind + "-plan.jsonl"), *args, root)
        check(snapshot(root) == snap, f"{kind}: the dry run changes nothing in ROOT")
        check(path in p.stdout and "planned" in p.stdout, f"{kind}: the plan names it: {p.stdout}")
        p = run(casblob, "repair", "--apply", "--journal", os.path.join(tmp, kind + ".jsonl"), *args, root, expect=0)
        after_snap = snapshot(root)
        mine = {path, path + "_meta"}
        changed = {k for k in set(snap) | set(after_snap) if snap.get(k) != after_snap.get(k)}
        check(changed <= mine, f"{kind}: only its own files changed: {sorted(changed - mine)}")
        check(changed, f"{kind}: something was done")
        after, _ = audit(casblob, root)
        # What a reader that ignores sidecars (pre-CAS) does with a v2 blob is no damage: every
        # v2 blob has it. Only findings about the CAS-era readers count.
        _, sidecar_readers = model_reads(root, [], with_readers=True)
        left = {f["id"] for f in after["findings"] if f["path"] in (path, path + "_meta")
                and not (f.get("profiles") and set(f["profiles"]).isdisjoint(sidecar_readers))} & targets
        check(not left, f"{kind}: after repair --apply the audit no longer finds {sorted(left)}")
        if fate == "quarantined":
            check(os.path.exists(os.path.join(qdir, path)) and os.path.exists(os.path.join(qdir, path + ".casblob-quarantine.json")),
                  f"{kind}: moved to the quarantine with its record")
            rec = json.load(open(os.path.join(qdir, path + ".casblob-quarantine.json")))
            check(rec["path"] == path and {f["id"] for f in rec["findings"]} >= targets, f"{kind}: the record says what it was")
            for f in rec["files"]:
                check(open(os.path.join(qdir, f), "rb").read() == snap[f][0], f"{kind}: {f} is in the quarantine byte for byte")
        else:
            reads = {k: v for k, v in model_reads(root, [path])[path].items() if k in sidecar_readers}
            check(all(r["outcome"] == "ok" or r.get("error") == "version_unsupported" or r.get("error") == "codec_unavailable"
                      for r in reads.values()), f"{kind}: reads right (or cleanly refused) under every CAS-era model profile: {reads}")
            check(readers(after)["strict"]["right"] == len(blob_paths(root)), f"{kind}: every blob reads right under strict")
        for r in readers(after).values():
            check(r["wrong_bytes"] == 0 or r["id"] not in sidecar_readers, f"{kind}: no blob wrong under {r['id']} after the repair")


def generated_blocks():
    return {
        os.path.join(REPO, "spec", "cas-blob-format.md"): {"rewrite-transitions": ["migrate", "--list-transitions"]},
        os.path.join(REPO, "reference", "tools", "rewrite", "README.md"): {
            "rewrite-exit-codes": ["migrate", "--list-exit-codes"],
            "rewrite-transitions": ["migrate", "--list-transitions"]},
    }


def check_docs(casblob, tmp, write=False):
    """The spec's transition table and the README's tables are the CLI's output."""
    for path, blocks in generated_blocks().items():
        text = open(path).read()
        for name, args in blocks.items():
            begin = f"<!-- BEGIN GENERATED: {name} -->\n"
            end = "<!-- END GENERATED -->"
            if not check(begin in text, f"{os.path.relpath(path, REPO)} has the block {name}"):
                continue
            want = run(casblob, *args, expect=0).stdout
            i = text.index(begin) + len(begin)
            j = text.index(end, i)
            if write:
                text = text[:i] + want + text[j:]
            else:
                check(text[i:j] == want, f"{os.path.relpath(path, REPO)}: block {name} is not `casblob {' '.join(args)}` "
                      "(cli_checks.py --casblob BIN docs --write)")
        if write:
            open(path, "w").write(text)


CHECKS = {"repair": check_repair, "rollout": check_rollout, "dryrun": check_dryrun, "damaged": check_damaged, "raw": check_raw,
          "resume": check_resume, "docs": check_docs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--casblob", required=True)
    ap.add_argument("check", choices=sorted(CHECKS))
    ap.add_argument("--write", action="store_true")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="casblob-rewrite-")
    try:
        if a.check == "docs":
            check_docs(a.casblob, tmp, a.write)
        else:
            CHECKS[a.check](a.casblob, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return finish(a.check)


if __name__ == "__main__":
    sys.exit(main())
