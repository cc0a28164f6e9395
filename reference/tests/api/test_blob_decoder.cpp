// BlobDecoder (reader.hpp): the reader of spec 6.1 as a push decoder. Any chunking gives the
// result of the in-memory read, on every fixture and profile; verdicts are final; the steps
// run in the spec's order.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "casblob/casblob.hpp"
#include "support.hpp"

using namespace casblob;
using nlohmann::json;

namespace {

struct Fixture {
  std::string name, key;
  Bytes blob;
  SidecarText sidecar;
  std::optional<std::uint64_t> max_size;
};

std::vector<Fixture> load_fixtures() {
  const std::string dir = std::string(CASBLOB_SOURCE_DIR) + "/fixtures";
  std::ifstream f(dir + "/manifest.json");
  json m = json::parse(f);
  std::vector<Fixture> out;
  for (const auto& g : m["testGroups"])
    for (const auto& t : g["tests"]) {
      Fixture fx;
      fx.name = t["name"];
      fx.key = t["key"];
      std::string path = dir + "/" + t["dir"].get<std::string>() + "/" + fx.key.substr(0, 2) + "/" + fx.key;
      fx.blob = read_file(path, std::uint64_t{64} << 20).value();
      if (t["sidecar"].get<bool>()) {
        auto sc = read_sidecar_file(path + "_meta");
        fx.sidecar = sc.value();
      }
      if (t.contains("maxSize") && !t["maxSize"].is_null()) fx.max_size = t["maxSize"].get<std::uint64_t>();
      out.push_back(std::move(fx));
    }
  return out;
}

std::string label(const Result<DecodeInfo>& r) { return r ? "ok:" + r->sha1.str() : r.error().label(); }

// Feeds `blob` in random pieces (empty ones and single bytes included); stops at the first error
// as a streaming caller would.
Result<DecodeInfo> push(const Fixture& fx, const ReadOptions& ro, Sink& out, std::uint64_t seed) {
  BlobDecoder dec(fx.sidecar, ro, out);
  std::mt19937_64 rng(seed);
  ByteView rest(fx.blob);
  while (!rest.empty()) {
    std::size_t n = std::min<std::size_t>(rest.size(), rng() % 3 == 0 ? rng() % 4 : rng() % 70000);
    Status s = dec.update(rest.first(n));
    if (!s.ok()) return s.error();
    rest = rest.subspan(n);
  }
  return dec.finish();
}

ReadOptions options(const Fixture& fx, Profile p) {
  ReadOptions ro;
  ro.profile = p;
  if (p == Profile::strict) ro.key = fx.key;
  if (fx.max_size) ro.max_size = *fx.max_size;
  return ro;
}

const std::string kV1 = "{\"cas_raw\": false, \"cas_version\": 1}";
const std::string kV2 = "{\"cas_raw\": false, \"cas_version\": 2}";

}  // namespace

TEST_CASE("any chunking of any fixture gives the in-memory result, bytes included", "[blob_decoder]") {
  const auto fixtures = load_fixtures();
  REQUIRE(fixtures.size() > 300);
  std::size_t compared = 0;
  for (const auto& fx : fixtures)
    for (Profile p : kAllProfiles) {
      INFO(fx.name << " under " << name(p));
      const ReadOptions ro = options(fx, p);
      auto whole = decode_blob(ByteView(fx.blob), fx.sidecar, ro);
      for (std::uint64_t seed : {1u, 2u, 3u}) {
        MemorySink out;
        auto pushed = push(fx, ro, out, seed);
        REQUIRE(label(pushed) == (whole ? "ok:" + whole->info.sha1.str() : whole.error().label()));
        if (whole) {
          CHECK(out.bytes() == whole->bytes);
          CHECK(pushed->stored_size == fx.blob.size());
          CHECK(pushed->encoding == whole->info.encoding);
          CHECK(notes(*pushed) == notes(whole->info));
          CHECK(*pushed == whole->info);  // every count, beside the words above
        }
        ++compared;
      }
    }
  CHECK(compared == fixtures.size() * std::size(kAllProfiles) * 3);
}

