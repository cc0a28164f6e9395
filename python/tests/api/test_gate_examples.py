"""conformance/examples/metaflow-gate.yml, the example GitHub Actions job for Metaflow's
repository: it parses as YAML (Debian's python3-yaml), every program it runs exists, every
casconf command line it runs is accepted by casconf's own parser, the packages it installs are
the ones scripts/setup installs, and its steps, run in order on a fake Metaflow clone (tags
2.3.6 and 2.19.38, a careful v2 head), pass the gate and fill the job summary."""

import os
import re
import shlex
import shutil
import subprocess

import pytest
import yaml

from casconf.cli import parser
from casconf.gate import allowlist
from tests.conftest import REPO
from tests.support import fake_trees

pytestmark = pytest.mark.gate

WORKFLOW = os.path.join(REPO, "conformance", "examples", "metaflow-gate.yml")


@pytest.fixture(scope="module")
def workflow():
    with open(WORKFLOW, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _steps(workflow):
    return workflow["jobs"]["gate"]["steps"]


def _commands(script: str) -> list[str]:
    """Each simple command of a shell script (continuations joined, split at ; && || | and $(...))."""
    text = script.replace("\\\n", " ")
    out = []
    for line in text.splitlines():
        line = line.replace("$(", ";").replace(")", ";")
        out += [c.strip() for c in re.split(r"&&|\|\||[|;]", line) if c.strip()]
    return out


def _program(command: str) -> str:
    words = [w for w in shlex.split(command) if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", w)]
    return words[0] if words else ""


def _setup_packages() -> set[str]:
    with open(os.path.join(REPO, "scripts", "setup"), encoding="utf-8") as f:
        text = f.read()
    return set(text[text.index("PACKAGES=(") + len("PACKAGES=("):text.index(")", text.index("PACKAGES=("))].split())


def test_it_is_a_pull_request_job_on_the_datastore_paths(workflow):
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as true
    assert "metaflow/datastore/**" in on["pull_request"]["paths"]
    uses = [s["uses"] for s in _steps(workflow) if "uses" in s]
    assert uses and all(re.fullmatch(r"[\w-]+/[\w-]+@v\d+", u) for u in uses), uses


def test_every_command_it_runs_exists_and_casconf_accepts_its_options(workflow):
    casconf = 0
    for step in _steps(workflow):
        for command in _commands(step.get("run", "")):
            program = _program(command)
            if program in ("", "sudo"):
                continue  # an assignment alone; the install step (tested below)
            assert shutil.which(program), (step["name"], program)
            words = shlex.split(command)
            if words[:3] == ["/usr/bin/python3", "python", "casconf"]:
                args = parser().parse_args([w.replace("$last", "2.19.38") for w in words[3:]])  # exits 2 if not
                assert args.cmd == "gate" and args.github and args.allow
                assert step["working-directory"] == "casblob"
                allowlist.load(os.path.join(REPO, args.allow))  # the allow-list it names is valid
                casconf += 1
    assert casconf == 1


def test_the_packages_it_installs_are_the_ones_scripts_setup_installs(workflow):
    installs = [c for s in _steps(workflow) for c in _commands(s.get("run", "")) if " install " in c]
    assert installs
    for command in installs:
        packages = {w for w in shlex.split(command)[3:] if not w.startswith("-")}
        assert packages and packages <= _setup_packages(), packages - _setup_packages()


def _git(repo, *args):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_its_steps_pass_the_gate_on_a_fake_metaflow_clone(workflow, tmp_path):
    clone = tmp_path / "metaflow"
    clone.mkdir()
    _git(clone, "init", "-q")
    for tag, generation in [("2.3.6", "pre-cas"), ("2.19.38", "cas"), (None, "v2")]:
        shutil.rmtree(clone / "metaflow", ignore_errors=True)
        fake_trees.build(str(clone), generation)
        _git(clone, "add", "-A")
        _git(clone, "commit", "-qm", generation)
        if tag:
            _git(clone, "tag", tag)
    casblob = tmp_path / "casblob"  # the checkout: what the job uses of it, linked
    casblob.mkdir()
    for part in ("python", "fixtures", "conformance"):
        os.symlink(os.path.join(REPO, part), casblob / part)
    summary = tmp_path / "summary.md"
    env = dict(os.environ, GITHUB_STEP_SUMMARY=str(summary), XDG_CACHE_HOME=str(tmp_path / "cache"))
    ran = []
    for step in _steps(workflow):
        if "run" not in step or "sudo " in step["run"]:
            continue
        cwd = tmp_path / step.get("working-directory", ".")
        p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=cwd,
                           env=env, capture_output=True, text=True)
        assert p.returncode == 0, (step["name"], p.stdout[-3000:], p.stderr[-3000:])
        ran.append(step["name"])
        if "casconf gate" in step["run"]:
            assert "::warning title=casconf gate%3A FORWARD_CLEAN 2.3.6 (allowed)::" in p.stdout
            assert "::notice title=casconf gate%3A pass::PASS: head HEAD against 2.19.38, 2.3.6" in p.stdout
    assert len(ran) == 2
    assert summary.read_text().startswith("### casblob gate: PASS")
    assert {p.name for p in tmp_path.glob("gate.*")} == {"gate.json", "gate.xml", "gate.md"}
