"""``command``: any implementation, in any language, driven through PROTOCOL.md.

A JSON config names the implementation, the profiles it claims and command templates:
``decode`` (a sidecar is given), ``no_meta`` (no sidecar), optional ``batch`` (JSON lines on
stdin, one result line per request on stdout), optional ``encode`` / ``encode_raw``.
Placeholders: {profile} {key} {meta} {blob} {max_size} {out} (decode), {version} {in} {out}
(encode), and everywhere {python} (this interpreter), {repo}, {config_dir} and {packages} (the
folder casconf was imported from: python/ in a checkout, site-packages once installed; as
``cwd``, ``{python} -m spec_reader`` finds this project's packages either way).
"""

from __future__ import annotations

import json
import os
import queue
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from casconf.adapters.base import Adapter
from casconf.model import ERRORS, EXIT_CODES, PROFILES, ReadRequest, Response

DEFAULT_TIMEOUT = 5.0           # seconds per case (status `timeout` beyond)
DEFAULT_MAX_SIZE = 1 << 32      # strict's default limit, passed when a case sets none
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# The folder holding the casconf package (and its sibling packages).
PACKAGES = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_SHA1 = re.compile(r"^[0-9a-f]{40}$")


class ConfigError(Exception):
    pass


def substitute(template: list[str], values: dict[str, str]) -> list[str]:
    def one(token: str) -> str:
        def repl(m):
            name = m.group(1)
            if name not in values:
                raise ConfigError("unknown placeholder {%s} in %r" % (name, token))
            return values[name]
        return _PLACEHOLDER.sub(repl, token)
    return [one(str(t)) for t in template]


