"""materialise() reads git archive's output to its end (the release-history sweep hit git dying of
SIGPIPE, exit status -13, when tarfile stopped at the end-of-archive block of a real tag)."""

import io
import os
import stat
import sys
import tarfile

from metaflow_trees import materialise

COMMIT = "ab" * 20


def _fake_git(bin_dir):
    """A `git` that resolves any revision to COMMIT and archives one file followed by 1 MiB of
    zero blocks (more than a pipe holds): tar readers stop before the end of the stream."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        data = b"# fake\n"
        info = tarfile.TarInfo("metaflow/__init__.py")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    archive = os.path.join(str(bin_dir), "archive.tar")
    with open(archive, "wb") as f:
        f.write(buf.getvalue() + bytes(1 << 20))
    script = os.path.join(str(bin_dir), "git")
    with open(script, "w") as f:
        # SIGPIPE kills it, as it kills git (Python would otherwise ignore it).
        f.write("#!%s\nimport signal, sys\nsignal.signal(signal.SIGPIPE, signal.SIG_DFL)\nargs = sys.argv[3:]\n"
                "if args[0] == 'rev-parse':\n    print(%r)\n"
                "elif args[0] == 'archive':\n    sys.stdout.buffer.write(open(%r, 'rb').read())\n"
                % (sys.executable, COMMIT, archive))
    os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR)


def test_the_whole_archive_stream_is_read_so_git_exits_cleanly(tmp_path, monkeypatch):
    _fake_git(tmp_path)
    monkeypatch.setenv("PATH", "%s%s%s" % (tmp_path, os.pathsep, os.environ["PATH"]))
    path, commit = materialise(str(tmp_path), "2.7.12", str(tmp_path / "cache"))
    assert commit == COMMIT
    assert open(os.path.join(path, "metaflow", "__init__.py")).read() == "# fake\n"