TEST_CASE("a verdict is final: every later update and finish returns it", "[blob_decoder]") {
  Bytes content = test::seeded_bytes("text", 5000, 1);
  EncodeOptions eo;
  Bytes blob = encode_blob(content, eo)->bytes;
  blob[blob.size() - 6] ^= 1;  // CRC32
  NullSink out;
  BlobDecoder dec(kV1, {}, out);
  Status first = dec.update(blob);
  if (first.ok()) first = dec.finish().status();
  REQUIRE(first.code() == Errc::corrupt);
  CHECK(first.error().detail == Detail::checksum);
  CHECK(dec.update(as_bytes("more")).error().label() == "corrupt/checksum");
  CHECK(dec.finish().error().label() == "corrupt/checksum");
}

TEST_CASE("finish twice after success is usage - update after finish is usage", "[blob_decoder]") {
  NullSink out;
  BlobDecoder dec(emit_meta(true, 1), {}, out);
  REQUIRE(dec.update(as_bytes("raw")));
  REQUIRE(dec.finish());
  CHECK(dec.finish().error().code == Errc::usage);
  BlobDecoder other(emit_meta(true, 1), {}, out);
  REQUIRE(other.finish());
  CHECK(other.update(as_bytes("x")).code() == Errc::usage);
}

TEST_CASE("steps 1-7 decide before the payload is read (R-READ-1, R-READ-2)", "[blob_decoder]") {
  class Exploding final : public Source {
   public:
    Result<std::size_t> read(std::span<std::uint8_t>) override { return Error(Errc::io_error, "must not be read"); }
  };
  struct Case {
    std::optional<std::string> key;
    SidecarText sidecar;
    std::string label;
  };
  for (const Case& c : {Case{std::string(40, 'A'), kV1, "usage"},                           // step 1
                        Case{std::nullopt, std::string("{\"cas_version\": 1.0}"), "meta_invalid"},  // step 5
                        Case{std::nullopt, std::string("{}"), "version_missing"},
                        Case{std::nullopt, std::string("{\"cas_version\": 3}"), "version_unsupported"},  // step 7
                        Case{std::string(40, 'A'), std::string("not json"), "usage"}}) {       // 1 before 3
    Exploding src;
    NullSink out;
    ReadOptions ro;
    ro.key = c.key;
    auto r = decode_blob(src, c.sidecar, ro, out);
    REQUIRE_FALSE(r);
    CHECK(r.error().label() == c.label);
    BlobDecoder dec(c.sidecar, ro, out);
    CHECK_FALSE(dec.encoding());
  }
}

TEST_CASE("step 8, magic agreement, with the payload split anywhere (R-READ-4)", "[blob_decoder]") {
  struct Case {
    std::string sidecar;
    Bytes payload;
    std::string label;
  };
  const Bytes gz = encode_blob(as_bytes("hello"), EncodeOptions{})->bytes;
  EncodeOptions v2;
  v2.version = 2;
  const Bytes lz = encode_blob(as_bytes("hello"), v2)->bytes;
  for (const Case& c : {Case{kV1, {}, "corrupt/truncated"},
                        Case{kV1, {0x1f}, "corrupt/truncated"},
                        Case{kV1, {0x1f, 0x8b}, "corrupt/truncated"},  // the gzip decoder's verdict
                        Case{kV1, {0x04}, "corrupt/bad_magic"},
                        Case{kV1, lz, "format_mismatch"},
                        Case{kV1, {0x50, 0x2a, 0x4d, 0x18, 0, 0, 0, 0}, "format_mismatch"},
                        Case{kV2, gz, "format_mismatch"},
                        Case{kV2, {0x04, 0x22, 0x4d}, "corrupt/truncated"},
                        Case{kV2, {0x5f, 0x2a}, "corrupt/truncated"},
                        Case{kV2, {0x02, 0x21, 0x4c, 0x18, 1, 2, 3}, "corrupt/bad_magic"},
                        Case{kV2, {0x1f}, "corrupt/bad_magic"},
                        Case{kV2, {}, "corrupt/truncated"}}) {
    INFO(c.sidecar << " payload " << test::hex(c.payload));
    for (std::size_t split = 0; split <= c.payload.size(); ++split) {
      NullSink out;
      BlobDecoder dec(c.sidecar, {}, out);
      Status s = dec.update(ByteView(c.payload).first(split));
      if (s.ok()) s = dec.update(ByteView(c.payload).subspan(split));
      std::string got = s.ok() ? label(dec.finish()) : s.error().label();
      CHECK(got == c.label);
    }
    // The no-sidecar path declares gzip too.
    if (c.sidecar == kV1) {
      auto r = decode_blob(ByteView(c.payload), std::nullopt, {});
      CHECK(label(r.ok() ? Result<DecodeInfo>(r->info) : Result<DecodeInfo>(r.error())) == c.label);
    }
  }
}

