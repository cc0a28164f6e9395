// The legacy/v2/v2-nolz4 profiles must decide exactly as the real Python read path does
// (spec Appendix A). Ground truth: python/metaflow_model, which runs the real json,
// gzip and lz4.frame modules, on hundreds of sidecar texts in one Python process.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "casblob/casblob.hpp"
#include "support.hpp"

using namespace casblob;

namespace {

// Values a sidecar field can take, in JSON text: every JSON type, Python-only literals,
// numbers that exercise "%d" % version and `version == -1`.
const std::vector<std::string> kValues = {
    "1", "2", "0", "-1", "-2", "3", "99", "1.0", "1.9", "2.5", "-1.0", "-0.5", "0.99", "1e0", "2E0", "1e400",
    "-1e400", "NaN", "Infinity", "-Infinity", "true", "false", "null", "\"1\"", "\"\"", "\"false\"", "\"true\"",
    "[]", "[1]", "{}", "{\"a\": 1}", "123456789012345678901234567890", "-0", "1.5e300"};

std::vector<std::string> sidecar_texts() {
  std::vector<std::string> out;
  for (const auto& v : kValues) {
    out.push_back("{\"cas_raw\": false, \"cas_version\": " + v + "}");
    out.push_back("{\"cas_version\": " + v + "}");
    out.push_back("{\"cas_raw\": " + v + ", \"cas_version\": 1}");
    out.push_back("{\"cas_raw\": " + v + "}");
  }
  const char* odd[] = {
      "", " ", "null", "[]", "[1]", "{}", "0", "1", "\"x\"", "\"\"", "true", "false", "{", "}", "{\"cas_version\": 1",
      "{\"cas_version\": 1,}", "{'cas_version': 1}", "{\"cas_version\": 1} x", "{\"cas_version\": 1}\n\n",
      "\xEF\xBB\xBF{\"cas_version\": 1}", "{\"cas_version\": 1, \"cas_version\": 2}",
      "{\"cas_version\": 2, \"cas_version\": 1}", "{\"cas_raw\": true, \"cas_raw\": false, \"cas_version\": 1}",
      "{\"cas_raw\": false, \"cas_raw\": true, \"cas_version\": 1}", "{\"cas_vers\\u0069on\": 1}",
      "{\"cas_version\": 01}", "{\"cas_version\": +1}", "{\"cas_version\": 0x1}", "{\"cas_version\": 1.}",
      "{\"cas_version\": .5}", "{\"cas_version\": 1e}", "{\"cas_version\": -}", "{\"note\": \"\\ud800\", \"cas_version\": 1}",
      "{\"note\": \"\\x\", \"cas_version\": 1}", "{\"note\": \"a\tb\", \"cas_version\": 1}", "{\"cas_version\": 1}\x00",
      "\xff{\"cas_version\": 1}", "{\"n\": \"\xc3\x28\", \"cas_version\": 1}", "{\"n\": \"\xed\xa0\x80\", \"cas_version\": 1}",
      "{\"n\": \"\xf4\x90\x80\x80\", \"cas_version\": 1}", "{\"n\": \"\xc0\xaf\", \"cas_version\": 1}",
      "{\"n\": \"h\xc3\xa9\", \"cas_version\": 1}", "\r\n{\r\n\"cas_version\"\r\n:\r\n1\r\n}\r\n", "{\"cas_version\": [1, 2, {\"x\": [null]}]}",
      "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "{\"cas_version\": TRUE}", "{\"cas_version\": nan}",
      "{\"cas_version\": 1, \"cas_raw\": 0.0}", "{\"cas_version\": 1, \"cas_raw\": -0.0}", "{\"cas_version\": 1, \"cas_raw\": 0e5}"};
  for (const char* s : odd) out.emplace_back(s);
  out.emplace_back(std::string("{\"cas_version\": 1}\x00", 19));
  out.push_back("{\"cas_version\": " + std::string(4300, '1') + "}");
  out.push_back("{\"cas_version\": " + std::string(4301, '1') + "}");
  return out;
}

}  // namespace

TEST_CASE("python dispatch matches pymodel on every sidecar variant, for v1 and v2 payloads", "[dispatch][python]") {
  Bytes data = test::seeded_bytes("text", 3000, 7);
  std::string key = sha1_hex(data).value();
  EncodeOptions e1, e2;
  e2.version = 2;
  Bytes v1 = encode_blob(data, e1)->bytes, v2 = encode_blob(data, e2)->bytes;
  auto texts = sidecar_texts();

  std::vector<Bytes> items{v1, v2, Bytes(key.begin(), key.end())};
  for (const auto& t : texts) items.emplace_back(t.begin(), t.end());
  std::string script = std::string(test::kPythonListHelpers) + R"PY(
import metaflow_model as pymodel
items = read_list()
v1, v2, key = items[0], items[1], items[2].decode()
out = []
for sidecar in items[3:]:
    for blob in (v1, v2):
        for p in ("legacy", "v2", "v2-nolz4"):
            r = pymodel.read_outcome(blob, sidecar, p, key)
            out.append((r["outcome"] + ":" + r.get("error", "") + ":" + r.get("sha1", "")).encode())
write_list(out)
)PY";
  auto expected = test::unpack_list(test::run_python(script, test::pack_list(items)));
  REQUIRE(expected.size() == texts.size() * 6);

  std::size_t i = 0, disagreements = 0;
  for (const auto& t : texts) {
    for (const Bytes* blob : {&v1, &v2}) {
      for (Profile p : {Profile::legacy, Profile::v2, Profile::v2_nolz4}) {
        ReadOptions ro;
        ro.profile = p;
        auto got = decode_blob(*blob, t, ro);
        std::string mine = !got ? "error:" + std::string(name(got.error().code)) + ":"
                           : got->info.sha1 == key ? "ok::" : "wrong_bytes::" + got->info.sha1.str();
        std::string want(expected[i].begin(), expected[i].end());
        ++i;
        if (mine != want) {
          ++disagreements;
          UNSCOPED_INFO("sidecar " << test::hex(as_bytes(t).first(std::min<std::size_t>(t.size(), 60))) << " blob v"
                                   << (blob == &v1 ? 1 : 2) << " " << name(p) << ": casblob " << mine << ", python " << want);
        }
      }
    }
  }
  CHECK(disagreements == 0);
}
