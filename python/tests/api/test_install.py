"""The project installs offline with Debian's Python and its console commands work: pip
installs a copy of the sources (pyproject.toml + python/) into a virtual environment that sees
Debian's python3-* packages, then each command runs from outside the checkout."""

import json
import os
import shutil
import subprocess

import pytest

from tests.conftest import REPO
from tests.support import fake_trees

pytestmark = pytest.mark.install

COMMANDS = ("casconf", "casblob-spec-reader", "casblob-fixtures-generate", "casblob-fixtures-lint")


def _run(argv, cwd, check=True):
    return subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=check)


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"  # a copy: pip builds in the source tree (build/, *.egg-info)
    src.mkdir()
    shutil.copy(os.path.join(REPO, "pyproject.toml"), src)
    shutil.copytree(os.path.join(REPO, "python"), src / "python",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    env = tmp / "venv"
    _run(["/usr/bin/python3", "-m", "venv", "--system-site-packages", "--without-pip", str(env)], tmp)
    out = _run([str(env / "bin" / "python"), "-m", "pip", "install", "--no-index", "--no-build-isolation",
                str(src)], tmp, check=False)
    assert out.returncode == 0, out.stdout
    return env


def test_the_console_commands_are_installed_and_the_checkout_only_tools_are_not(venv):
    for command in COMMANDS:
        assert os.access(venv / "bin" / command, os.X_OK), command
    site = next((venv / "lib").glob("python3*/site-packages"))
    installed = {p.name for p in site.iterdir() if (p / "__init__.py").exists()}
    assert installed == {"casconf", "casblob_fixtures", "metaflow_model", "metaflow_trees", "spec_reader"}


def test_installed_casconf_gate_runs_trees_from_site_packages(venv, tmp_path):
    # The gate's tree processes run `python -m metaflow_trees.worker` from the folder casconf was
    # imported from: site-packages once installed.
    head = fake_trees.build(str(tmp_path / "head"), "v2")
    base = fake_trees.build(str(tmp_path / "base"), "cas")
    out = _run([str(venv / "bin" / "casconf"), "gate", "--head", head, "--base", "cas=" + base, "--no-fixtures",
                "--payloads", "quick", "--quiet"], tmp_path, check=False)
    assert out.returncode == 0, out.stdout
    assert out.stdout.startswith("PASS: head %s against cas" % head)


def test_installed_casconf_runs_the_matrix_from_a_clone_root(venv, tmp_path):
    # From the root of a clone, ./fixtures is the default corpus; the spec reader runs as a
    # child process of the installed casconf.
    report = tmp_path / "r.json"
    out = _run([str(venv / "bin" / "casconf"), "run", "--impl", "python", "spec-reader", "--json", str(report)],
               REPO, check=False)
    assert out.returncode == 0, out.stdout
    assert out.stdout.splitlines()[-1].startswith("PASS: every claimed expectation holds")
    summary = json.loads(report.read_text())["summary"]
    assert summary["spec-reader/strict"]["pass"] > 300 and summary["spec-reader/strict"]["fail"] == 0
    elsewhere = _run([str(venv / "bin" / "casconf"), "run", "--impl", "python"], tmp_path, check=False)
    assert elsewhere.returncode == 1 and "give --fixtures DIR" in elsewhere.stdout


def test_installed_fixture_tools_and_spec_reader(venv, tmp_path):
    fixtures = os.path.join(REPO, "fixtures")
    lint = _run([str(venv / "bin" / "casblob-fixtures-lint"), "--fixtures", fixtures], tmp_path)
    assert lint.stdout.startswith("lint: OK")
    stats = _run([str(venv / "bin" / "casblob-fixtures-generate"), "--stats", "--fixtures", fixtures], tmp_path)
    assert stats.stdout.startswith("Cases: **")
    case = os.path.join(fixtures, "cases", "n_checksum_gzip_crc32_bit_flipped")
    blob = next(os.path.join(d, f) for d, _, fs in os.walk(case) for f in fs if not f.endswith("_meta"))
    reply = _run([str(venv / "bin" / "casblob-spec-reader"), "decode", "--json", blob], tmp_path, check=False)
    assert reply.returncode == 14
    assert json.loads(reply.stdout) == {"ok": False, "error": "corrupt", "detail": "checksum"}
