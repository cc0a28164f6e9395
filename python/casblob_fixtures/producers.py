"""The real producers of blobs: Python's gzip module and python-lz4 (as Metaflow and PR #3090
call them, with a fixed MTIME), and the gzip / lz4 / zstd command line tools, fed from stdin
or from a file with a fixed mtime so that their output is deterministic."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import tempfile

import lz4.frame

from casblob_fixtures.builders.gzip_member import MTIME


def python_gzip(data: bytes, level: int = 3, mtime: int = MTIME, filename: str | None = None) -> bytes:
    """gzip.GzipFile as Metaflow uses it (level 3), with a fixed MTIME; optional FNAME."""
    buf = io.BytesIO()
    kwargs = {"filename": filename} if filename else {}
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=level, mtime=mtime, **kwargs) as f:
        f.write(data)
    return buf.getvalue()


def python_lz4(data: bytes, **kwargs) -> bytes:
    return lz4.frame.compress(data, **kwargs)


def run_cli(argv: list, data: bytes, filename: str | None = None, file_mtime: int = MTIME) -> bytes:
    """Runs a compressor CLI on data (stdin, or a file named `filename` with a fixed mtime)."""
    env = dict(os.environ, LC_ALL="C", GZIP="")
    env.pop("GZIP", None)
    env.pop("LZ4", None)
    if filename is None:
        return subprocess.run(argv, input=data, stdout=subprocess.PIPE, check=True, env=env).stdout
    with tempfile.TemporaryDirectory(prefix="casblob-fx-") as tmp:
        path = os.path.join(tmp, filename)
        with open(path, "wb") as f:
            f.write(data)
        os.utime(path, (file_mtime, file_mtime))
        return subprocess.run(argv + [path], stdout=subprocess.PIPE, check=True, env=env, cwd=tmp).stdout


def gzip_cli(data: bytes, *args, filename: str | None = None) -> bytes:
    return run_cli(["gzip", "-c", *args], data, filename)


def lz4_cli(data: bytes, *args) -> bytes:
    return run_cli(["lz4", "-c", "-q", *args], data)


def zstd_cli(data: bytes, *args) -> bytes:
    return run_cli(["zstd", "-c", "-q", *args], data)
