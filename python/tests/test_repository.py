"""What a clean clone must not hold (CI runs on one)."""

import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.skipif(shutil.which("git") is None or not os.path.exists(os.path.join(ROOT, ".git")),
                    reason="not a git checkout")
def test_no_symbolic_link_and_no_installed_package_is_tracked():
    # A worktree's node_modules link was once committed: a clean clone then had a dangling
    # link where scripts/setup installs s3rver.
    staged = subprocess.run(["git", "-C", ROOT, "ls-files", "-s"], capture_output=True, text=True, check=True).stdout
    links = [line.split("\t", 1)[1] for line in staged.splitlines() if line.startswith("120000 ")]
    installed = [line.split("\t", 1)[1] for line in staged.splitlines() if "node_modules" in line.split("\t", 1)[1]]
    assert links == [] and installed == []
