import pytest

from casconf.model import Response, classify, is_silent_corruption

OK = {"outcome": "ok"}
K = "a" * 40
B = "b" * 40


@pytest.mark.parametrize("expect,actual,status", [
    (OK, OK, "pass"),
    (OK, {"outcome": "error", "error": "corrupt"}, "should-have-passed"),
    (OK, {"outcome": "wrong_bytes", "sha1": B}, "wrong-bytes"),
    ({"outcome": "error", "error": "corrupt"}, OK, "should-have-failed"),
    ({"outcome": "error", "error": "corrupt"}, {"outcome": "error", "error": "meta_invalid"}, "wrong-error"),
    ({"outcome": "error", "error": "corrupt"}, {"outcome": "wrong_bytes", "sha1": B}, "wrong-bytes"),
    ({"outcome": "wrong_bytes", "sha1": B}, {"outcome": "wrong_bytes", "sha1": B}, "pass"),
    ({"outcome": "wrong_bytes", "sha1": B}, {"outcome": "wrong_bytes", "sha1": K}, "wrong-bytes"),
    ({"outcome": "wrong_bytes", "sha1": B}, OK, "should-have-failed"),
    ({"outcome": "wrong_bytes", "sha1": B}, {"outcome": "error", "error": "corrupt"}, "should-have-passed"),
    (OK, {"outcome": "crash", "message": "x"}, "crash"),
    (OK, {"outcome": "timeout", "message": "x"}, "timeout"),
    (OK, {"outcome": "not-run", "message": "x"}, "not-run"),
])
def test_classify(expect, actual, status):
    assert classify(expect, actual) == status


def test_a_corrupt_detail_is_part_of_the_strict_outcome():
    # R-PROF-1: a strict expectation's detail must match; an expectation without one (the
    # measured profiles) accepts any detail.
    checksum = {"outcome": "error", "error": "corrupt", "detail": "checksum"}
    assert classify(checksum, {"outcome": "error", "error": "corrupt", "detail": "data"}) == "wrong-error"
    assert classify(checksum, {"outcome": "error", "error": "corrupt"}) == "wrong-error"
    assert classify(checksum, dict(checksum)) == "pass"
    assert classify({"outcome": "error", "error": "corrupt"}, checksum) == "pass"


def test_response_outcome_compares_sha1_with_key():
    assert Response.ok(K).outcome(K) == {"outcome": "ok"}
    assert Response.ok(B).outcome(K) == {"outcome": "wrong_bytes", "sha1": B}
    assert is_silent_corruption(Response.ok(B).outcome(K))
    assert not is_silent_corruption(Response.err("corrupt").outcome(K))


def test_an_unhandled_outcome_names_its_exception_class():
    # R-PROF-2: for a modelled reader that raises (every pre-cas failure), the class is the outcome.
    bad_gzip = {"outcome": "error", "error": "unhandled", "exception": "BadGzipFile"}
    cli = Response.err("unhandled", None, "EOFError: Compressed file ended (gzip: input ends inside deflate data)")
    assert cli.outcome(K)["exception"] == "EOFError"
    assert classify(bad_gzip, cli.outcome(K)) == "wrong-error"
    assert classify(bad_gzip, Response.err("unhandled", None, "BadGzipFile: Not a gzipped file").outcome(K)) == "pass"
    assert classify(bad_gzip, Response.err("unhandled", "BadGzipFile", "x").outcome(K)) == "pass"
    assert classify(bad_gzip, Response.err("unhandled", "zlib.error", "x").outcome(K)) == "wrong-error"
    # An implementation that names no class is judged on the error name alone.
    assert "exception" not in Response.err("unhandled", None, "it broke").outcome(K)
    assert classify(bad_gzip, Response.err("unhandled", None, "it broke").outcome(K)) == "pass"
