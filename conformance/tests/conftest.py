import os
import sys

import pytest

TESTS = os.path.dirname(os.path.abspath(__file__))
CONFORMANCE = os.path.dirname(TESTS)
REPO = os.path.dirname(CONFORMANCE)
for p in (CONFORMANCE, TESTS):
    if p not in sys.path:
        sys.path.insert(0, p)

import synth  # noqa: E402


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
