#!/usr/bin/python3
"""Re-runs the attack classes of the reliability issue (17) against a casblob CLI binary.

    attacks.py --cli build/bin/casblob [--json FILE] [--only AREA] [--quick]

Each attack is a small scenario with one safe outcome (a clean error with the documented exit
code, no wrong bytes, no partial or stray file, no hang, bounded memory). The script prints one
line per attack and a table of attacks held per area, and exits 1 if any did not hold. Run it
against an older binary to see what changed: the attacks only use the CLI's documented surface.
Needs root for the disk-full area (a small tmpfs); without it that area is skipped with a message.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import struct
import tempfile
import time

TIMEOUT = 20  # seconds: an attack that takes longer is a hang

# ---- helpers ---------------------------------------------------------------------------------

CLI = "casblob"


class Run:
    def __init__(self, rc, out, err, seconds, peak_kib=None):
        self.rc, self.out, self.err, self.seconds, self.peak_kib = rc, out, err, seconds, peak_kib


def run(args, stdin=b"", stdout=None, env=None, timeout=TIMEOUT, measure_memory=False):
    """Runs the CLI; rc -9 on timeout (killed)."""
    cmd = [CLI] + list(args)
    if measure_memory:
        cmd = ["/usr/bin/time", "-f", "PEAK_KIB=%M"] + cmd
    t = time.monotonic()
    try:
        p = subprocess.run(cmd, input=stdin, stdout=stdout if stdout is not None else subprocess.PIPE,
                           stderr=subprocess.PIPE, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Run(-9, b"", b"timeout", time.monotonic() - t)
    peak = None
    err = p.stderr
    if measure_memory:
        for line in err.decode(errors="replace").splitlines():
            if line.startswith("PEAK_KIB="):
                peak = int(line.split("=", 1)[1])
    return Run(p.returncode, p.stdout or b"", err, time.monotonic() - t, peak)


def sha1(b):
    return hashlib.sha1(b).hexdigest()


def gz(b):
    return gzip.compress(b, compresslevel=3, mtime=0)


def files_under(d):
    out = []
    for root, _, names in os.walk(d):
        for n in names:
            out.append(os.path.relpath(os.path.join(root, n), d))
    return sorted(out)


def temporaries(d):
    return [f for f in files_under(d) if ".casblob-tmp-" in f or "casblob-put.tmp" in f or ".tmp-" in f]


class Attack:
    def __init__(self, area, name, fn):
        self.area, self.name, self.fn = area, name, fn


ATTACKS: list[Attack] = []


def attack(area, name):
    def deco(fn):
        ATTACKS.append(Attack(area, name, fn))
        return fn
    return deco


def put(root, flow, path, *extra):
    r = run(["put", "--root", root, "--flow", flow, "--json", *extra, path])
    if r.rc != 0:
        return None, r
    return json.loads(r.out)["objects"][0]["key"], r


def blob_path(root, flow, key):
    return os.path.join(root, flow, "data", key[:2], key)


# ---- path traversal --------------------------------------------------------------------------

BAD_FLOWS = ["../escaped", "/tmp/abs-flow", "a/b", "", "a\nb", "..", ".", "F/../../x"]


@attack("paths", "put --flow with traversal, absolute, nested, empty, newline names")
def _(w):
    src = os.path.join(w, "in")
    open(src, "wb").write(b"x")
    root = os.path.join(w, "root")
    os.mkdir(root)
    bad = []
    for f in BAD_FLOWS:
        r = run(["put", "--root", root, "--flow", f, src])
        if r.rc != 2:
            bad.append("%r -> exit %d" % (f, r.rc))
    outside = [p for p in files_under(w) if p not in ("in",) and not p.startswith("root" + os.sep)]
    if outside or os.path.exists("/tmp/abs-flow"):
        bad.append("wrote outside the root: %s" % outside)
        shutil.rmtree("/tmp/abs-flow", ignore_errors=True)
    return not bad, "; ".join(bad)


@attack("paths", "get --flow with traversal names reads nothing outside the root")
def _(w):
    root = os.path.join(w, "root")
    os.mkdir(root)
    # A blob planted outside, at the place "../escaped" would reach.
    key = sha1(b"secret")
    os.makedirs(os.path.join(w, "escaped", "data", key[:2]))
    open(blob_path(w, "escaped", key), "wb").write(gz(b"secret"))
    bad = []
    for f in ["../escaped", "..", "a/b"]:
        r = run(["get", "--root", root, "--flow", f, key, "-"])
        if r.rc != 2 or r.out:
            bad.append("%r -> exit %d, %d bytes" % (f, r.rc, len(r.out)))
    return not bad, "; ".join(bad)


@attack("paths", "keys that are not 40 lowercase hex are usage before any path is used")
def _(w):
    root = os.path.join(w, "root")
    os.mkdir(root)
    bad = []
    for k in ["../../etc/passwd", "A" * 40, "a" * 39, "a" * 41, " " + "a" * 39, "a" * 38 + "/x"]:
        r = run(["get", "--root", root, "--flow", "F", k, os.path.join(w, "nonexistent", "out")])
        if r.rc != 2:
            bad.append("%r -> exit %d" % (k, r.rc))
    return not bad, "; ".join(bad)


@attack("paths", "a symlinked shard directory leads no write and no read outside the root")
def _(w):
    root, outside = os.path.join(w, "root"), os.path.join(w, "outside")
    os.makedirs(os.path.join(root, "F", "data"))
    os.mkdir(outside)
    data = b"content behind a link"
    key = sha1(data)
    os.symlink(outside, os.path.join(root, "F", "data", key[:2]))
    src = os.path.join(w, "in")
    open(src, "wb").write(data)
    r = run(["put", "--root", root, "--flow", "F", src])
    wrote = os.listdir(outside)
    open(os.path.join(outside, key), "wb").write(gz(data))
    g = run(["get", "--root", root, "--flow", "F", key, "-"])
    ok = r.rc != 0 and not wrote and g.rc != 0 and not g.out
    return ok, "put exit %d wrote %s; get exit %d, %d bytes" % (r.rc, wrote, g.rc, len(g.out))


@attack("paths", "a symlinked blob or sidecar inside the store is refused")
def _(w):
    root = os.path.join(w, "root")
    src = os.path.join(w, "in")
    open(src, "wb").write(b"linked")
    key, r = put(root, "F", src)
    if not key:
        return False, "put failed: %s" % r.err
    target = os.path.join(w, "target")
    shutil.copy(blob_path(root, "F", key), target)
    os.unlink(blob_path(root, "F", key))
    os.symlink(target, blob_path(root, "F", key))
    g = run(["get", "--root", root, "--flow", "F", key, "-"])
    os.unlink(blob_path(root, "F", key))
    shutil.copy(target, blob_path(root, "F", key))
    meta = blob_path(root, "F", key) + "_meta"
    os.unlink(meta)
    os.symlink("/etc/hostname", meta)
    m = run(["get", "--root", root, "--flow", "F", key, "-"])
    return g.rc == 19 and m.rc == 19, "blob link: exit %d; sidecar link: exit %d" % (g.rc, m.rc)


# ---- special files ---------------------------------------------------------------------------


def fifo(w, name):
    p = os.path.join(w, name)
    os.mkfifo(p)
    return p


@attack("special", "a FIFO as blob: decode, inspect and batch refuse it at once")
def _(w):
    f = fifo(w, "fifo")
    bad = []
    for args in (["decode", "--no-meta", f], ["inspect", "--no-meta", f]):
        r = run(args, timeout=5)
        if r.rc != 19:
            bad.append("%s -> exit %d (%.1f s)" % (args[0], r.rc, r.seconds))
    r = run(["batch"], stdin=(json.dumps({"blob": f}) + "\n").encode(), timeout=5)
    if r.rc != 0 or b"io_error" not in r.out:
        bad.append("batch -> exit %d %r" % (r.rc, r.out[:80]))
    return not bad, "; ".join(bad)


@attack("special", "a FIFO as blob or sidecar in a store: get refuses it at once")
def _(w):
    root = os.path.join(w, "root")
    src = os.path.join(w, "in")
    open(src, "wb").write(b"x")
    key, r = put(root, "F", src)
    meta = blob_path(root, "F", key) + "_meta"
    os.unlink(meta)
    os.mkfifo(meta)
    a = run(["get", "--root", root, "--flow", "F", key, "-"], timeout=5)
    os.unlink(meta)
    os.unlink(blob_path(root, "F", key))
    os.mkfifo(blob_path(root, "F", key))
    b = run(["get", "--root", root, "--flow", "F", key, "-"], timeout=5)
    return a.rc == 19 and b.rc == 19, "sidecar FIFO exit %d, blob FIFO exit %d" % (a.rc, b.rc)


@attack("special", "/dev/zero as blob or sidecar ends at once, without reading")
def _(w):
    a = run(["decode", "--no-meta", "/dev/zero"], timeout=5)
    blob = os.path.join(w, "blob")
    open(blob, "wb").write(gz(b"x"))
    os.symlink("/dev/zero", blob + "_meta")
    b = run(["decode", "--meta", "/dev/zero", blob], timeout=5, measure_memory=True)
    c = run(["inspect", blob], timeout=5)
    return (a.rc == 19 and b.rc == 19 and c.rc == 19 and b.seconds < 5,
            "blob exit %d; --meta exit %d (%.1f s); implicit link exit %d" % (a.rc, b.rc, b.seconds, c.rc))


@attack("special", "a directory as blob or output is a clean error")
def _(w):
    d = os.path.join(w, "dir")
    os.mkdir(d)
    a = run(["decode", "--no-meta", d])
    blob = os.path.join(w, "blob")
    open(blob, "wb").write(gz(b"x"))
    b = run(["decode", "--no-meta", blob, d])
    return a.rc == 19 and b.rc == 19 and os.path.isdir(d), "blob dir exit %d; OUT dir exit %d" % (a.rc, b.rc)


@attack("special", "a 100 KiB sidecar is meta_invalid, not read to the end")
def _(w):
    blob = os.path.join(w, "blob")
    open(blob, "wb").write(gz(b"x"))
    open(blob + "_meta", "w").write('{"cas_raw": false, "cas_version": 1, "pad": "' + "x" * 100000 + '"}')
    r = run(["decode", blob])
    return r.rc == 10, "exit %d" % r.rc


# ---- disk full -------------------------------------------------------------------------------


@contextlib.contextmanager
def small_tmpfs(w, size):
    mnt = os.path.join(w, "tmpfs")
    os.mkdir(mnt)
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%s" % size, "tmpfs", mnt], capture_output=True)
    if p.returncode != 0:
        yield None
        return
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", mnt])


def skip_no_tmpfs():
    return None, "skipped: cannot mount a tmpfs here (needs root)"


@attack("disk-full", "a put whose sidecar does not fit is healed by the next put (F1); a put of stored content succeeds on a full disk")
def _(w):
    data = os.urandom(2_600_000)
    src = os.path.join(w, "in")
    open(src, "wb").write(data)
    # The payload's size on a tmpfs (whole pages), to leave room for it and not for its sidecar.
    probe = os.path.join(w, "probe")
    if run(["encode", "--version", "2", src, probe]).rc != 0:
        return False, "setup"
    pages = (os.path.getsize(probe) + 4095) // 4096 * 4096
    with small_tmpfs(w, "3m") as mnt:
        if not mnt:
            return skip_no_tmpfs()
        root = os.path.join(mnt, "root")
        os.makedirs(os.path.join(root, "F", "data", sha1(data)[:2]))
        st = os.statvfs(mnt)
        filler = os.path.join(mnt, "filler")
        open(filler, "wb").write(b"\0" * (st.f_bavail * st.f_frsize - pages))
        r = run(["put", "--root", root, "--flow", "F", "--version", "2", src])
        state = files_under(os.path.join(root, "F", "data"))
        left = temporaries(mnt)
        os.unlink(filler)
        r2 = run(["put", "--root", root, "--flow", "F", "--version", "2", "--json", src])
        outcome = json.loads(r2.out)["objects"][0].get("outcome") if r2.rc == 0 else None
        # Full again: a put of the same, now complete, content must still succeed.
        open(filler, "wb").write(b"\0" * (os.statvfs(mnt).f_bavail * os.statvfs(mnt).f_frsize))
        r3 = run(["put", "--root", root, "--flow", "F", "--version", "2", src])
        os.unlink(filler)
        g = run(["get", "--root", root, "--flow", "F", sha1(data), "-"])
        ok = (r.rc == 19 and len(state) == 1 and not left and r2.rc == 0 and outcome == "sidecar_healed" and
              r3.rc == 0 and g.rc == 0 and g.out == data and not temporaries(mnt))
        return ok, "first put exit %d left %s (temporaries %s); re-put exit %d %s; full-disk re-put exit %d; get exit %d" % (
            r.rc, state, left, r2.rc, outcome, r3.rc, g.rc)


@attack("disk-full", "decode and encode into a full filesystem: io_error, no partial file")
def _(w):
    data = os.urandom(2_000_000)
    src = os.path.join(w, "in")
    open(src, "wb").write(data)
    blob = os.path.join(w, "blob")
    if run(["encode", "--raw", src, blob]).rc != 0:
        return False, "setup"
    with small_tmpfs(w, "1m") as mnt:
        if not mnt:
            return skip_no_tmpfs()
        a = run(["decode", blob, os.path.join(mnt, "out")])
        b = run(["encode", src, os.path.join(mnt, "enc")])
        left = files_under(mnt)
        return a.rc == 19 and b.rc == 19 and not left, "decode exit %d, encode exit %d, left %s" % (a.rc, b.rc, left)


# ---- stdout ----------------------------------------------------------------------------------


@attack("stdout", "writes to a full stdout are io_error (decode -, --json, encode, inspect, batch)")
def _(w):
    src = os.path.join(w, "in")
    open(src, "wb").write(os.urandom(300000))
    blob = os.path.join(w, "blob")
    run(["encode", src, blob])
    bad = []
    reqs = "".join(json.dumps({"blob": blob, "meta": blob + "_meta"}) + "\n" for _ in range(2000)).encode()
    for args, stdin in ((["decode", blob, "-"], b""), (["decode", "--profile", "legacy", blob, "-"], b""),
                        (["decode", "--json", blob], b""), (["encode", src, blob + "2"], b""),
                        (["inspect", blob], b""), (["batch"], reqs)):
        with open("/dev/full", "wb") as full:
            r = run(args, stdin=stdin, stdout=full)
        if r.rc != 19:
            bad.append("%s -> exit %d" % (" ".join(args[:2]), r.rc))
    return not bad, "; ".join(bad)


@attack("stdout", "a closed pipe ends the reader (SIGPIPE or io_error) and leaves no temporary")
def _(w):
    src = os.path.join(w, "in")
    open(src, "wb").write(os.urandom(4_000_000))
    blob = os.path.join(w, "blob")
    run(["encode", "--version", "2", src, blob])
    p = subprocess.Popen([CLI, "decode", "--profile", "v2", blob, "-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdout.read(10)
    p.stdout.close()
    rc = p.wait(timeout=TIMEOUT)
    return rc in (-signal.SIGPIPE, 19) and not temporaries(w), "exit %d" % rc


# ---- batch -----------------------------------------------------------------------------------


@attack("batch", "every request gets exactly one reply, whatever it holds (F8, F15)")
def _(w):
    blob = os.path.join(w, "blob")
    open(blob, "wb").write(gz(b"batch"))
    open(blob + "_meta", "w").write('{"cas_raw": false, "cas_version": 1}')
    garbage = [{"blob": blob, "profile": 5}, {"blob": blob, "profile": None}, {"blob": "-"}, {"blob": 7},
               {"blob": blob, "key": 5}, {"blob": blob, "max_size": -1}, {"blob": blob, "max_size": 1.5},
               {"blob": blob, "max_size": "1"}, {"blob": blob, "meta": 7}, [1], "x", None, {}]
    lines = [json.dumps(g) for g in garbage] + ["not json", "{", ""]
    lines += [json.dumps({"blob": blob, "meta": blob + "_meta"})] * 20000
    r = run(["batch"], stdin=("\n".join(lines) + "\n").encode(), timeout=60)
    replies = r.out.decode().splitlines()
    want = len(lines) - 1  # the empty line is not a request
    expect = ["usage", "ok", "usage", "usage", "usage", "usage", "usage", "usage", "usage", "usage", "usage", "usage",
              "usage", "usage", "usage"]
    got = [("ok" if json.loads(x).get("ok") else json.loads(x).get("error")) for x in replies[:len(expect)]]
    usage_ok = got == expect
    return r.rc == 0 and len(replies) == want and usage_ok, "exit %d, %d replies for %d requests; first %s" % (
        r.rc, len(replies), want, got)


@attack("batch", "typos never silently change a read: key, max_size and meta of the wrong type are usage")
def _(w):
    blob = os.path.join(w, "blob")
    open(blob, "wb").write(gz(b"typo"))
    reqs = [{"blob": blob, "key": 12}, {"blob": blob, "max_size": "10"}, {"blob": blob, "meta": False}]
    r = run(["batch"], stdin="".join(json.dumps(q) + "\n" for q in reqs).encode())
    replies = [json.loads(x) for x in r.out.decode().splitlines()]
    ok = len(replies) == 3 and all(x.get("error") == "usage" for x in replies)
    return ok, str([x.get("error") for x in replies])


@attack("arguments", "byte counts: -1 and 2^64 are usage, not 'no limit' (F15)")
def _(w):
    blob = os.path.join(w, "blob")
    open(blob, "wb").write(gz(b"x" * 1000))
    bad = [v for v in ("-1", "18446744073709551616") if run(["decode", "--no-meta", "--max-size", v, blob]).rc != 2]
    return not bad, "accepted: %s" % bad


# ---- crash between writes --------------------------------------------------------------------


def has_failpoints():
    """Whether the binary under test honours CASBLOB_FAILPOINT (older ones do not: their crash
    attacks would test nothing, and are skipped)."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "in")
        open(src, "wb").write(b"x")
        p = subprocess.run([CLI, "encode", src, os.path.join(d, "out")], env=dict(os.environ, CASBLOB_FAILPOINT="write:1"),
                           capture_output=True)
        return p.returncode == -signal.SIGKILL


