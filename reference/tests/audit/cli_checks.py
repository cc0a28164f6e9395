#!/usr/bin/python3
"""casblob audit / doctor / audit-merge through the CLI, on stores made by
fixtures/stores/storegen.py (ctest "audit: ..." entries; reference/tests/CMakeLists.txt).

  cli_checks.py --casblob BIN CHECK      CHECK: damage clean10k readonly shards html docs interrupt options real
  cli_checks.py --casblob BIN docs --write   rewrite the generated tables in the spec and the README
"""
import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
STOREGEN = os.path.join(REPO, "fixtures", "stores", "storegen.py")
REAL = os.path.join(REPO, "fixtures", "stores", "real-metaflow")
PY = "/usr/bin/python3"
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, file=sys.stderr)


def storegen(root, *args):
    subprocess.run([PY, STOREGEN, root, *args], check=True)


def audit(casblob, *args, expect=None):
    p = subprocess.run([casblob, *args], capture_output=True, text=True)
    if expect is not None and p.returncode != expect:
        print(p.stdout, p.stderr, file=sys.stderr)
    if expect is not None:
        check(p.returncode == expect, f"{' '.join(args)}: exit {p.returncode}, expected {expect}")
    return p


def report(casblob, root, *args, expect=None):
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        path = f.name
    try:
        p = audit(casblob, "audit", "--no-progress", "--json", path, *args, root, expect=expect)
        with open(path) as f:
            return json.load(f), p
    finally:
        os.unlink(path)


def finding_set(rep):
    return {(f["id"], f["path"]) for f in rep["findings"]}


