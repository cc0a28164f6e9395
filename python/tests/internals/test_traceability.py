"""spec_tools.traceability's check of the code's requirement citations (`// R-READ-4`)."""

from spec_tools import traceability

BOGUS = "R-" + "NOPE-99"  # spelled apart: this file is code the check reads


def test_code_citations_find_every_cited_id_with_its_place(tmp_path, monkeypatch):
    (tmp_path / "reference" / "src").mkdir(parents=True)
    (tmp_path / "reference" / "src" / "a.cpp").write_text("int x;  // R-READ-4\n// %s and R-KEY-2\n" % BOGUS)
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "b.py").write_text("# R-KEY-2\n")
    (tmp_path / "python" / "notes.md").write_text("R-" + "MD-1 is not code\n")
    monkeypatch.setattr(traceability, "ROOT", tmp_path)
    assert traceability.code_citations() == {
        "R-READ-4": ["reference/src/a.cpp:1"], BOGUS: ["reference/src/a.cpp:2"],
        "R-KEY-2": ["reference/src/a.cpp:2", "python/b.py:1"]}


def test_an_undefined_requirement_cited_in_the_code_fails_the_check(monkeypatch, capsys):
    real = traceability.code_citations
    monkeypatch.setattr(traceability, "code_citations", lambda: {**real(), BOGUS: ["reference/src/x.cpp:7"]})
    assert traceability.main([]) == 1
    assert BOGUS + " is cited in the code (reference/src/x.cpp:7) but the spec does not define it" in capsys.readouterr().out


def test_the_repository_cites_only_defined_requirements(capsys):
    assert traceability.main([]) == 0, capsys.readouterr().out