def read_all_profiles(root, flow, key, content):
    """None if fine, else what went wrong: never wrong bytes; strict: right bytes or a clean error."""
    for prof in ("legacy", "v2", "v2-nolz4", "strict"):
        g = run(["get", "--root", root, "--flow", flow, "--profile", prof, key, "-"])
        if g.rc == 0 and g.out != content:
            return "%s returned wrong bytes" % prof
        if g.rc in (1, -9) or g.rc < 0:
            return "%s crashed or hung (exit %d)" % (prof, g.rc)
    return None


@attack("crash", "put killed after every write, fsync and rename: never wrong bytes; a re-put completes")
def _(w):
    if not has_failpoints():
        return None, "skipped: this binary has no failpoints (CASBLOB_FAILPOINT)"
    content = b"raw content that is itself gzip: " + gz(b"inner")
    src = os.path.join(w, "in")
    open(src, "wb").write(content)
    key = sha1(content)
    states, bad = 0, []
    for args in (["--version", "1"], ["--version", "2"], ["--version", "2", "--raw"]):
        for op in ("write", "fsync", "rename"):
            for n in range(1, 5):
                root = os.path.join(w, "r-%s-%s-%d" % ("".join(args), op, n))
                env = dict(os.environ, CASBLOB_FAILPOINT="%s:%d" % (op, n))
                p = subprocess.run([CLI, "put", "--root", root, "--flow", "F", *args, src], env=env, capture_output=True)
                states += 1
                problem = read_all_profiles(root, "F", key, content)
                if problem:
                    bad.append("%s %s:%d (exit %d): %s" % (" ".join(args), op, n, p.returncode, problem))
                r = run(["put", "--root", root, "--flow", "F", *args, src])
                g = run(["get", "--root", root, "--flow", "F", key, "-"])
                if r.rc != 0 or g.out != content:
                    bad.append("%s %s:%d: re-put exit %d, then get exit %d" % (" ".join(args), op, n, r.rc, g.rc))
    return not bad, "%d crash states; %s" % (states, "; ".join(bad[:3]))


