// Sidecar parsing (spec 4): Python's view measured against the real json module; the strict
// view against the spec's rules; the emitted text against json.dumps.
#include <catch2/catch.hpp>

#include <climits>

#include "casblob/meta.hpp"
#include "casblob/reader.hpp"
#include "casblob/writer.hpp"
#include "support.hpp"

using namespace casblob;

namespace {

std::string python_view_of(const MetaDoc& d) {
  if (!d.utf8_valid) return "UnicodeDecodeError";
  if (!d.python_json_ok) return "JSONError";
  static const char* kPy[] = {"NoneType", "bool", "int", "float", "str", "list", "dict"};
  std::string s = kPy[static_cast<int>(d.top.type)];
  for (const auto& key : {"cas_raw", "cas_version"}) {
    const JsonValue* v = d.get(key);
    s += std::string(" ") + key + "=" + (v ? kPy[static_cast<int>(v->type)] : "-");
    if (v) s += v->python_truthy() ? "/T" : "/F";
  }
  return s;
}

}  // namespace

TEST_CASE("parse_meta sees what Python's json.load sees", "[meta][python]") {
  const std::vector<std::string> texts = {
      "{\"cas_raw\": false, \"cas_version\": 1}", "{\"cas_version\": 1.0}", "{\"cas_version\": NaN}",
      "{\"cas_raw\": \"false\"}", "{\"cas_raw\": 0.0}", "{\"cas_raw\": -0}", "{\"cas_raw\": []}", "{\"cas_raw\": {}}",
      "{\"cas_raw\": [0]}", "{\"cas_raw\": NaN}", "{\"cas_raw\": -Infinity}", "{\"cas_raw\": 1, \"cas_raw\": 0}",
      "null", "[]", "\"s\"", "{", "", "\xEF\xBB\xBF{}", "\xC3\x28", "{\"a\\u0000b\": 1}", "{\"cas_version\": 1e2}",
      "{\"cas_version\": -0.0}", "{\"cas_version\": 9223372036854775808}", " \t\r\n{}\r\n", "{}x", "{\"x\": 1,}",
      "{\"cas_version\": \"\\ud834\\udd1e\"}", "{\"cas_version\": 1E+2}", "{\"cas_version\": 1e-2}"};
  std::vector<Bytes> items;
  for (const auto& t : texts) items.emplace_back(t.begin(), t.end());
  auto answers = test::unpack_list(test::run_python(std::string(test::kPythonListHelpers) + R"PY(
import io, json
out = []
for raw in read_list():
    try:
        d = json.load(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    except UnicodeDecodeError:
        out.append(b"UnicodeDecodeError"); continue
    except ValueError:
        out.append(b"JSONError"); continue
    s = type(d).__name__
    for k in ("cas_raw", "cas_version"):
        if isinstance(d, dict) and k in d:
            s += " %s=%s/%s" % (k, type(d[k]).__name__, "T" if d[k] else "F")
        else:
            s += " %s=-" % k
    out.append(s.encode())
write_list(out)
)PY",
                                                     test::pack_list(items)));
  REQUIRE(answers.size() == texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    INFO("sidecar text: " << test::hex(as_bytes(texts[i])));
    CHECK(python_view_of(parse_meta(texts[i])) == std::string(answers[i].begin(), answers[i].end()));
  }
}

TEST_CASE("emit_meta is byte-identical to Metaflow's json.dumps", "[meta][python]") {
  auto out = test::run_python(R"PY(
import json, sys
for raw in (False, True):
    for v in (1, 2, 0, -1, 10, 2147483647, -2147483648):
        sys.stdout.write(json.dumps({"cas_raw": raw, "cas_version": v}) + "\n")
)PY");
  std::string mine;
  for (bool raw : {false, true})
    for (int v : {1, 2, 0, -1, 10, INT_MAX, INT_MIN}) mine += emit_meta(raw, v) + "\n";
  CHECK(std::string(out.begin(), out.end()) == mine);
}

