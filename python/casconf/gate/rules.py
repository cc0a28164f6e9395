"""The gate's rules (spec 11.4, R-FWD-7): the one table of them, and how each is judged.

Every rule is judged on reads (``exercise.Read``): which tree read which blob, and what its
own code returned. A rule yields one row per base it concerns (``base`` None: the head alone),
each with every case it judged; a case is ``ok``, a ``violation`` or a ``warning`` (a known
hazard, BACKWARD_TRANSITIVE only)."""

from __future__ import annotations

from dataclasses import dataclass, field

from metaflow_trees import CLEAN_ERROR, RIGHT_BYTES, UNHANDLED, WRONG_BYTES

from casconf.gate.exercise import CORPUS, HEAD, KEPT, REMOVED


@dataclass(frozen=True)
class Rule:
    name: str
    readers: str
    blobs: str
    holds: str


# The one source of the rule table: spec 11.4 and conformance/GATE.md are generated from it.
RULES = (
    Rule("ROUNDTRIP", "head", "every blob head wrote, raw and not raw",
         "right bytes"),
    Rule("BACKWARD_TRANSITIVE", "head", "every blob each base wrote; every `y_` fixture; every fixture whose "
         "`strict` column is an error",
         "right bytes on blobs and `y_` fixtures; no wrong bytes on the others beyond known hazards (the "
         "manifest's column for the head's profile, or a base, returns the same bytes: a warning)"),
    Rule("FORWARD_CLEAN", "each base", "every blob head wrote",
         "right bytes or that base's clean error (its `DataException`)"),
    Rule("FORWARD_SAFE", "each base", "every blob head wrote",
         "never wrong bytes (also where a pre-CAS reader can only fail unhandled)"),
    Rule("SIDECAR_LOSS_SAFE", "head and each base", "every blob head wrote, with its sidecar removed (a copy "
         "that drops object metadata; the 2.9.5-2.19.19 S3 `put_many` bug)",
         "never wrong bytes"),
    Rule("CODEC_OPTIONAL", "head on a host without the third-party modules its store imports (lz4)",
         "every blob each base wrote", "right bytes (R-PROF-3: a new codec is imported lazily)"),
)
RULE_NAMES = tuple(r.name for r in RULES)
BY_NAME = {r.name: r for r in RULES}

OK, VIOLATION, WARNING = "ok", "violation", "warning"
PASS, FAIL, ALLOWED = "pass", "fail", "allowed"


@dataclass
class Row:
    rule: str
    base: str | None          # None: the head alone (ROUNDTRIP, the head's SIDECAR_LOSS_SAFE)
    reader: str
    cases: list[dict] = field(default_factory=list)
    status: str = PASS
    allowed_reason: str | None = None
    note: str | None = None

    @property
    def violations(self) -> int:
        return sum(c["verdict"] == VIOLATION for c in self.cases)

    @property
    def warnings(self) -> int:
        return sum(c["verdict"] == WARNING for c in self.cases)

    @property
    def seconds(self) -> float:
        return round(sum(c.get("seconds", 0.0) for c in self.cases), 3)

    @property
    def ident(self) -> str:
        return self.rule if self.base is None else "%s %s" % (self.rule, self.base)

    def settle(self) -> "Row":
        self.status = FAIL if self.violations else PASS
        return self


def _case(read, verdict: str, why: str | None = None) -> dict:
    r, b = read.result, read.blob
    case = {"reader": read.reader, "writer": b.writer, "blob": b.kind, "encoding": b.encoding, "sidecar": b.sidecar,
            "payload": b.payload, "key": b.key, "outcome": r.outcome, "verdict": verdict, "seconds": r.seconds}
    if r.kind == "bytes":
        case["sha1"], case["size"] = r.sha1, r.size
    else:
        case["type"], case["message"] = r.type, r.message
    if why:
        case["why"] = why
    return case


def _row(rule, base, reader, reads, judge, note=None) -> Row:
    """A row of ``reads``, each judged by ``judge(read)``: None when the rule holds, else
    (VIOLATION or WARNING, why)."""
    row = Row(rule, base, reader, note=note)
    for rd in reads:
        flag = judge(rd)
        row.cases.append(_case(rd, OK) if flag is None else _case(rd, *flag))
    return row.settle()