@attack("crash", "encode over an existing OUT killed at every point never pairs old sidecar and new payload")
def _(w):
    if not has_failpoints():
        return None, "skipped: this binary has no failpoints (CASBLOB_FAILPOINT)"
    content = b"content that is not gzip"
    src = os.path.join(w, "in")
    open(src, "wb").write(content)
    bad = []
    for op in ("write", "fsync", "rename"):
        for n in range(1, 6):
            d = os.path.join(w, "%s%d" % (op, n))
            os.mkdir(d)
            out = os.path.join(d, "blob")
            run(["encode", "--raw", src, out])
            subprocess.run([CLI, "encode", src, out], env=dict(os.environ, CASBLOB_FAILPOINT="%s:%d" % (op, n)),
                           capture_output=True)
            for prof in ("legacy", "strict"):
                g = run(["decode", "--profile", prof, out, "-"])
                if g.rc == 0 and g.out != content:
                    bad.append("%s:%d %s wrong bytes" % (op, n, prof))
    return not bad, "; ".join(bad[:3])


@attack("crash", "SIGTERM, SIGINT and SIGHUP during a put remove its temporary file (F12)")
def _(w):
    bad = []
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        root = os.path.join(w, "root-%d" % sig)
        os.makedirs(root)
        p = subprocess.Popen([CLI, "put", "--root", root, "--flow", "F", "-"], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        p.stdin.write(b"x" * (1 << 20))
        p.stdin.flush()
        for _ in range(300):
            if temporaries(root):
                break
            time.sleep(0.01)
        had = bool(temporaries(root))
        p.send_signal(sig)
        p.wait(timeout=TIMEOUT)
        with contextlib.suppress(BrokenPipeError):
            p.stdin.close()
        if not had or temporaries(root):
            bad.append("signal %d: temporary before %s, after %s" % (sig, had, temporaries(root)))
    return not bad, "; ".join(bad)


# ---- concurrency -----------------------------------------------------------------------------


@attack("concurrency", "concurrent puts of one new content in three encodings: payload and sidecar always agree")
def _(w):
    content = b"raw content that is gzip: " + gz(b"inner" * 100)
    src = os.path.join(w, "in")
    open(src, "wb").write(content)
    key = sha1(content)
    bad = []
    for round_ in range(15):
        root = os.path.join(w, "r%d" % round_)
        procs = [subprocess.Popen([CLI, "put", "--root", root, "--flow", "F", *a, src], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
                 for a in (["--version", "1"], ["--version", "2"], ["--version", "2", "--raw"]) * 2]
        for p in procs:
            p.wait()
        problem = read_all_profiles(root, "F", key, content)
        g = run(["get", "--root", root, "--flow", "F", key, "-"])
        if problem or g.rc != 0 or temporaries(root):
            bad.append("round %d: %s, strict exit %d, temporaries %s" % (round_, problem, g.rc, temporaries(root)))
    return not bad, "; ".join(bad[:3])


RENAMES = "rename,renameat,renameat2"


def delayed(args, when, microseconds):
    """The CLI under strace, its `when`-th rename-family call delayed (the interleaving of F3a,
    made deterministic as the adversarial test made it)."""
    return ["strace", "-f", "-o", "/dev/null", "-e", "trace=" + RENAMES,
            "-e", "inject=%s:delay_enter=%d:when=%d" % (RENAMES, microseconds, when), CLI] + list(args)


@attack("concurrency", "two puts racing with their renames interleaved (strace-injected): never one's payload with the other's sidecar (F3a)")
def _(w):
    if not shutil.which("strace"):
        return None, "skipped: strace is not installed"
    content = b"raw content that is gzip: " + gz(b"inner" * 100)
    src = os.path.join(w, "in")
    open(src, "wb").write(content)
    key = sha1(content)
    bad = []
    # A (raw) places its payload first and its sidecar last; B (v1) places its payload in
    # between: with plain renames that leaves B's gzip payload beside A's raw sidecar, which
    # legacy returns as content.
    for round_ in range(6):
        root = os.path.join(w, "r%d" % round_)
        a = subprocess.Popen(delayed(["put", "--root", root, "--flow", "F", "--raw", src], 2, 600000),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        b = subprocess.Popen(delayed(["put", "--root", root, "--flow", "F", "--version", "1", src], 1, 300000),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        a.wait(timeout=TIMEOUT)
        b.wait(timeout=TIMEOUT)
        problem = read_all_profiles(root, "F", key, content)
        if problem:
            bad.append("round %d: %s" % (round_, problem))
    return not bad, "; ".join(bad[:3])


# ---- bounded memory --------------------------------------------------------------------------


def lz4_frames_of_empty_blocks(frames, blocks):
    # Frame: magic, FLG 0x60 (version 01, independent blocks, no checksums), BD 0x40 (64 KB),
    # HC 0x82 (the descriptor python-lz4 writes for empty content: lz4.frame.compress(b"")), then
    # empty uncompressed blocks (0x80000000) and the EndMark.
    one = struct.pack("<I", 0x184D2204) + bytes([0x60, 0x40, 0x82]) + struct.pack("<I", 0x80000000) * blocks + b"\0\0\0\0"
    return one * frames


@attack("memory", "report floods stay bounded: 4096 frames x 4096 empty blocks under strict decode and inspect (F9)")
def _(w):
    blob = os.path.join(w, "flood")
    with open(blob, "wb") as f:
        f.write(lz4_frames_of_empty_blocks(4096 if not QUICK else 512, 4096))
    open(blob + "_meta", "w").write('{"cas_raw": false, "cas_version": 2}')
    a = run(["decode", blob], measure_memory=True, timeout=120)
    b = run(["inspect", "--json", blob], measure_memory=True, timeout=120)
    limit_kib = 64 * 1024
    ok = a.rc == 0 and b.rc == 0 and (a.peak_kib or 0) < limit_kib and (b.peak_kib or 0) < limit_kib
    return ok, "decode exit %d peak %s KiB; inspect exit %d peak %s KiB (bound %d KiB)" % (
        a.rc, a.peak_kib, b.rc, b.peak_kib, limit_kib)


# ---- driver ----------------------------------------------------------------------------------

QUICK = False


def main():
    global CLI, QUICK
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cli", required=True)
    ap.add_argument("--json")
    ap.add_argument("--only", help="run one area")
    ap.add_argument("--quick", action="store_true", help="smaller floods")
    a = ap.parse_args()
    CLI = os.path.abspath(a.cli)
    QUICK = a.quick
    results = []
    for at in ATTACKS:
        if a.only and at.area != a.only:
            continue
        w = tempfile.mkdtemp(prefix="casblob-attack-")
        t = time.monotonic()
        try:
            held, detail = at.fn(w)
        except Exception as exc:  # an attack that breaks the script counts as not held
            held, detail = False, "%s: %s" % (type(exc).__name__, exc)
        finally:
            subprocess.run(["umount", "-l", os.path.join(w, "tmpfs")], capture_output=True)
            shutil.rmtree(w, ignore_errors=True)
        status = "skip" if held is None else ("held" if held else "FAILED")
        print("%-7s %-11s %-95s %5.1fs %s" % (status, at.area, at.name[:95], time.monotonic() - t, detail if detail else ""))
        sys.stdout.flush()
        results.append({"area": at.area, "attack": at.name, "status": status, "detail": detail})
    areas = sorted({r["area"] for r in results})
    print("\n| area | attacks | held | failed | skipped |\n|---|---|---|---|---|")
    for ar in areas:
        rs = [r for r in results if r["area"] == ar]
        print("| %s | %d | %d | %d | %d |" % (ar, len(rs), sum(r["status"] == "held" for r in rs),
                                            sum(r["status"] == "FAILED" for r in rs), sum(r["status"] == "skip" for r in rs)))
    failed = sum(r["status"] == "FAILED" for r in results)
    print("\n%d attacks, %d held, %d failed, %d skipped" % (len(results), sum(r["status"] == "held" for r in results),
                                                             failed, sum(r["status"] == "skip" for r in results)))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"cli": CLI, "results": results}, f, indent=1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
