// Task indexes as Metaflow reads them: the audit's parser (reference/tools/audit/task_index.cpp)
// against Python's own json.loads(bytes) (what TaskDataStore.load_metadata calls), on written,
// hand-made and mutated documents. Python is the oracle: an index is readable when json.loads
// returns a dict whose "objects" is a dict of 40-hex-digit strings.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "audit/task_index.hpp"
#include "support.hpp"

using namespace casblob;
using namespace casblob::audit;

namespace {

// Per input: "ok\n<key>\n<key>..." (the objects' values in dict order), "bad" when json.loads
// raises or the shape is wrong, "other-encoding" when json.detect_encoding picks UTF-16/32
// (the parser refuses those by design: Metaflow writes UTF-8).
const char* kOracle = R"PY(
import json, re, sys, struct
data = sys.stdin.buffer.read()
n, = struct.unpack_from("<I", data, 0); pos = 4; out = []
for _ in range(n):
    size, = struct.unpack_from("<I", data, pos); pos += 4
    b = data[pos:pos + size]; pos += size
    if json.detect_encoding(b) not in ("utf-8", "utf-8-sig"):
        out.append(b"other-encoding"); continue
    try:
        doc = json.loads(b)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, the int limit
        out.append(b"bad"); continue
    objs = doc.get("objects") if isinstance(doc, dict) else None
    if not isinstance(objs, dict) or not all(isinstance(v, str) and re.fullmatch("[0-9a-f]{40}", v) for v in objs.values()):
        out.append(b"bad"); continue
    out.append("\n".join(["ok"] + list(objs.values())).encode())
sys.stdout.buffer.write(struct.pack("<I", len(out)) + b"".join(struct.pack("<I", len(x)) + x for x in out))
)PY";

std::string answer(std::string_view text) {
  auto r = parse_task_index(text);
  if (!r) return "bad";
  std::string s = "ok";
  for (const auto& k : r->keys) s += "\n" + k;
  return s;
}

const std::string kA = "868436778cb011a1c6230bc12534683ab0b7f1c3";
const std::string kB = "4b39d4e8abb846202517c1872be691fce5b5c9f6";

// What Metaflow writes (json.dumps of the index), shaped as TaskDataStore does.
std::string written() {
  return R"({"datastore": "local", "version": "1.0", "attempt": 0, "python_version": "3.11.2", "objects": {"_task_ok": ")" + kA +
         R"(", "a0": ")" + kB + R"(", "name": ")" + kA + R"("}, "info": {"_task_ok": {"size": 4, "type": "<class 'bool'>", "encoding": "gzip+pickle-v4"}, "a0": {"size": 1e3, "shape": [3, 4], "nan": NaN, "neg": -Infinity, "text": "caf\u00e9 \ud83d\ude00 \" \\ \/ \b\f\n\r\t"}}})";
}

// `n` artifacts "a0".."a<n-1>" (values alternating kA and kB), then the names listed in
// `again` once more with the other key: past the parser's linear map (32 names) a name's
// last value must still win and keep its first place.
std::string many(int n, const std::vector<int>& again) {
  std::string s = "{\"objects\": {";
  for (int i = 0; i < n; ++i) s += (i ? ", " : "") + ("\"a" + std::to_string(i) + "\": \"") + (i % 2 ? kB : kA) + "\"";
  for (int i : again) s += ", \"a" + std::to_string(i) + "\": \"" + (i % 2 ? kA : kB) + "\"";
  return s + "}}";
}

// The parser scans strings and checks UTF-8 eight bytes at a time: each character class that
// ends a plain run or leaves ASCII, at every offset of a word, in a name and in a value, in
// documents of every length around a word.
std::vector<std::string> at_every_offset() {
  const std::string k = "\"" + kA + "\"";
  const std::vector<std::string> specials = {"\"", "\\\"", "\\n", "\\u00e9", "\x01", "\x1f", "\x7f", "\xc3\xa9",
                                             "\xc3", "\xff", "\xed\xa0\x80", "\t", " "};
  std::vector<std::string> out;
  for (std::size_t pad = 0; pad < 18; ++pad)
    for (const auto& c : specials) {
      const std::string text = std::string(pad, 'x') + c + std::string(17 - pad, 'y');
      out.push_back("{\"objects\": {\"" + text + "\": " + k + "}}");
      out.push_back("{\"objects\": {\"a\": " + k + "}, \"x\": \"" + text + "\"}");
      out.push_back("{\"objects\": {}, \"" + std::string(pad, 'n') + "\": \"" + c + "\"}" + std::string(pad % 9, ' '));
    }
  return out;
}

