"""Shared fixtures. The tests run in place (python/README.md): ``/usr/bin/python3 python pytest
python/tests`` puts python/ first on the module path, so the packages and ``tests`` import."""

import os
import stat

import pytest

from casconf.adapters.command import PACKAGES
from tests.support import synth

REPO = os.path.dirname(PACKAGES)


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory):
    return synth.build(str(tmp_path_factory.mktemp("synth")))


@pytest.fixture(scope="session")
def repo():
    return REPO


@pytest.fixture(scope="session")
def real_fixtures():
    path = os.path.join(REPO, "fixtures")
    if not os.path.exists(os.path.join(path, "manifest.json")):
        pytest.skip("fixtures/manifest.json not generated yet")
    return path


@pytest.fixture(scope="session")
def casblob_cli():
    """The built reference CLI (ctest passes CASBLOB_CLI); tests that need it skip without it."""
    path = os.environ.get("CASBLOB_CLI") or os.path.join(REPO, "build", "bin", "casblob")
    if not os.access(path, os.X_OK):
        pytest.skip("reference CLI not built (CASBLOB_CLI)")
    return path


def module_launcher(directory, module: str) -> str:
    """An executable file running ``module`` of this checkout's packages (tests that need a
    program path, such as a stand-in for build/bin/casblob)."""
    path = os.path.join(str(directory), module.rsplit(".", 1)[-1])
    with open(path, "w") as f:
        f.write('#!/bin/sh\nexec /usr/bin/python3 "%s" %s "$@"\n' % (PACKAGES, module))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path
