"""A Metaflow source tree from a git clone: ``git archive <commit> metaflow`` extracted into a
cache folder named by the commit, so every revision is extracted once and reused.

The clone may be bare or not (``git -C CLONE`` works for both). The extraction goes to a
temporary folder renamed into place when complete: an interrupted run never leaves a partial
tree behind, and two runs extracting the same commit at once both end with a whole one."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile


class MaterialiseError(Exception):
    """The revision could not be resolved or extracted (one-line message)."""


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "casblob", "metaflow-trees")


def _git(repo: str, *args: str, stdout=subprocess.PIPE) -> subprocess.Popen:
    try:
        return subprocess.Popen(["git", "-C", repo, *args], stdout=stdout, stderr=subprocess.PIPE)
    except OSError as exc:
        raise MaterialiseError("cannot run git: %s" % exc) from None


def resolve(repo: str, rev: str) -> str:
    """The full commit id ``rev`` names in ``repo``."""
    proc = _git(repo, "rev-parse", "--verify", "--quiet", "%s^{commit}" % rev)
    out, err = proc.communicate()
    if proc.returncode != 0:
        detail = err.decode("utf-8", "replace").strip().splitlines()
        raise MaterialiseError("%s: no commit %r%s" % (repo, rev, (": " + detail[-1]) if detail else ""))
    return out.decode().strip()


def _extract(stream, dest: str) -> None:
    """Regular files and folders of a tar stream under ``dest``; nothing outside it."""
    with tarfile.open(fileobj=stream, mode="r|") as tar:
        for member in tar:
            parts = member.name.split("/")
            if member.name.startswith("/") or ".." in parts:
                raise MaterialiseError("refusing archive member %r" % member.name)
            target = os.path.join(dest, *parts)
            if member.isdir():
                os.makedirs(target, exist_ok=True)
            elif member.isfile():
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with tar.extractfile(member) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
                os.chmod(target, 0o755 if member.mode & 0o111 else 0o644)
            # symbolic links and the like are left out: the datastore code has none


def materialise(repo: str, rev: str, cache_dir: str | None = None) -> tuple[str, str]:
    """(folder holding the ``metaflow`` package of ``rev``, its commit id)."""
    commit = resolve(repo, rev)
    cache = os.path.abspath(cache_dir or default_cache_dir())
    dest = os.path.join(cache, commit)
    if os.path.isdir(os.path.join(dest, "metaflow")):
        return dest, commit
    os.makedirs(cache, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".%s." % commit[:12], dir=cache)
    try:
        proc = _git(repo, "archive", "--format=tar", commit, "metaflow")
        broken = None
        try:
            _extract(proc.stdout, tmp)
            # tarfile stops at the end-of-archive block; git may still be writing the padding
            # after it, and closing the pipe then kills git with SIGPIPE (exit status -13).
            while proc.stdout.read(1 << 16):
                pass
        except tarfile.TarError as exc:
            broken = exc
        finally:
            proc.stdout.close()
            err = proc.stderr.read().decode("utf-8", "replace").strip()
            proc.wait()
        if proc.returncode != 0 or broken is not None:  # git's own reason first
            why = err.splitlines()[-1] if proc.returncode != 0 and err else broken or "exit status %d" % proc.returncode
            raise MaterialiseError("git archive %s metaflow: %s" % (commit[:12], why))
        try:
            os.rename(tmp, dest)
        except OSError:
            if not os.path.isdir(os.path.join(dest, "metaflow")):  # not another run's whole tree
                raise
    finally:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    return dest, commit
