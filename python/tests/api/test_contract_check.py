"""The contract check agrees with the repository as committed, and fails as soon as one copy of
the contract tables is edited: each test edits one copy (in a copy of the documents, or the
module's table in memory) and expects exactly that copy to be named."""

import os
import re
import shutil

import pytest

import metaflow_model
import spec_reader
from casconf import model
from contract_check import check, copies, readme, tables
from tests.conftest import REPO

DOCS = ("README.md", "spec/cas-blob-format.md", "conformance/PROTOCOL.md", "fixtures/manifest.schema.json",
        "fixtures/manifest.json", "fixtures/README.md")


@pytest.fixture(scope="module")
def contract(casblob_cli):
    return tables.from_cli(casblob_cli)


@pytest.fixture
def docs(tmp_path):
    """A repository root holding copies of the documents the check reads."""
    for rel in DOCS:
        os.makedirs(tmp_path / os.path.dirname(rel), exist_ok=True)
        shutil.copy(os.path.join(REPO, rel), tmp_path / rel)
    return tmp_path


def edit(root, rel, pattern, replacement):
    path = root / rel
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert n == 1, "pattern %r not in %s" % (pattern, rel)
    path.write_text(new, encoding="utf-8")


def test_every_copy_in_the_repository_agrees(contract):
    assert copies.problems(contract, REPO) == []


@pytest.mark.parametrize("rel,pattern,replacement,named", [
    ("spec/cas-blob-format.md", r"^\| 13 \| `codec_unavailable` \|", "| 12 | `codec_unavailable` |", "spec 9.2"),
    ("spec/cas-blob-format.md", r"^\| `limit_exceeded` \|", "| `limit_exceed` |", "spec 9.1"),
    ("spec/cas-blob-format.md", r"^\| `trailing_data` \|", "| `trailing` |", "spec 9.1"),
    ("spec/cas-blob-format.md", r"^\| `v2-nolz4` \| `v2` with", "| `v2_nolz4` | `v2` with", "spec 7"),
    ("README.md", r"^\| 16 \| `key_mismatch` \|", "| 61 | `key_mismatch` |", "README.md"),
    ("README.md", r"^\| `strict` \| the reader the spec recommends", "| `strict` | the spec's reader", "README.md"),
    ("conformance/PROTOCOL.md", r"\| `io_error` \| 19 \|", "| `io_error` | 91 |", "conformance/PROTOCOL.md"),
    ("fixtures/manifest.schema.json", r'"size_mismatch", "data"\]', '"size_mismatch"]', "manifest.schema.json"),
    ("fixtures/manifest.schema.json", r'"limit_exceeded", "unhandled"\]', '"limit_exceeded", "unhandled", "oops"]',
     "manifest.schema.json"),
    ("fixtures/README.md", r"^\| `v2-nolz4` \|", "| `nolz4` |", "fixtures/README.md"),
])
def test_an_edited_document_copy_is_named(contract, docs, rel, pattern, replacement, named):
    assert copies.problems(contract, str(docs)) == []
    edit(docs, rel, pattern, replacement)
    found = copies.problems(contract, str(docs))
    assert found and all(p.startswith(named) or named in p.split(":")[0] for p in found), found


@pytest.mark.parametrize("module,attr,change,named", [
    (model, "EXIT_CODES", lambda t: {**t, "usage": 3}, "casconf.model"),
    (model, "ERRORS", lambda t: t[:-1], "casconf.model"),
    (model, "DETAILS", lambda t: t + ("bogus",), "casconf.model"),
    (model, "PROFILES", lambda t: tuple(reversed(t)), "casconf.model"),
    (spec_reader, "EXIT_CODES", lambda t: {**t, "corrupt": 41}, "spec_reader"),
    (metaflow_model, "PROFILES", lambda t: t[:2], "metaflow_model"),
])
def test_an_edited_module_copy_is_named(contract, monkeypatch, module, attr, change, named):
    monkeypatch.setattr(module, attr, change(getattr(module, attr)))
    found = copies.problems(contract, REPO)
    assert found and all(p.startswith(named) for p in found), found


def test_check_fails_on_an_edit_and_write_restores_the_readme(casblob_cli, docs, capsys):
    edit(docs, "README.md", r"^\| 18 \| `not_found` \| blob absent \|", "| 18 | `not_found` | gone |")
    assert check.main(["--casblob", casblob_cli, "--repo", str(docs)]) == 1
    assert "README.md: the exit-code table differs" in capsys.readouterr().out
    assert check.main(["--casblob", casblob_cli, "--repo", str(docs), "--write"]) == 0
    text = (docs / "README.md").read_text(encoding="utf-8")
    assert "| 18 | `not_found` | blob absent |" in text and text.count(readme.ERRORS_BEGIN) == 1