TEST_CASE("strict sidecar validation follows spec 6.1 steps 3-5", "[meta][strict]") {
  struct Case {
    std::string text;
    Errc want;
    bool raw;
    std::int64_t version;
  };
  const Case cases[] = {
      {"{\"cas_raw\": false, \"cas_version\": 1}", Errc::ok, false, 1},
      {"{\"cas_version\": 2, \"cas_raw\": true}", Errc::ok, true, 2},
      {"{\"cas_version\": 2}", Errc::ok, false, 2},  // cas_raw absent = false
      {"{\"cas_version\": 7, \"future\": [1]}", Errc::ok, false, 7},  // unknown members ignored
      {"{\"cas_version\": 123456789012345678901234567890}", Errc::ok, false, INT64_MAX},
      {"{\"cas_raw\": false}", Errc::version_missing, false, 0},
      {"{}", Errc::version_missing, false, 0},
      {"{\"cas_version\": 1.0}", Errc::meta_invalid, false, 0},
      {"{\"cas_version\": 1e0}", Errc::meta_invalid, false, 0},
      {"{\"cas_version\": \"1\"}", Errc::meta_invalid, false, 0},
      {"{\"cas_version\": true}", Errc::meta_invalid, false, 0},
      {"{\"cas_version\": 0}", Errc::meta_invalid, false, 0},
      {"{\"cas_version\": -1}", Errc::meta_invalid, false, 0},
      {"{\"cas_version\": -99999999999999999999999}", Errc::meta_invalid, false, 0},
      {"{\"cas_version\": NaN}", Errc::meta_invalid, false, 0},
      {"{\"cas_raw\": \"false\", \"cas_version\": 1}", Errc::meta_invalid, false, 0},
      {"{\"cas_raw\": 0, \"cas_version\": 1}", Errc::meta_invalid, false, 0},
      {"{\"cas_raw\": null, \"cas_version\": 1}", Errc::meta_invalid, false, 0},
      {"{\"cas_version\": 1, \"cas_version\": 1}", Errc::meta_invalid, false, 0},
      {"{\"n\": \"\\udc00\", \"cas_version\": 1}", Errc::meta_invalid, false, 0},
      {"{\"n\": \"\\ud834\\udd1e\", \"cas_version\": 1}", Errc::ok, false, 1},
      {"null", Errc::meta_invalid, false, 0},
      {"[1]", Errc::meta_invalid, false, 0},
      {"\xEF\xBB\xBF{\"cas_version\": 1}", Errc::meta_invalid, false, 0},
      {"{\"n\": \"\xC3\x28\", \"cas_version\": 1}", Errc::meta_invalid, false, 0},
      {"", Errc::meta_invalid, false, 0},
  };
  for (const auto& c : cases) {
    INFO("sidecar: " << c.text);
    auto m = validate_meta_strict(parse_meta(c.text));
    if (c.want == Errc::ok) {
      REQUIRE(m);
      CHECK(m->raw == c.raw);
      CHECK(m->version == c.version);
    } else {
      REQUIRE_FALSE(m);
      CHECK(m.error().code == c.want);
    }
  }
}

TEST_CASE("deep sidecar nesting: Python's RecursionError boundary, strict's bound (F14)", "[meta]") {
  auto nested = [](int n) {
    return "{\"cas_raw\": false, \"cas_version\": 1, \"x\": " + std::string(n, '[') + std::string(n, ']') + "}";
  };
  // Measured with the real Metaflow 2.19.38 load_blobs at a module's top level: 990 reads, 991 raises.
  CHECK(parse_meta(nested(990)).python_json_ok);
  MetaDoc over = parse_meta(nested(991));
  CHECK_FALSE(over.python_json_ok);
  CHECK(over.python_recursion_error);
  const Bytes blob = encode_blob(as_bytes("x"), EncodeOptions{})->bytes;
  ReadOptions legacy;
  legacy.profile = Profile::legacy;
  CHECK(decode_blob(ByteView(blob), nested(990), legacy));
  auto r = decode_blob(ByteView(blob), nested(991), legacy);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::unhandled);
  CHECK(r.error().message.rfind("RecursionError", 0) == 0);
  // strict: R-SEC-8, at most 512 levels, the top-level object counting as one.
  CHECK(parse_meta("{\"cas_raw\": false, \"cas_version\": 1}").nesting_depth == 1);
  CHECK(parse_meta(nested(3)).nesting_depth == 4);
  CHECK(validate_meta_strict(parse_meta(nested(kStrictMaxNesting - 1))));
  CHECK(validate_meta_strict(parse_meta(nested(kStrictMaxNesting))).error().code == Errc::meta_invalid);
  CHECK(validate_meta_strict(over).error().code == Errc::meta_invalid);
}