def _must_be(outcomes, why=""):
    def judge(rd):
        return None if rd.result.outcome in outcomes else (VIOLATION, why + rd.result.describe())
    return judge


RIGHT = {RIGHT_BYTES}
RIGHT_OR_CLEAN = {RIGHT_BYTES, CLEAN_ERROR}
NOT_WRONG = {RIGHT_BYTES, CLEAN_ERROR, UNHANDLED}


def evaluate(ex) -> list[Row]:
    """Every rule's rows, in RULES order, from an ``exercise.Exercise``."""
    bases = [b.name for b in ex.bases]

    def heads(rd, sidecar=KEPT):
        return rd.blob.writer == HEAD and rd.blob.sidecar == sidecar

    def by(reader, pred):
        return ex.reads_by(reader, pred)

    roundtrip = _row("ROUNDTRIP", None, HEAD, by(HEAD, heads), _must_be(RIGHT, "not its own bytes back: "))
    roundtrip.cases[:0] = [dict(c, verdict=VIOLATION) for c in ex.head_write_failures]
    rows = [roundtrip.settle()]
    rows += [_row("BACKWARD_TRANSITIVE", b, HEAD, by(HEAD, lambda rd, b=b: rd.blob.writer == b),
                  _must_be(RIGHT, "an old blob not read right: ")) for b in bases]
    rows.append(_row("BACKWARD_TRANSITIVE", CORPUS, HEAD, by(HEAD, lambda rd: rd.blob.kind == CORPUS),
                     _corpus_judge(ex), note="%d fixtures skipped: their sidecar is not <blob>_meta, where Metaflow "
                                             "looks" % ex.fixtures_skipped if ex.fixtures_skipped else None))
    rows += [_row("FORWARD_CLEAN", b, b, by(b, heads), _must_be(RIGHT_OR_CLEAN, "not a clean error: ")) for b in bases]
    rows += [_row("FORWARD_SAFE", b, b, by(b, heads), _must_be(NOT_WRONG)) for b in bases]
    rows += [_row("SIDECAR_LOSS_SAFE", None if r == HEAD else r, r, by(r, lambda rd: heads(rd, REMOVED)),
                  _must_be(NOT_WRONG)) for r in [HEAD] + bases]

    def codec_free(rd):  # a blob whose encoding needs the hidden codec may fail, cleanly
        return _must_be(RIGHT_OR_CLEAN if rd.blob.needs_codec else RIGHT)(rd)

    note = None if ex.codecless else "head's store imports no third-party module: nothing to hide"
    rows += [_row("CODEC_OPTIONAL", b, ex.codecless or HEAD, by(ex.codecless, lambda rd, b=b: rd.blob.writer == b),
                  codec_free, note=note) for b in bases]
    return rows


def _corpus_judge(ex):
    """BACKWARD_TRANSITIVE over the fixture corpus: every ``y_`` fixture right bytes; on a
    fixture whose strict column is an error, wrong bytes are a warning when known (the same
    bytes in the manifest's column for the head's profile, or from a base), else a violation."""
    profile = ex.head.generation.profile
    from_bases: dict[str, set] = {}
    for rd in ex.reads:
        if rd.blob.kind == CORPUS and rd.reader != HEAD and rd.result.outcome == WRONG_BYTES:
            from_bases.setdefault(rd.blob.payload, set()).add(rd.result.sha1)

    def judge(rd):
        name, r = rd.blob.payload, rd.result
        if name.startswith("y_"):
            return _must_be(RIGHT, "a valid blob not read right: ")(rd)
        if r.outcome != WRONG_BYTES:
            return None
        known = rd.blob.fixture.expect.get(profile, {})
        if (known.get("outcome") == WRONG_BYTES and known.get("sha1") == r.sha1) or r.sha1 in from_bases.get(name, ()):
            return WARNING, "known hazard: " + r.describe()
        return VIOLATION, "wrong bytes no known reader returns: " + r.describe()

    return judge
