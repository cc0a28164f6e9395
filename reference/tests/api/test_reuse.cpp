// Reusable readers and writers (issue 19): a BlobDecoder reset() from blob to blob, the
// decode_blob overload that reuses a decoder and an output vector, and BlobEncoder, give
// exactly what the one-shot calls give -- status, every DecodeInfo field, bytes, keys,
// sidecars -- over the whole fixture corpus under every profile, in any order, after errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "casblob/casblob.hpp"
#include "support.hpp"

using namespace casblob;

namespace {

Bytes slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

struct Blob {
  std::string key;  // the file name: the key the store would look it up by
  Bytes payload;
  SidecarText sidecar;
};

// Every blob of the fixture corpus (fixtures/cases/<case>/<key[:2]>/<key>[_meta]).
std::vector<Blob> corpus() {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(CASBLOB_SOURCE_DIR) + "/fixtures/cases"))
    if (e.is_regular_file() && e.path().filename().string().find("_meta") == std::string::npos) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  std::vector<Blob> v;
  for (const auto& p : paths) {
    Blob b{p.filename().string(), slurp(p), std::nullopt};
    auto meta = p;
    meta += "_meta";
    if (std::filesystem::exists(meta)) {
      Bytes m = slurp(meta);
      b.sidecar = std::string(m.begin(), m.end());
    }
    v.push_back(std::move(b));
  }
  return v;
}

std::string describe(const Result<DecodeInfo>& r) {
  if (!r) return "error " + r.error().label() + ": " + r.error().message;
  std::string s = "ok " + std::string(name(r->encoding)) + " " + std::to_string(r->stored_size) + " " +
                  std::to_string(r->decoded_size) + " " + r->sha1 + " " + (r->key_checked ? "checked" : "unchecked");
  for (const auto& n : r->notes) s += " | " + n;
  return s;
}

}  // namespace

TEST_CASE("reuse: a reset BlobDecoder and a reused output read the whole corpus as decode_blob does", "[reuse][slow]") {
  const std::vector<Blob> blobs = corpus();
  REQUIRE(blobs.size() > 300);
  BlobDecoder reused;
  Bytes out(1 << 20, 0x5A);  // stale content that must never show through
  std::size_t n = 0;
  for (int round = 0; round < 2; ++round) {
    for (Profile p : kAllProfiles) {
      for (std::size_t i = 0; i < blobs.size(); ++i) {
        const Blob& b = blobs[round == 0 ? i : blobs.size() - 1 - i];  // both orders
        ReadOptions ro;
        ro.profile = p;
        if (p == Profile::strict && is_valid_key(b.key)) ro.key = b.key;
        if (i % 7 == 3) ro.max_size = 100;  // limit_exceeded now and then
        const auto want = decode_blob(ByteView(b.payload), b.sidecar, ro);
        const std::string want_s = want ? describe(want->info) : describe(Result<DecodeInfo>(want.error()));

        auto got = decode_blob(reused, ByteView(b.payload), b.sidecar, ro, out);
        INFO("blob " << b.key << " profile " << name(p));
        REQUIRE(describe(got) == want_s);
        if (want) CHECK(out == want->bytes);
        else CHECK(out.empty());

        // The push interface, reset, into a plain sink, in two chunks.
        MemorySink plain;
        reused.reset(b.sidecar, ro, plain);
        const std::size_t cut = b.payload.size() / 3;
        Status s = reused.encoding() ? reused.update(ByteView(b.payload).first(cut)) : Status{};
        if (s.ok() && reused.encoding()) s = reused.update(ByteView(b.payload).subspan(cut));
        auto pushed = s.ok() ? reused.finish() : Result<DecodeInfo>(s.error());
        CHECK(describe(pushed) == want_s);
        if (want) CHECK(plain.bytes() == want->bytes);
        ++n;
      }
    }
  }
  CHECK(n == 2 * std::size(kAllProfiles) * blobs.size());  // every profile of the table, pre-cas included
}

TEST_CASE("reuse: a default-constructed BlobDecoder is usage until reset", "[reuse]") {
  BlobDecoder d;
  CHECK(d.update(as_bytes("x")).code() == Errc::usage);
  CHECK_FALSE(d.encoding());
  auto r = d.finish();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::usage);
  MemorySink sink;
  const Bytes data = test::seeded_bytes("text", 5000);
  auto enc = encode_blob(ByteView(data), EncodeOptions{});
  REQUIRE(enc.ok());
  d.reset(enc->info.meta, ReadOptions{}, sink);
  REQUIRE(d.update(enc->bytes).ok());
  REQUIRE(d.finish().ok());
  CHECK(sink.bytes() == data);
}

TEST_CASE("reuse: a BlobEncoder writes encode_blob's bytes, keys and sidecars, blob after blob", "[reuse][slow]") {
  BlobEncoder reused;
  std::uint64_t seed = 1;
  for (int version : {1, 2, 1, 2}) {
    for (bool raw : {false, true}) {
      for (int level : {0, 1, 3, 9}) {
        for (std::size_t n : {std::size_t{0}, std::size_t{234}, std::size_t{70000}, std::size_t{1200000}}) {
          EncodeOptions o;
          o.version = version;
          o.raw = raw;
          o.gzip.level = level;
          o.gzip.mtime = static_cast<std::uint32_t>(seed);
          o.lz4.level = level;
          o.lz4.content_checksum = seed % 2;
          const Bytes data = test::seeded_bytes(seed % 3 ? "text" : "float64", n, seed);
          const auto want = encode_blob(ByteView(data), o);
          REQUIRE(want.ok());
          INFO("version " << version << " raw " << raw << " level " << level << " size " << n);
          auto got = reused.encode(ByteView(data), o);
          REQUIRE(got.ok());
          CHECK(got->bytes == want->bytes);
          CHECK(got->info.key == want->info.key);
          CHECK(got->info.meta == want->info.meta);
          CHECK(got->info.stored_size == want->info.stored_size);
          MemorySource src{ByteView(data)};
          MemorySink sink;
          auto streamed = reused.encode(src, o, sink);
          REQUIRE(streamed.ok());
          CHECK(streamed->key == want->info.key);
          MemorySource src2{ByteView(data)};
          MemorySink sink2;
          REQUIRE(encode_blob(src2, o, sink2).ok());
          CHECK(sink.bytes() == sink2.bytes());
          ++seed;
        }
      }
    }
  }
  EncodeOptions bad;
  bad.version = 3;
  CHECK(reused.encode(as_bytes("x"), bad).error().code == Errc::usage);
  CHECK(reused.encode(as_bytes("x"), EncodeOptions{}).ok());  // as good as new after an error
}
