"""What the gate makes the trees do: every tree writes the payload set with its own code, every
reader reads what the rules need with its own code; the result is the list of reads.

1. One ``metaflow_trees.TreeProcess`` per tree (head, each base), plus the head again with the
   third-party modules its store imports made unimportable (CODEC_OPTIONAL), started together.
2. Head and every base write every payload through their own ``save_blobs``, not raw and raw,
   each variant into its own store (one key cannot hold both); pre-CAS bases write through
   ``LocalDataStore.save_data`` and have no raw blobs.
3. The head's blobs are copied without their sidecars (SIDECAR_LOSS_SAFE).
4. Reads, one thread per reader: the head reads its own blobs, every base's, its blobs without
   sidecars and the fixture corpus; each base reads the head's blobs, with and without
   sidecars, and the corpus cases where the head's wrong bytes may be a known hazard; the
   head without its codecs reads every base's blobs.

A tree that does not import, or a base that cannot write, is a ``GateRunError`` (the gate's
exit status 3); a head that cannot write is a ROUNDTRIP violation instead."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from metaflow_trees import ReadResult, Tree, TreeProcess, TreeProcessError

HEAD, CORPUS = "head", "corpus"
ENCODED, RAW = "encoded", "raw"
KEPT, REMOVED, AS_STORED = "kept", "removed", "as stored"
PREFIX = "GateFlow/data"  # the CAS prefix of a flow's artifacts: <root>/<flow>/data/<kk>/<key>


class GateRunError(Exception):
    """A tree could not be imported or run (one line)."""


@dataclass(frozen=True)
class Blob:
    writer: str          # a tree's name, or CORPUS
    kind: str            # ENCODED, RAW or CORPUS
    sidecar: str         # KEPT, REMOVED or AS_STORED (fixtures)
    payload: str         # the payload's name, or the fixture's
    key: str
    root: str
    prefix: str
    fixture: object = None   # the manifest Case of a fixture
    encoding: str = ""       # what its sidecar says: "v1", "v2", "raw v2", "no sidecar", "unreadable sidecar"

    @property
    def needs_codec(self) -> bool:
        """Encoded in a version whose codec is not in Python's standard library (all but v1)."""
        return self.encoding.startswith("v") and self.encoding != "v1"


def sidecar_encoding(meta_path: str) -> str:
    try:
        with open(meta_path, "rb") as f:
            meta = json.load(f)
        version = meta.get("cas_version")
        return ("raw v%s" if meta.get("cas_raw") else "v%s") % version
    except FileNotFoundError:
        return "no sidecar"
    except (OSError, ValueError, AttributeError):
        return "unreadable sidecar"


@dataclass(frozen=True)
class Read:
    reader: str
    blob: Blob
    result: ReadResult


@dataclass
class Exercise:
    head: Tree
    bases: list[Tree]
    reads: list[Read] = field(default_factory=list)
    head_write_failures: list[dict] = field(default_factory=list)
    codecless: str | None = None          # the reader label of the head without its codecs
    fixtures_skipped: int = 0
    trees: list[dict] = field(default_factory=list)
    payloads: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def reads_by(self, reader: str, pred) -> list[Read]:
        return [rd for rd in self.reads if rd.reader == reader and pred(rd)]


def _fixture_blob(case) -> Blob | None:
    """A fixture as a Metaflow store sees it: the case folder is the CAS prefix. None when
    Metaflow cannot be pointed at it (its sidecar is not <blob>_meta)."""
    if case.meta not in (None, case.blob + "_meta") or (case.meta is None and os.path.exists(case.blob + "_meta")):
        return None
    prefix_dir = os.path.dirname(os.path.dirname(case.blob))
    return Blob(CORPUS, CORPUS, AS_STORED, case.name, os.path.basename(case.blob), os.path.dirname(prefix_dir),
                os.path.basename(prefix_dir), case)


def _strict_error(case) -> bool:
    return case.expect.get("strict", {}).get("outcome") == "error"


