"""Generated blocks (spec_tools.blocks): --check fails on any edit inside a block, writing
replaces only the block."""

from spec_tools import blocks

BEGIN, END = "<!-- BEGIN GENERATED: x -->", "<!-- END GENERATED -->"
BLOCK = BEGIN + "\n| a | 1 |\n" + END


def test_check_passes_when_equal_and_fails_on_an_edit(tmp_path, capsys):
    doc = tmp_path / "doc.md"
    doc.write_text("intro\n\n" + BLOCK + "\n\noutro\n")
    assert blocks.update(doc, BEGIN, END, BLOCK, check=True, what="x", fix="f") == 0
    doc.write_text(doc.read_text().replace("| a | 1 |", "| a | 2 |"))
    assert blocks.update(doc, BEGIN, END, BLOCK, check=True, what="x", fix="f") == 1
    assert "-| a | 2 |" in capsys.readouterr().out


def test_write_replaces_the_block_and_nothing_else(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("intro\n" + BEGIN + "\nold\n" + END + "\noutro " + END + "\n")
    assert blocks.update(doc, BEGIN, END, BLOCK, check=False, what="x", fix="f") == 0
    assert doc.read_text() == "intro\n" + BLOCK + "\noutro " + END + "\n"


def test_missing_markers_fail(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("no markers\n")
    assert blocks.update(doc, BEGIN, END, BLOCK, check=True, what="x", fix="f") == 1
