"""The parent side of ``metaflow_trees.worker``: one child process per Metaflow tree.

``TreeProcess(tree).start()`` launches ``python -m metaflow_trees.worker`` (Debian's
``/usr/bin/python3`` unless another interpreter is given), with the working directory the folder
these packages are imported from, so the child finds this package the same way in a checkout
and once installed. ``read`` and ``write`` are the protocol of worker.py.

A child that dies or stalls on a key does not end the run: that key is recorded as
``unhandled`` (``<died: ...>`` / ``<timeout ...>``: a real task would have crashed or hung
there), the child is restarted and the remaining keys are read."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass

from metaflow_trees.generation import Generation

PACKAGES = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

RIGHT_BYTES, WRONG_BYTES, CLEAN_ERROR, UNHANDLED = "right_bytes", "wrong_bytes", "clean_error", "unhandled"
OUTCOMES = (RIGHT_BYTES, WRONG_BYTES, CLEAN_ERROR, UNHANDLED)


class TreeProcessError(Exception):
    """The child could not be started or spoke garbage (one-line message)."""


@dataclass(frozen=True)
class ReadResult:
    """What one tree's read path did with one key."""

    key: str
    kind: str                   # "bytes" | "clean_error" | "unhandled"
    sha1: str | None = None     # of the bytes returned (kind "bytes")
    size: int | None = None
    type: str | None = None     # exception class (errors)
    message: str | None = None
    seconds: float = 0.0

    @property
    def outcome(self) -> str:
        """right_bytes / wrong_bytes (bytes whose SHA-1 is not the key) / clean_error / unhandled."""
        if self.kind == "bytes":
            return RIGHT_BYTES if self.sha1 == self.key else WRONG_BYTES
        return CLEAN_ERROR if self.kind == "clean_error" else UNHANDLED

    def describe(self) -> str:
        if self.kind == "bytes":
            return "%s (%d bytes, sha1 %s)" % (self.outcome.replace("_", " "), self.size or 0, self.sha1)
        return "%s %s: %s" % (self.outcome.replace("_", " "), self.type, _one_line(self.message))


def _one_line(text: str | None, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


class TreeProcess:
    """One Metaflow tree, running its own code in its own interpreter.

    ``hide``: modules made unimportable in the child (``("lz4",)``: the tree on a host without
    lz4). ``timeout``: seconds to wait for each reply line."""

    def __init__(self, tree: str, generation: Generation, python: str | None = None, hide=(),
                 timeout: float = 120.0, env: dict | None = None, label: str | None = None):
        self.tree = os.path.abspath(tree)
        self.generation = generation
        self.python = python or sys.executable
        self.hide = tuple(hide)
        self.timeout = timeout
        self.env = env
        self.label = label or self.tree
        self.hello: dict | None = None
        self.restarts = 0
        self._proc = None
        self._lines: queue.Queue | None = None
        self._stderr = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> "TreeProcess":
        spec = json.dumps({"tree": self.tree, "generation": self.generation.to_json(), "hide": list(self.hide)})
        self._stderr = tempfile.TemporaryFile()
        env = dict(os.environ if self.env is None else self.env)
        try:
            self._proc = subprocess.Popen([self.python, "-m", "metaflow_trees.worker", spec], cwd=PACKAGES,
                                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
                                          env=env, text=True, encoding="utf-8", bufsize=1)
        except OSError as exc:
            raise TreeProcessError("%s: cannot start %s: %s" % (self.label, self.python, exc)) from None
        self._lines = queue.Queue()
        threading.Thread(target=self._pump, args=(self._proc, self._lines), daemon=True).start()
        hello = self._next(self.timeout)
        if hello is None or "hello" not in hello:
            raise TreeProcessError("%s: the worker did not start: %s" % (self.label, self._why(hello)))
        self.hello = hello
        return self

    @staticmethod
    def _pump(proc, lines):
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
        if self._stderr is not None:
            self._stderr.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    @property
    def import_error(self) -> str | None:
        """``Type: message`` when the tree's datastore does not import here, else None."""
        err = (self.hello or {}).get("import_error")
        return None if not err else "%s: %s" % (err["type"], _one_line(err["message"]))

    @property
    def stubbed(self) -> list[str]:
        return list((self.hello or {}).get("stubbed", ()))

    # -- protocol ------------------------------------------------------------------------------
    def _next(self, timeout: float):
        """The next reply as a dict; None when the child died (its stdout closed: then it is
        reaped, so ``_why`` can name its exit status) or stalled; raises on garbage."""
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass  # closed its stdout and lives on: _why says it gave no reply
            return None
        try:
            doc = json.loads(line)
        except ValueError:
            raise TreeProcessError("%s: the worker replied garbage: %r" % (self.label, line[:200])) from None
        if not isinstance(doc, dict):
            raise TreeProcessError("%s: the worker replied %r" % (self.label, line[:200]))
        return doc

    def _why(self, reply) -> str:
        if self._proc is not None and self._proc.poll() is not None:
            return "exited with status %s%s" % (self._proc.returncode, self._stderr_tail())
        return "no reply within %g s" % self.timeout if reply is None else repr(reply)[:200]

    def _stderr_tail(self) -> str:
        try:
            self._stderr.seek(0)
            lines = [ln for ln in self._stderr.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        except (OSError, ValueError):
            return ""
        return ": " + _one_line(lines[-1]) if lines else ""

    def _send(self, doc: dict) -> None:
        try:
            self._proc.stdin.write(json.dumps(doc) + "\n")
            self._proc.stdin.flush()
        except (OSError, ValueError):
            pass  # the child is gone: the next _next() says so

    def _restart(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
        self._proc = None
        if self._stderr is not None:
            self._stderr.close()
        self.restarts += 1
        self.start()

    def read(self, root: str, prefix: str, keys: list[str]) -> list[ReadResult]:
        """Each key read with the tree's own read path, in order."""
        results: list[ReadResult] = []
        pending = list(keys)
        while pending:
            self._send({"op": "read", "root": root, "prefix": prefix, "keys": pending})
            while pending:
                reply = self._next(self.timeout)
                if reply is None:  # died or stalled on pending[0]: that key's outcome
                    died = self._proc.poll() is not None
                    what = self._why(reply)
                    results.append(ReadResult(pending.pop(0), "unhandled", type="<died>" if died else "<timeout>",
                                              message="the reader process %s" % what, seconds=self.timeout * (not died)))
                    self._restart()
                    break
                if reply.get("key") != pending[0]:
                    raise TreeProcessError("%s: reply for %r while reading %r" % (self.label, reply.get("key"), pending[0]))
                pending.pop(0)
                results.append(ReadResult(reply["key"], reply["kind"], reply.get("sha1"), reply.get("size"),
                                          reply.get("type"), reply.get("message"), float(reply.get("seconds", 0))))
            else:
                done = self._next(self.timeout)
                if not (done or {}).get("done"):
                    raise TreeProcessError("%s: no end of read: %s" % (self.label, self._why(done)))
        return results

    def write(self, root: str, prefix: str, payload_files: list[str], raw: bool) -> dict:
        """``{"keys": [...], "seconds": S}`` or ``{"error": {"type", "message"}, "unsupported": bool}``
        (unsupported: this generation cannot write that way, e.g. raw blobs before the CAS)."""
        self._send({"op": "write", "root": root, "prefix": prefix, "payloads": list(payload_files), "raw": raw})
        reply = self._next(self.timeout)
        if reply is None:
            why = self._why(reply)
            self._restart()
            return {"error": {"type": "<died>", "message": "the writer process %s" % why}, "unsupported": False}
        return reply