class _Run:
    def __init__(self, ex: Exercise, workdir: str, python, timeout: float, jobs: int):
        self.ex, self.workdir, self.python, self.timeout, self.jobs = ex, workdir, python, timeout, jobs
        self.procs: dict[str, TreeProcess] = {}
        self.info: dict[str, dict] = {}

    # 1. processes
    def start(self):
        head = self.ex.head
        wanted = [(head.name, head, ())] + [(b.name, b, ()) for b in self.ex.bases]
        hidden = tuple(c.module for c in head.generation.codecs)
        if hidden:
            self.ex.codecless = "%s without %s" % (HEAD, ", ".join(hidden))
            wanted.append((self.ex.codecless, head, hidden))

        def start_one(item):
            label, tree, hide = item
            t0 = time.monotonic()
            proc = TreeProcess(tree.path, tree.generation, python=self.python, hide=hide, timeout=self.timeout,
                               label=label)
            self.procs[label] = proc
            proc.start()
            return label, time.monotonic() - t0

        with ThreadPoolExecutor(max_workers=max(2, self.jobs)) as pool:
            futures = [pool.submit(start_one, w) for w in wanted]
            for (label, tree, hide), fut in zip(wanted, futures):
                try:
                    _, seconds = fut.result()
                except TreeProcessError as exc:
                    raise GateRunError(str(exc)) from None
                proc = self.procs[label]
                if proc.import_error and not hide:
                    raise GateRunError("%s (%s): its datastore does not import here: %s"
                                       % (label, tree.path, proc.import_error))
                self.info[label] = {"reader": label, "tree": tree.name, "hidden": list(hide),
                                    "python": proc.hello.get("python"), "stubbed": proc.stubbed,
                                    "import_error": proc.import_error, "start_seconds": round(seconds, 3)}

    # 2. writes
    def write(self, payloads: list[tuple[str, bytes]]) -> list[Blob]:
        pdir = os.path.join(self.workdir, "payloads")
        os.makedirs(pdir, exist_ok=True)
        files, keys = [], []
        for name, data in payloads:
            files.append(os.path.join(pdir, name))
            with open(files[-1], "wb") as f:
                f.write(data)
            keys.append(hashlib.sha1(data).hexdigest())
            self.ex.payloads.append({"name": name, "size": len(data), "key": keys[-1]})
        writers = [self.ex.head] + list(self.ex.bases)

        def write_one(index_tree):
            index, tree = index_tree
            out = []
            for kind in (ENCODED, RAW):
                root = os.path.join(self.workdir, "stores", "%d-%s" % (index, kind))
                t0 = time.monotonic()
                reply = self.procs[tree.name].write(root, PREFIX, files, raw=kind == RAW)
                out.append((tree, kind, root, reply, time.monotonic() - t0))
            return out

        blobs = []
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            for results in pool.map(write_one, enumerate(writers)):
                for tree, kind, root, reply, seconds in results:
                    self.info[tree.name].setdefault("write_seconds", {})[kind] = round(seconds, 3)
                    blobs += self._written(tree, kind, root, reply, payloads, keys)
        return blobs

    def _written(self, tree, kind, root, reply, payloads, keys) -> list[Blob]:
        is_head = tree is self.ex.head
        if "error" in reply:
            if reply.get("unsupported"):
                self.ex.notes.append("%s writes no %s blobs (%s)" % (tree.name, kind, reply["error"]["message"]))
                return []
            err = reply["error"]
            if not is_head:
                raise GateRunError("%s (%s): save_blobs failed: %s: %s" % (tree.name, tree.path, err["type"],
                                                                         err["message"]))
            self.ex.head_write_failures += [
                {"reader": HEAD, "writer": HEAD, "blob": kind, "sidecar": KEPT, "payload": name, "key": key,
                 "outcome": "write_failed", "type": err["type"], "message": err["message"],
                 "why": "head's save_blobs failed: %s: %s" % (err["type"], err["message"])}
                for (name, _), key in zip(payloads, keys)]
            return []
        if is_head and reply["keys"] != keys:
            for (name, _), want, got in zip(payloads, keys, reply["keys"] + [None] * len(keys)):
                if got != want:
                    self.ex.head_write_failures.append(
                        {"reader": HEAD, "writer": HEAD, "blob": kind, "sidecar": KEPT, "payload": name, "key": want,
                         "outcome": "wrong_key", "why": "save_blobs named it %s; its SHA-1 is %s" % (got, want)})
        return [Blob(tree.name, kind, KEPT, name, key, root, PREFIX,
                     encoding=sidecar_encoding(os.path.join(root, PREFIX, key[:2], key + "_meta")))
                for (name, _), key in zip(payloads, keys)]

    # 3. the head's blobs without sidecars
    def strip_sidecars(self, blobs: list[Blob]) -> list[Blob]:
        out = []
        for b in blobs:
            if b.writer != HEAD:
                continue
            src = os.path.join(b.root, b.prefix, b.key[:2], b.key)
            if not os.path.exists(src):
                continue  # not written: ROUNDTRIP says so
            root = os.path.join(self.workdir, "sidecar-removed", b.kind)
            dst = os.path.join(root, b.prefix, b.key[:2], b.key)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
            out.append(Blob(b.writer, b.kind, REMOVED, b.payload, b.key, root, b.prefix, encoding=b.encoding))
        return out

    # 4. reads
    def read(self, plans: dict[str, list[Blob]]) -> None:
        def read_plan(item):
            reader, blobs = item
            proc, out, i = self.procs[reader], [], 0
            t0 = time.monotonic()
            while i < len(blobs):  # one request per run of blobs in the same store
                j = i
                while j < len(blobs) and (blobs[j].root, blobs[j].prefix) == (blobs[i].root, blobs[i].prefix):
                    j += 1
                results = proc.read(blobs[i].root, blobs[i].prefix, [b.key for b in blobs[i:j]])
                out += [Read(reader, b, r) for b, r in zip(blobs[i:j], results)]
                i = j
            return reader, out, time.monotonic() - t0

        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            for reader, reads, seconds in pool.map(read_plan, plans.items()):
                self.ex.reads += reads
                self.info[reader].update(read_seconds=round(seconds, 3), reads=len(reads),
                                         restarts=self.procs[reader].restarts)

    def close(self):
        for proc in self.procs.values():
            proc.close()