def kinds():
    out = subprocess.run([PY, STOREGEN, "--list-damage"], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def check_damage(casblob, tmp):
    """Each damage kind, alone in a store: the findings beyond the undamaged store's are exactly
    the ones storegen says it must produce, and they are about the damaged object."""
    base_root = os.path.join(tmp, "base")
    storegen(base_root, "--blobs", "80", "--seed", "11")
    base, _ = report(casblob, base_root, expect=0)
    base_set = finding_set(base)
    check(all(f["severity"] == "info" for f in base["findings"]), "the undamaged store has only info findings")
    for kind, spec in kinds().items():
        root = os.path.join(tmp, kind)
        storegen(root, "--blobs", "80", "--seed", "11", "--damage", kind, "--manifest", root + ".json")
        damage = json.load(open(root + ".json"))["damage"][0]
        rep, p = report(casblob, root)
        new = [f for f in rep["findings"] if (f["id"], f["path"]) not in base_set]
        got = sorted({f["id"] for f in new})
        check(got == sorted(spec["expect"]), f"{kind}: findings {got}, expected {sorted(spec['expect'])}")
        target = damage["key"] or damage["path"]
        check(all(f["key"] == damage["key"] or f["path"] == damage["path"] for f in new),
              f"{kind}: every new finding is about {target}")
        errors = any(f["severity"] == "error" for f in rep["findings"])
        check(p.returncode == (1 if errors else 0), f"{kind}: exit {p.returncode} with errors={errors}")
        print(f"{kind:22} {','.join(got)}")


def check_clean10k(casblob, tmp):
    root = os.path.join(tmp, "clean")
    storegen(root, "--blobs", "10000", "--large", "3", "--large-size", "2000000", "--seed", "2")
    rep, p = report(casblob, root, expect=0)
    check(rep["counts"]["blobs"] >= 10000, f"{rep['counts']['blobs']} blobs")
    check(rep["counts"]["decoded"] == rep["counts"]["blobs"], "every blob decoded")
    check(rep["severity"]["error"] == 0 and rep["severity"]["warning"] == 0, f"severity counts {rep['severity']}")
    strict = next(r for r in rep["readers"] if r["id"] == "strict")
    check(strict["right"] == rep["counts"]["blobs"], "strict reads every blob right")
    print(json.dumps(rep["severity"]), rep["counts"]["blobs"], "blobs", rep["seconds"], "s")


def snapshot(root):
    out = {}
    for d, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(d, n)
            st = os.lstat(p)
            digest = None
            if os.path.isfile(p) and not os.path.islink(p):
                with open(p, "rb") as f:
                    digest = hashlib.sha1(f.read()).hexdigest()
            out[os.path.relpath(p, root)] = (st.st_mode, st.st_size, st.st_mtime_ns, digest)
    return out


def check_readonly(casblob, tmp):
    root = os.path.join(tmp, "ro")
    args = []
    for k in kinds():
        args += ["--damage", k]
    storegen(root, "--blobs", "150", *args)
    before = snapshot(root)
    out = os.path.join(tmp, "out")
    os.mkdir(out)
    for level in ("metadata", "data"):
        audit(casblob, "audit", "--level", level, "--json", f"{out}/a.json", "--jsonl", f"{out}/a.jsonl", "--markdown",
              f"{out}/a.md", "--html", f"{out}/a.html", "--gc-plan", f"{out}/gc.json", root)
        audit(casblob, "doctor", "--level", level, root)
    after = snapshot(root)
    check(before == after, "no file, folder, size, mtime or byte in ROOT changed, none appeared or vanished")
    print(len(before), "entries unchanged")


def check_shards(casblob, tmp):
    root = os.path.join(tmp, "sh")
    args = []
    for k in kinds():
        args += ["--damage", k]
    storegen(root, "--blobs", "300", "--seed", "4", *args)
    whole, _ = report(casblob, root)
    paths = []
    for k in (1, 2, 3, 4):
        path = os.path.join(tmp, f"shard{k}.json")
        audit(casblob, "audit", "--shard", f"{k}/4", "--json", path, root)
        paths.append(path)
    merged_path = os.path.join(tmp, "merged.json")
    p = audit(casblob, "audit-merge", "--json", merged_path, *paths)
    check(p.returncode == (1 if whole["severity"]["error"] else 0), f"audit-merge exit {p.returncode}")
    merged = json.load(open(merged_path))
    for j in (whole, merged):
        for k in ("seconds", "jobs", "started", "suggest"):
            j.pop(k)
    check(merged == whole, "the merged report equals the whole store's")
    p = audit(casblob, "audit-merge", paths[0], paths[0])
    check(p.returncode == 2, "the same shard twice is a usage error")
    p = audit(casblob, "audit-merge", "--json", merged_path, *paths[:3])
    check(json.load(open(merged_path))["complete"] is False and p.returncode == 3, "a missing shard: incomplete, exit 3")


def check_html(casblob, tmp):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("SKIP: chromium is not installed (scripts/setup installs it)")
        sys.exit(77)
    root = os.path.join(tmp, "html")
    storegen(root, "--blobs", "200", "--damage", "key_mismatch", "--damage", "sidecar_missing_v2", "--damage", "lz4_two_frames")
    page = os.path.join(tmp, "report.html")
    audit(casblob, "audit", "--html", page, root, expect=1)
    html = open(page, encoding="utf-8").read()
    check(html.count("<svg") == 2, "two SVG charts")
    check("http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html, "self-contained: no external resource")
    profile = tempfile.mkdtemp(dir=tmp)
    shot = os.path.join(tmp, "report.png")
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
           "--enable-logging=stderr", "--v=0", "--window-size=1200,1600"]
    p = subprocess.run(cmd + ["--dump-dom", "file://" + page], capture_output=True, text=True, timeout=120)
    console = [l for l in p.stderr.splitlines() if "CONSOLE" in l or "Uncaught" in l]
    check(p.returncode == 0, f"chromium exit {p.returncode}")
    check(not console, f"console messages: {console[:3]}")
    check("<svg" in p.stdout and "Who can read this store" in p.stdout, "the DOM has the charts and the readers table")
    p = subprocess.run(cmd + [f"--screenshot={shot}", "file://" + page], capture_output=True, text=True, timeout=120)
    check(os.path.exists(shot) and os.path.getsize(shot) > 10000, "a screenshot of the rendered page")
    print("rendered,", len(html), "bytes, screenshot", os.path.getsize(shot) if os.path.exists(shot) else 0, "bytes")


BEGIN, END = "<!-- BEGIN GENERATED: {} -->", "<!-- END GENERATED -->"  # the spec tools' convention


def replace_block(text, name, body):
    b = BEGIN.format(name)
    if b not in text or END not in text[text.index(b):]:
        return None
    i = text.index(b) + len(b)
    j = text.index(END, i)
    return text[:i] + "\n" + body + text[j:]


def check_docs(casblob, tmp, write=False):
    tables = {
        "audit-findings": subprocess.run([casblob, "audit", "--list-findings"], check=True, capture_output=True, text=True).stdout,
        "audit-exit-codes": subprocess.run([casblob, "audit", "--list-exit-codes"], check=True, capture_output=True, text=True).stdout,
        "storegen-damage": subprocess.run([PY, STOREGEN, "--list-damage", "--markdown"], check=True, capture_output=True, text=True).stdout,
    }
    for doc, names in ((os.path.join(REPO, "spec", "cas-blob-format.md"), ["audit-findings"]),
                       (os.path.join(REPO, "README.md"), ["audit-exit-codes"]),
                       (os.path.join(REPO, "reference", "tools", "audit", "README.md"), ["audit-findings", "audit-exit-codes"]),
                       (os.path.join(REPO, "fixtures", "stores", "README.md"), ["storegen-damage"])):
        text = open(doc, encoding="utf-8").read()
        for n in names:
            new = replace_block(text, n, tables[n])
            check(new is not None, f"{os.path.relpath(doc, REPO)} has the generated block {n}")
            if new is None:
                continue
            if write:
                text = new
            else:
                check(new == text, f"{os.path.relpath(doc, REPO)}: block {n} differs from `casblob audit --list-...` "
                                   f"(run reference/tests/audit/cli_checks.py --casblob build/bin/casblob docs --write)")
        if write:
            open(doc, "w", encoding="utf-8").write(text)


def check_interrupt(casblob, tmp):
    root = os.path.join(tmp, "int")
    storegen(root, "--blobs", "3000", "--large", "24", "--large-size", "4000000", "--v2-fraction", "0", "--seed", "8")
    out = os.path.join(tmp, "partial.json")
    jl = os.path.join(tmp, "partial.jsonl")
    p = subprocess.Popen([casblob, "audit", "--jobs", "1", "--progress", "--json", out, "--jsonl", jl, root],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait for the first progress line (the scan is under way), then interrupt.
    buf = ""
    deadline = time.time() + 60
    while "audit " not in buf and time.time() < deadline:
        buf += p.stderr.read(1)
    p.send_signal(signal.SIGINT)
    stdout, _ = p.communicate(timeout=120)
    check(p.returncode == 130, f"exit {p.returncode} after SIGINT, expected 130")
    rep = json.load(open(out))
    check(rep["interrupted"] is True and rep["complete"] is False, "the report says it is partial")
    check("INTERRUPTED" in stdout, "the summary says so")
    lines = open(jl).read().splitlines()
    check(json.loads(lines[-1])["type"] == "summary" and json.loads(lines[-1])["interrupted"] is True, "JSON lines end with the summary")
    check(not any(".casblob-tmp-" in n for n in os.listdir(tmp)), "no temporary report file left")
    print("interrupted after", rep["counts"]["blobs"], "blobs")


def check_options(casblob, tmp):
    root = os.path.join(tmp, "opt")
    storegen(root, "--blobs", "100", "--damage", "key_mismatch", "--damage", "unreferenced", "--manifest", root + ".json")
    m = json.load(open(root + ".json"))
    bad = m["damage"][0]["key"]
    unref = m["damage"][1]["key"]
    rep, _ = report(casblob, root, expect=1)
    # Skip list: the damaged key reports nothing; exit 0.
    skip = os.path.join(tmp, "skip.txt")
    open(skip, "w").write("# known broken\n%s\n" % bad)
    rep2, _ = report(casblob, root, "--skip-list", skip, expect=0)
    check(all(f["key"] != bad for f in rep2["findings"]) and rep2["counts"]["skipped_findings"] >= 2, "skip list")
    # Severity: keyMismatch as info, wrongBytesUnder ignored -> exit 0.
    rep3, _ = report(casblob, root, "--severity", "keyMismatch=info", "--severity", "wrongBytesUnder=ignore", expect=0)
    check(any(f["id"] == "keyMismatch" and f["severity"] == "info" for f in rep3["findings"]), "severity override")
    check(not any(f["id"] == "wrongBytesUnder" for f in rep3["findings"]), "ignore")
    audit(casblob, "audit", "--severity", "noSuchId=info", root, expect=2)
    audit(casblob, "audit", "--shard", "5/4", root, expect=2)
    audit(casblob, "audit", "--sample", "0", root, expect=2)
    # gc plan: the unreferenced old v1 blob is in it, the raw code packages and the damaged blob are not.
    plan = os.path.join(tmp, "gc.json")
    audit(casblob, "audit", "--gc-plan", plan, root, expect=1)
    keys = {k["key"] for k in json.load(open(plan))["keys"]}
    check(unref in keys and bad not in keys, f"gc plan {sorted(keys)}")
    check(not any(b["encoding"] == "raw" and b["key"] in keys for b in m["blobs"]), "no raw blob in the gc plan")
    # Within the grace period it is not.
    os.utime(os.path.join(root, m["damage"][1]["path"]), None)
    audit(casblob, "audit", "--gc-plan", plan, root, expect=1)
    check(unref not in {k["key"] for k in json.load(open(plan))["keys"]}, "a young unreferenced blob is not a gc candidate")
    # JSON lines: one finding per line, then the summary; the same findings as the JSON report.
    jl = os.path.join(tmp, "f.jsonl")
    audit(casblob, "audit", "--jsonl", jl, root, expect=1)
    lines = [json.loads(l) for l in open(jl)]
    check(lines[-1]["type"] == "summary" and all(l["type"] == "finding" for l in lines[:-1]), "jsonl shape")
    check(sorted((l["id"], l["path"]) for l in lines[:-1]) == sorted(finding_set(rep)), "jsonl = json findings")
    # Sample: deterministic, metadata checks for all.
    s1, _ = report(casblob, root, "--sample", "30%", "--sample-seed", "3")
    s2, _ = report(casblob, root, "--sample", "0.3", "--sample-seed", "3")
    check(s1["counts"]["decoded"] == s2["counts"]["decoded"] < s1["counts"]["blobs"], "sample decodes a fixed subset")
    # Metadata level: nothing decoded.
    md, _ = report(casblob, root, "--level", "metadata")
    check(md["counts"]["decoded"] == 0, "metadata level decodes nothing")
    # Not a datastore, missing flow, missing root: 10.
    os.mkdir(os.path.join(tmp, "empty"))
    audit(casblob, "audit", os.path.join(tmp, "empty"), expect=10)
    audit(casblob, "audit", os.path.join(tmp, "nowhere"), expect=10)
    audit(casblob, "audit", "--flow", "NoSuchFlow", root, expect=10)
    audit(casblob, "audit", "--flow", "../x", root, expect=2)
    p = audit(casblob, "doctor", root, expect=1)
    check("Metaflow 2.4-2.19" in p.stdout and "PR #3090 as written, without lz4" in p.stdout, "doctor names the generations")


def check_real(casblob, tmp):
    m = json.load(open(os.path.join(REAL, "manifest.json")))
    rep, p = report(casblob, os.path.join(REAL, "store"), expect=0)
    check(rep["severity"] == {"error": 0, "warning": 0, "info": 0}, f"findings {rep['severity']}")
    check(rep["counts"]["blobs"] == len(m["blobs"]), "every blob of the manifest")
    for row in rep["readers"]:
        want = {}
        for b in m["blobs"]:
            o = b["expect"][row["id"]]["outcome"]
            want[o] = want.get(o, 0) + 1
        got = {k: row[k] for k in ("right", "clean_error", "unhandled", "wrong_bytes", "not_read") if row[k]}
        check(got == want, f"{row['id']}: {got}, measured {want}")
    print(p.stdout)


CHECKS = {"damage": check_damage, "clean10k": check_clean10k, "readonly": check_readonly, "shards": check_shards,
          "html": check_html, "docs": check_docs, "interrupt": check_interrupt, "options": check_options, "real": check_real}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--casblob", required=True)
    ap.add_argument("check", choices=sorted(CHECKS))
    ap.add_argument("--write", action="store_true", help="docs: rewrite the generated blocks")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="casblob-audit-cli-")
    try:
        if a.check == "docs":
            check_docs(a.casblob, tmp, a.write)
        else:
            CHECKS[a.check](a.casblob, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failed", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