TEST_CASE("step 11 stops at the limit before step 12 sees the key (R-READ-5)", "[blob_decoder]") {
  Bytes content = test::seeded_bytes("text", 100000, 2);
  const Bytes blob = encode_blob(content, EncodeOptions{})->bytes;
  MemorySink out;
  ReadOptions ro;
  ro.key = std::string(40, '0');  // wrong too, but the limit comes first
  ro.max_size = 1000;
  BlobDecoder dec(kV1, ro, out);
  Status s = dec.update(blob);
  REQUIRE(s.code() == Errc::limit_exceeded);
  CHECK(out.bytes().size() <= 1000);
  CHECK(dec.finish().error().code == Errc::limit_exceeded);
}

TEST_CASE("the modelled profiles stream what the real reader returns, without step 8", "[blob_decoder]") {
  // legacy reads an lz4 payload under cas_version 1 as gzip: BadGzipFile -> corrupt (not
  // format_mismatch, which is strict's step 8).
  EncodeOptions v2;
  v2.version = 2;
  const Bytes lz = encode_blob(as_bytes("hello"), v2)->bytes;
  ReadOptions legacy;
  legacy.profile = Profile::legacy;
  auto r = decode_blob(ByteView(lz), kV1, legacy);
  REQUIRE_FALSE(r);
  CHECK(r.error().label() == "corrupt/bad_magic");
  NullSink out;
  BlobDecoder dec(kV1, legacy, out);
  REQUIRE(dec.encoding() == Encoding::gzip_v1);
}

TEST_CASE("Encoding names are the stable report names", "[blob_decoder]") {
  CHECK(name(Encoding::raw) == "raw");
  CHECK(name(Encoding::gzip_v1) == "gzip-v1");
  CHECK(name(Encoding::gzip_nosidecar) == "gzip-nosidecar");
  CHECK(name(Encoding::lz4_v2) == "lz4-v2");
}

TEST_CASE("BlobDecoder::emitted is what reached the sink and also when the trailer fails (salvage)", "[reader]") {
  const Bytes content = test::seeded_bytes("text", 20000, 3);
  const std::string key = sha1_hex(content).value();
  auto enc = encode_blob(content, EncodeOptions{});
  REQUIRE(enc.ok());
  Bytes payload = enc->bytes;
  payload[payload.size() - 8] ^= 0xFF;  // CRC32 wrong, data intact
  for (Profile p : kAllProfiles) {
    ReadOptions ro;
    ro.profile = p;
    if (p == Profile::strict) ro.key = key;
    NullSink sink;
    BlobDecoder dec(enc->info.meta, ro, sink);
    CHECK(!dec.emitted());  // only once finish() has returned
    // pre-CAS Metaflow has no try around gzip: Python's BadGzipFile escapes (unhandled).
    const Errc want = p == Profile::pre_cas ? Errc::unhandled : Errc::corrupt;
    CHECK(dec.update(payload).code() == want);
    auto r = dec.finish();
    REQUIRE(!r.ok());
    CHECK(r.error().code == want);
    if (p != Profile::pre_cas) CHECK(r.error().detail == Detail::checksum);
    REQUIRE(dec.emitted());
    CHECK(dec.emitted()->size == content.size());
    CHECK(dec.emitted()->sha1 == key);
  }
}

TEST_CASE("select_encoding is what BlobDecoder's steps 1-7 decide under each profile", "[reader]") {
  const SidecarText cases[] = {std::nullopt, std::string(R"({"cas_raw": false, "cas_version": 1})"),
                               std::string(R"({"cas_raw": false, "cas_version": 2})"), std::string(R"({"cas_raw": "false", "cas_version": 1})"),
                               std::string(R"({"cas_version": "1"})"), std::string("null"), std::string("{")};
  for (const auto& sidecar : cases)
    for (Profile p : kAllProfiles) {
      ReadOptions ro;
      ro.profile = p;
      NullSink sink;
      BlobDecoder dec(sidecar, ro, sink);
      auto sel = select_encoding(sidecar, p);
      CHECK(sel.ok() == dec.encoding().has_value());
      if (sel.ok()) CHECK(*sel == *dec.encoding());
      else CHECK(sel.error().label() == dec.finish().error().label());
    }
}