def exercise(head: Tree, bases: list[Tree], payloads: list[tuple[str, bytes]], manifest, workdir: str,
             python: str | None = None, timeout: float = 120.0, jobs: int = 2) -> Exercise:
    """Runs the trees; the reads the rules judge. ``manifest``: the fixture corpus (or None)."""
    ex = Exercise(head, list(bases))
    run = _Run(ex, workdir, python, timeout, max(1, jobs))
    try:
        run.start()
        written = run.write(payloads)
        stripped = run.strip_sidecars(written)
        fixtures = []
        for case in (manifest.cases if manifest is not None else ()):
            blob = _fixture_blob(case)
            if blob is None:
                ex.fixtures_skipped += 1
            elif case.name.startswith("y_") or _strict_error(case):
                fixtures.append(blob)
        mine = [b for b in written if b.writer == HEAD]
        plans = {HEAD: mine + [b for b in written if b.writer != HEAD] + stripped + fixtures}
        for b in ex.bases:
            plans[b.name] = mine + stripped + [f for f in fixtures if _strict_error(f.fixture)]
        if ex.codecless:
            plans[ex.codecless] = [b for b in written if b.writer != HEAD]
        run.read(plans)
    finally:
        run.close()
    readers = [(HEAD, head, "head")] + [(b.name, b, "base") for b in bases]
    if ex.codecless:
        readers.append((ex.codecless, head, "head, codecs hidden"))
    ex.trees = [dict(run.info[label], role=role, **_tree_json(tree)) for label, tree, role in readers
                if label in run.info]
    return ex


def _tree_json(tree: Tree) -> dict:
    doc = tree.to_json()
    doc.pop("name")
    return doc
