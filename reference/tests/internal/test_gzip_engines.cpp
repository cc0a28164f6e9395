// The opt-in fast v1 engines (GzipEngine::isal, ::libdeflate; spec 5.2.1: any deflate level
// is conformant). Their bytes are not Python's, so what matters is that everything reads them:
// every reader profile (legacy, v2, v2-nolz4, strict with the key; no sidecar too), Python's
// own gzip module (ground truth), as exactly one member (R-W1-1); that the bytes depend only
// on the content (any split of write() calls, one-shot or streaming, a reused writer); and
// that the default stays zlib, Python's bytes.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "casblob/casblob.hpp"
#include "casblob/experimental/gzip.hpp"
#include "support.hpp"

using namespace casblob;

namespace {

struct Engine {
  GzipEngine engine;
  int level;
};

const std::vector<Engine> kFast = {{GzipEngine::isal, 0},       {GzipEngine::isal, 1},       {GzipEngine::isal, 2},
                                   {GzipEngine::isal, 3},       {GzipEngine::libdeflate, 1}, {GzipEngine::libdeflate, 3},
                                   {GzipEngine::libdeflate, 6}, {GzipEngine::libdeflate, 12}};

std::vector<Bytes> contents() {
  std::vector<Bytes> v;
  std::uint64_t seed = 1;
  for (const char* kind : {"text", "random", "float64", "zeros"})
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{234}, std::size_t{65535}, std::size_t{65537},
                          std::size_t{300001}})
      v.push_back(test::seeded_bytes(kind, n, seed++));
  return v;
}

Bytes write_with(const Engine& e, ByteView data, std::uint64_t seed) {
  MemorySink sink;
  GzipWriteOptions o;
  o.engine = e.engine;
  o.level = e.level;
  GzipWriter w(sink, o);
  REQUIRE(test::chunked_write(w, data, seed).ok());
  return sink.bytes();
}

}  // namespace

TEST_CASE("gzip engines: every profile and Python's gzip read the fast engines' output", "[gzip_engines][python]") {
  const std::vector<Bytes> data = contents();
  std::vector<Bytes> blobs;
  for (const Engine& e : kFast) {
    for (std::size_t i = 0; i < data.size(); ++i) {
      EncodeOptions eo;
      eo.gzip.engine = e.engine;
      eo.gzip.level = e.level;
      auto enc = encode_blob(ByteView(data[i]), eo);
      REQUIRE(enc.ok());
      INFO(name(e.engine) << " level " << e.level << " content " << i << " (" << data[i].size() << " bytes)");
      CHECK(enc->info.key == sha1_hex(data[i]).value());
      CHECK(enc->info.meta == emit_meta(false, 1));
      blobs.push_back(enc->bytes);

      // The same bytes streamed in other splits, and by a writer that wrote something else before.
      CHECK(write_with(e, data[i], 7 + i) == enc->bytes);

      // Exactly one member (R-W1-1), nothing after it.
      MemorySink sink;
      GzipDecoder d(sink);
      REQUIRE(d.update(enc->bytes).ok());
      REQUIRE(d.finish().ok());
      CHECK(d.report().member_count == 1);
      CHECK(d.report().padding_bytes == 0);
      CHECK(sink.bytes() == data[i]);

      for (Profile p : kAllProfiles) {
        ReadOptions ro;
        ro.profile = p;
        if (p == Profile::strict) ro.key = enc->info.key;
        for (bool with_sidecar : {true, false}) {
          auto r = decode_blob(ByteView(enc->bytes), with_sidecar ? SidecarText(enc->info.meta) : std::nullopt, ro);
          INFO("profile " << name(p) << (with_sidecar ? "" : ", no sidecar"));
          REQUIRE(r.ok());
          CHECK(r->bytes == data[i]);
        }
      }
    }
  }
  // Ground truth: Python 3.11's gzip module, which released Metaflow reads v1 blobs with.
  std::string script = std::string(test::kPythonListHelpers) + R"PY(
import gzip, io
write_list([gzip.GzipFile(fileobj=io.BytesIO(b), mode="rb").read() for b in read_list()])
)PY";
  auto py = test::unpack_list(test::run_python(script, test::pack_list(blobs)));
  REQUIRE(py.size() == blobs.size());
  for (std::size_t i = 0; i < py.size(); ++i) {
    INFO("blob " << i);
    CHECK(py[i] == data[i % data.size()]);
  }
}

TEST_CASE("gzip engines: a writer reset across engines writes each engine's fresh bytes", "[gzip_engines]") {
  const Bytes data = test::seeded_bytes("text", 200000, 3);
  MemorySink first;
  GzipWriter w(first);
  std::vector<Engine> all = kFast;
  all.push_back({GzipEngine::zlib, 3});
  for (int round = 0; round < 2; ++round)
    for (const Engine& e : all) {
      MemorySink sink;
      GzipWriteOptions o;
      o.engine = e.engine;
      o.level = e.level;
      w.reset(sink, o);
      REQUIRE(test::chunked_write(w, data, 11).ok());
      INFO(name(e.engine) << " level " << e.level);
      CHECK(sink.bytes() == write_with(e, data, 12));
    }
}

TEST_CASE("gzip engines: the default is zlib, levels outside an engine's range are usage", "[gzip_engines]") {
  CHECK(GzipWriteOptions{}.engine == GzipEngine::zlib);
  for (GzipEngine e : {GzipEngine::zlib, GzipEngine::isal, GzipEngine::libdeflate}) {
    CHECK(gzip_engine_from_name(name(e)) == e);
  }
  CHECK_FALSE(gzip_engine_from_name("zstd"));
  for (Engine bad : {Engine{GzipEngine::zlib, 10}, Engine{GzipEngine::isal, 4}, Engine{GzipEngine::isal, -1},
                     Engine{GzipEngine::libdeflate, 0}, Engine{GzipEngine::libdeflate, 13}}) {
    MemorySink sink;
    GzipWriteOptions o;
    o.engine = bad.engine;
    o.level = bad.level;
    GzipWriter w(sink, o);
    INFO(name(bad.engine) << " level " << bad.level);
    CHECK(w.write(as_bytes("x")).code() == Errc::usage);
    CHECK(w.finish().code() == Errc::usage);
  }
}

TEST_CASE("gzip engines: libdeflate past its whole-buffer limit is still one member", "[gzip_engines]") {
  // 64 MiB + 1 bytes: the collected content goes to zlib, which finishes the member.
  Bytes data((std::size_t{64} << 20) + 1, 0);
  for (std::size_t i = 0; i < data.size(); i += 4096) data[i] = static_cast<std::uint8_t>(i >> 12);
  const Engine e{GzipEngine::libdeflate, 3};
  const Bytes blob = write_with(e, data, 5);
  CHECK(write_with(e, data, 6) == blob);
  MemorySink sink;
  GzipDecoder d(sink);
  REQUIRE(d.update(blob).ok());
  REQUIRE(d.finish().ok());
  CHECK(d.report().member_count == 1);
  CHECK(sink.bytes() == data);
}
