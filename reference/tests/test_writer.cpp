// encode_blob: key, sidecar text and stored bytes equal Metaflow's save path
// (pymodel.save_blob: released Metaflow for v1, PR #3090 for v2), byte for byte.
#include <catch2/catch.hpp>

#include "casblob/casblob.hpp"
#include "support.hpp"

using namespace casblob;

TEST_CASE("encode_blob is byte-identical to Metaflow's writers, from memory and from a stream", "[writer][python]") {
  std::vector<Bytes> payloads;
  for (std::size_t n : {0u, 1u, 233u, 65535u, 65536u, 65537u, 800000u})
    for (const char* kind : {"text", "float64", "random"}) payloads.push_back(test::seeded_bytes(kind, n, n + 1));
  auto answers = test::unpack_list(test::run_python(std::string(test::kPythonListHelpers) + "sys.path.insert(0, \"" +
                                                        CASBLOB_SOURCE_DIR + "/python\")\n" + R"PY(
import metaflow_model as pymodel
out = []
for p in read_list():
    for version, raw in ((1, False), (2, False), (2, True)):
        key, stored, meta = pymodel.save_blob(p, version, raw, mtime=0)
        out += [key.encode(), stored, meta]
write_list(out)
)PY",
                                                    test::pack_list(payloads)));
  REQUIRE(answers.size() == payloads.size() * 9);
  std::size_t i = 0;
  for (const auto& p : payloads) {
    for (auto [version, raw] : {std::pair{1, false}, {2, false}, {2, true}}) {
      INFO("size " << p.size() << " version " << version << " raw " << raw);
      EncodeOptions eo;
      eo.version = version;
      eo.raw = raw;
      auto mem = encode_blob(p, eo);
      REQUIRE(mem);
      CHECK(mem->info.key == std::string(answers[i].begin(), answers[i].end()));
      CHECK(mem->bytes == answers[i + 1]);
      CHECK(mem->info.meta == std::string(answers[i + 2].begin(), answers[i + 2].end()));
      CHECK(mem->info.stored_size == answers[i + 1].size());
      // Streaming with the size known up front (a regular file) gives the same bytes.
      MemorySource src(p);
      MemorySink sink;
      auto streamed = encode_blob(src, p.size(), eo, sink);
      REQUIRE(streamed);
      CHECK(sink.bytes() == answers[i + 1]);
      i += 3;
    }
  }
}

TEST_CASE("encode_blob rejects versions it cannot write", "[writer]") {
  EncodeOptions eo;
  eo.version = 3;
  auto r = encode_blob(as_bytes("x"), eo);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::usage);
}