std::vector<std::string> hand_made() {
  const std::string k = "\"" + kA + "\"";
  std::vector<std::string> out = at_every_offset();
  std::vector<std::string> fixed = {
      many(32, {0, 31}), many(33, {0, 32}), many(34, {1, 33, 1}), many(80, {3, 40, 79}),
      written(),
      "\xEF\xBB\xBF" + written(),                                  // utf-8-sig strips one BOM
      "\xEF\xBB\xBF\xEF\xBB\xBF" + written(),                      // not two
      " \t\r\n{\"objects\": {}} \n",
      "{\"objects\": {\"a\": " + k + ", \"a\": \"" + kB + "\"}}",  // a repeated name: the last value
      "{\"objects\": {\"a\": 1, \"a\": " + k + "}}",               // ... even over a bad one
      "{\"objects\": [" + k + "], \"objects\": {\"b\": " + k + "}}",  // a repeated "objects": the last
      "{\"objects\": {\"b\": " + k + "}, \"objects\": 5}",
      "{\"obj\\u0065cts\": {\"b\": \"\\u0038" + kA.substr(1) + "\"}}",  // escapes decode
      "{\"objects\": {\"a\": " + k + ",}}",                          // trailing commas
      "[{\"objects\": {}}]", "\"objects\"", "{}", "{\"objects\": null}", "{\"objects\": {\"a\": null}}",
      "{\"objects\": {\"a\": \"" + kA.substr(0, 39) + "\"}}", "{\"objects\": {\"a\": \"" + kA + "0\"}}",
      "{\"objects\": {\"a\": \"" + std::string(40, 'A') + "\"}}",
      "{\"objects\": {}, \"x\": 01}", "{\"objects\": {}, \"x\": 1.}", "{\"objects\": {}, \"x\": .5}",
      "{\"objects\": {}, \"x\": 1e}", "{\"objects\": {}, \"x\": 1e+}", "{\"objects\": {}, \"x\": -}", "{\"objects\": {}, \"x\": +1}",
      "{\"objects\": {}, \"x\": 1E-7}", "{\"objects\": {}, \"x\": -0.0e0}", "{\"objects\": {}, \"x\": -NaN}",
      "{\"objects\": {}, \"x\": " + std::string(4300, '7') + "}", "{\"objects\": {}, \"x\": -" + std::string(4301, '7') + "}",
      "{\"objects\": {}, \"x\": " + std::string(4301, '7') + ".5}", "{\"objects\": {}, \"x\": " + std::string(5000, '7') + "e1}",
      "{\"objects\": {}, \"x\": \"\\x\"}", "{\"objects\": {}, \"x\": \"\\u12\"}", "{\"objects\": {}, \"x\": \"\\uD800\"}",
      "{\"objects\": {}, \"x\": \"\\uDC00\\uD800\"}", "{\"objects\": {}, \"x\": \"a\tb\"}", "{\"objects\": {}, \"x\": \"a\x7f\"}",
      "{\"objects\": {}, \"x\": \"\xED\xA0\x80\"}",                // an encoded surrogate: surrogatepass
      "{\"objects\": {}, \"x\": \"\xC0\xAF\"}", "{\"objects\": {}, \"x\": \"\xF4\x90\x80\x80\"}", "{\"objects\": {}, \"x\": \"\xE2\x82\"}",
      "{\"objects\": {}} {}", "{\"objects\": {}}\x00", "{\"objects\": {}, \"x\": tru}", "{\"objects\": {}, \"x\": nulll}",
      "{\"objects\": {}, \"x\": [1, 2,]}", "{\"objects\": {}, \"x\": [,]}", "{\"objects\" {}}", "{objects: {}}", "{'objects': {}}",
      "", " ", "{", "{\"objects\": {\"a\": " + k,
      std::string(989, '[') + std::string(989, ']'), "{\"objects\": {}, \"x\": " + std::string(985, '[') + std::string(985, ']') + "}",
      "{\"objects\": {}, \"x\": " + std::string(995, '[') + std::string(995, ']') + "}",
  };
  out.insert(out.end(), fixed.begin(), fixed.end());
  return out;
}

// Byte-level mutations of a written index: flips, deletions, insertions of JSON's own
// characters, truncations.
std::vector<std::string> mutated(std::size_t count) {
  std::mt19937_64 rng(20261201);
  const std::string base = written();
  const std::string alphabet = "{}[]:,\"\\ 0123456789-+.eEaftnulsrINy\x01\xff\xc3";
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) {
    std::string s = base;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const std::size_t at = rng() % s.size();
      switch (rng() % 4) {
        case 0: s[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: s.erase(at, 1 + rng() % 3); break;
        case 2: s.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        case 3: s.resize(at); break;
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

TEST_CASE("task index: the parser reads what Python's json.loads reads, and nothing else") {
  std::vector<std::string> inputs = hand_made();
  const std::size_t hand = inputs.size();
  for (auto& m : mutated(4000)) inputs.push_back(std::move(m));
  std::vector<Bytes> packed;
  for (const auto& s : inputs) packed.emplace_back(s.begin(), s.end());
  const std::vector<Bytes> answers = test::unpack_list(test::run_python(kOracle, test::pack_list(packed)));
  REQUIRE(answers.size() == inputs.size());
  std::size_t readable = 0, refused_encoding = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::string want(answers[i].begin(), answers[i].end());
    if (want == "other-encoding") {
      ++refused_encoding;
      want = "bad";  // refused: never read as something else
    }
    INFO("input " << i << (i < hand ? " (hand-made)" : " (mutated)") << ": " << inputs[i].substr(0, 300));
    CHECK(answer(inputs[i]) == want);
    readable += want != "bad";
  }
  // The corpus covers both answers, by a margin.
  CHECK(readable > 200);
  CHECK(inputs.size() - readable > 1000);
  INFO("UTF-16/32 refused: " << refused_encoding);
}

TEST_CASE("task index: the findings say what is wrong") {
  auto message = [](std::string_view text) { return parse_task_index(text).error().message; };
  CHECK(message("[]") == "not a JSON object");
  CHECK(message("{\"info\": {}}") == "no \"objects\" map");
  CHECK(message("{\"objects\": [1]}") == "\"objects\" is not a map");
  CHECK(message("{\"objects\": {\"a0\": 5}}") == "artifact \"a0\" is a number, not a key");
  CHECK(message("{\"objects\": {\"a0\": \"xyz\"}}") == "artifact \"a0\" does not name a key");
  CHECK(message("{\"objects\": {\"a0\": }}").starts_with("not JSON: expecting value at offset"));
  CHECK(message("\xFF\xFE{\x00}\x00") .starts_with("not UTF-8"));
  CHECK(parse_task_index("{\"objects\": {\"a\": \"" + kA + "\", \"b\": \"" + kB + "\"}}")->keys == std::vector<std::string>{kA, kB});
}