def parse_reply(text: str, returncode: int | None) -> Response:
    """One result line -> Response; ``returncode`` None in batch mode (no exit code per line)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return Response.crash("no output (exit status %s)" % returncode)
    try:
        doc = json.loads(lines[-1])
    except ValueError:
        return Response.crash("output is not JSON: %r" % lines[-1][:200])
    if not isinstance(doc, dict) or not isinstance(doc.get("ok"), bool):
        return Response.crash("reply lacks a boolean \"ok\": %r" % lines[-1][:200])
    if doc["ok"]:
        sha1 = doc.get("sha1")
        if not isinstance(sha1, str) or not _SHA1.match(sha1):
            return Response.crash("ok reply without a valid \"sha1\": %r" % lines[-1][:200])
        if returncode not in (None, 0):
            return Response.crash("ok reply but exit status %d" % returncode)
        return Response.ok(sha1)
    error = doc.get("error")
    if error not in ERRORS:
        return Response.crash("unknown error name %r" % (error,))
    if returncode is not None and returncode != EXIT_CODES[error]:
        return Response.crash("error %s must exit %d, exited %d"
                              % (error, EXIT_CODES[error], returncode))
    detail = doc.get("detail")
    message = doc.get("message")
    return Response.err(error, detail if isinstance(detail, str) else None,
                        message if isinstance(message, str) else None)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


# What a reply may hold (F10): one JSON line per case is a few hundred bytes; an implementation
# that floods its output (`yes` as an adapter) is stopped at these bounds, not buffered until
# the driver runs out of memory.
MAX_REPLY_BYTES = 1 << 20
MAX_STDERR_BYTES = 64 << 10


def run_command(argv: list[str], timeout: float, cwd: str | None,
                env: dict | None) -> tuple[str, bytes, bytes, int | None]:
    """("done"|"timeout"|"flood"|"oserror", stdout, stderr, returncode). The child gets its own
    process group, killed whole on timeout or when its stdout passes MAX_REPLY_BYTES; stderr
    keeps its last MAX_STDERR_BYTES."""
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=cwd, env=env, start_new_session=True)
    except OSError as exc:
        return "oserror", b"", str(exc).encode(), None
    deadline = time.monotonic() + timeout
    out, err = bytearray(), bytearray()
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, out)
    sel.register(proc.stderr, selectors.EVENT_READ, err)
    try:
        while sel.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                _kill(proc)
                return "timeout", b"", bytes(err[-MAX_STDERR_BYTES:]), None
            for key, _ in sel.select(timeout=left):
                chunk = os.read(key.fileobj.fileno(), 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                key.data.extend(chunk)
                if key.data is out and len(out) > MAX_REPLY_BYTES:
                    _kill(proc)
                    return "flood", b"", bytes(err[-MAX_STDERR_BYTES:]), None
                if key.data is err and len(err) > 2 * MAX_STDERR_BYTES:
                    del err[:-MAX_STDERR_BYTES]
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _kill(proc)
            return "timeout", b"", bytes(err[-MAX_STDERR_BYTES:]), None
    finally:
        sel.close()
        proc.stdout.close()
        proc.stderr.close()
    return "done", bytes(out), bytes(err[-MAX_STDERR_BYTES:]), proc.returncode


class CommandAdapter(Adapter):
    def __init__(self, config: dict, repo: str, config_dir: str | None = None,
                 timeout: float | None = None):
        if not isinstance(config, dict) or not isinstance(config.get("name"), str):
            raise ConfigError("an adapter config is a JSON object with a \"name\"")
        self.name = config["name"]
        profiles = config.get("profiles", [])
        bad = [p for p in profiles if p not in PROFILES]
        if not profiles or bad:
            raise ConfigError("%s: profiles must be a non-empty subset of %s" % (self.name, list(PROFILES)))
        self.profiles = tuple(profiles)
        self.decode_t = config.get("decode")
        self.no_meta_t = config.get("no_meta", self.decode_t)
        self.batch_t = config.get("batch")
        self.encode_t = config.get("encode")
        self.encode_raw_t = config.get("encode_raw")
        if not (self.decode_t or self.batch_t):
            raise ConfigError("%s: needs a \"decode\" or a \"batch\" template" % self.name)
        self.write_versions = tuple(config.get("write_versions", (1, 2) if self.encode_t else ()))
        self.writes_raw = bool(self.encode_raw_t)
        policy = config.get("implementation_defined", "pinned")
        if policy not in ("pinned", "lenient"):
            raise ConfigError("%s: implementation_defined is \"pinned\" or \"lenient\"" % self.name)
        self.lenient_implementation_defined = policy == "lenient"
        self.timeout = float(timeout or config.get("timeout", DEFAULT_TIMEOUT))
        self.config_dir = config_dir or repo
        self.common = {"python": sys.executable, "repo": repo, "config_dir": self.config_dir,
                       "packages": PACKAGES}
        self.cwd = substitute([config.get("cwd", "{repo}")], self.common)[0]
        self.env = None
        if config.get("env"):
            self.env = dict(os.environ)
            self.env.update({k: substitute([v], self.common)[0] for k, v in config["env"].items()})
        self.requires = [substitute([p], self.common)[0] for p in config.get("requires", [])]
        # How many times a batch died or stalled and its first unanswered case ran alone
        # (reported per implementation as batch_fallbacks).
        self.fallbacks = 0

    # -- availability --------------------------------------------------------------------
    def unavailable(self):
        for path in self.requires:
            if not os.path.exists(path):
                return "%s not found" % path
        argv0 = (self.batch_t or self.decode_t)[0]
        exe = substitute([argv0], self.common)[0]
        if os.sep in exe:
            if not os.access(exe, os.X_OK):
                return "%s is not an executable file" % exe
        elif shutil.which(exe) is None:
            return "%s not on PATH" % exe
        return None

    # -- reading ---------------------------------------------------------------------------
    def read(self, profile: str, requests: list[ReadRequest]) -> list[Response]:
        with tempfile.TemporaryDirectory(prefix="casconf-") as scratch:
            if not self.batch_t:
                return [self._decode_one(profile, r, scratch) for r in requests]
            results: list[Response | None] = [None] * len(requests)
            start = 0
            while start < len(requests):
                stopped, failure = self._batch(profile, requests, start, results)
                if stopped is None:
                    break
                # The batch died or stalled at `stopped`: pin that request down alone (its
                # own process, its own timeout), then carry on batching after it.
                self.fallbacks += 1
                if self.decode_t:
                    results[stopped] = self._decode_one(profile, requests[stopped], scratch)
                else:
                    results[stopped] = failure
                start = stopped + 1
            return results

    def _values(self, profile: str, req: ReadRequest, scratch: str) -> dict:
        values = dict(self.common)
        values.update(profile=profile, key=req.key or "", meta=req.meta or "", blob=req.blob,
                      max_size=str(req.max_size if req.max_size is not None else DEFAULT_MAX_SIZE),
                      out=os.path.join(scratch, "decoded"))
        return values

    def _decode_one(self, profile: str, req: ReadRequest, scratch: str) -> Response:
        template = self.decode_t if req.meta is not None else self.no_meta_t
        argv = substitute(template, self._values(profile, req, scratch))
        state, out, err, rc = run_command(argv, self.timeout, self.cwd, self.env)
        if state == "timeout":
            return Response.timeout("no reply within %gs" % self.timeout)
        if state == "flood":
            return Response.crash("more than %d bytes of output for one case: stopped" % MAX_REPLY_BYTES)
        if state == "oserror":
            return Response.crash("cannot run %s: %s" % (argv[0], err.decode(errors="replace")))
        if rc is not None and rc < 0:
            return Response.crash("killed by signal %d" % -rc)
        reply = parse_reply(out.decode("utf-8", errors="replace"), rc)
        if reply.kind == "crash" and err:
            reply.message += "; stderr: " + err.decode("utf-8", errors="replace").strip()[-300:]
        return reply

    def _batch(self, profile, requests, start, results):
        """Runs requests[start:] through one batch process, filling ``results``. Returns
        (None, None) when all answered, else (index of the first unanswered, its Response)."""
        values = dict(self.common, profile=profile)
        argv = substitute(self.batch_t, values)
        lines = []
        for r in requests[start:]:
            lines.append(json.dumps({"blob": r.blob, "meta": r.meta, "profile": profile,
                                     "key": r.key, "max_size": r.max_size}) + "\n")
        payload = "".join(lines).encode()
        errfile = tempfile.TemporaryFile()
        try:
            proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=errfile, cwd=self.cwd, env=self.env,
                                    start_new_session=True)
        except OSError as exc:
            errfile.close()
            return start, Response.crash("cannot run %s: %s" % (argv[0], exc))
        replies: queue.Queue = queue.Queue()

        def feed():
            try:
                proc.stdin.write(payload)
                proc.stdin.close()
            except OSError:  # the child exited early: its replies tell what happened
                pass

        def drain():
            # Lines are read with a bound (F10): one longer than a reply can be ends the batch.
            while True:
                line = proc.stdout.readline(MAX_REPLY_BYTES + 1)
                if not line:
                    break
                if len(line) > MAX_REPLY_BYTES:
                    replies.put(b"\0flood")
                    return
                if line.strip():
                    replies.put(line)
            replies.put(None)

        threading.Thread(target=feed, daemon=True).start()
        threading.Thread(target=drain, daemon=True).start()
        i = start
        failure = None
        try:
            while i < len(requests):
                try:
                    line = replies.get(timeout=self.timeout)
                except queue.Empty:
                    failure = Response.timeout("batch: no reply within %gs" % self.timeout)
                    break
                if line is None:
                    proc.wait()
                    errfile.seek(0)
                    tail = errfile.read().decode("utf-8", errors="replace").strip()[-300:]
                    failure = Response.crash("batch process ended after %d of %d replies (exit %s)%s"
                                             % (i - start, len(requests) - start, proc.returncode,
                                                "; stderr: " + tail if tail else ""))
                    break
                if line == b"\0flood":
                    failure = Response.crash("batch: a reply line longer than %d bytes: stopped" % MAX_REPLY_BYTES)
                    break
                reply = parse_reply(line.decode("utf-8", errors="replace"), None)
                if reply.kind == "crash":
                    failure = reply
                    break
                results[i] = reply
                i += 1
        finally:
            if proc.poll() is None:
                if i < len(requests):
                    _kill(proc)
                else:
                    try:
                        proc.wait(timeout=self.timeout)
                    except subprocess.TimeoutExpired:
                        _kill(proc)
            errfile.close()
        if i >= len(requests):
            return None, None
        return i, failure

    # -- writing ---------------------------------------------------------------------------
    def encode(self, payload: bytes, version: int, raw: bool, workdir: str):
        template = self.encode_raw_t if raw else self.encode_t
        if not template:
            raise RuntimeError("%s cannot write %s blobs" % (self.name, "raw" if raw else "v%d" % version))
        src = os.path.join(workdir, "payload")
        dst = os.path.join(workdir, "stored")
        for stale in (dst, dst + "_meta"):  # never read back the previous encode's output
            if os.path.exists(stale):
                os.unlink(stale)
        with open(src, "wb") as f:
            f.write(payload)
        argv = substitute(template, dict(self.common, version=str(version), out=dst, **{"in": src}))
        state, out, err, rc = run_command(argv, max(self.timeout, 30.0), self.cwd, self.env)
        if state != "done" or rc != 0:
            raise RuntimeError("%s encode: %s %s %s" % (self.name, state, rc,
                                                         err.decode(errors="replace").strip()[-300:]))
        with open(dst, "rb") as f:
            stored = f.read()
        sidecar = None
        if os.path.exists(dst + "_meta"):
            with open(dst + "_meta", "rb") as f:
                sidecar = f.read()
        return stored, sidecar
