// The read pipeline: dispatch, magic agreement, limits, key check, streaming (spec 6, 10).
#include <catch2/catch.hpp>

#include <sys/resource.h>

#include <cstring>

#include "casblob/casblob.hpp"

using namespace casblob;

namespace {

Bytes text_payload(std::size_t n) {
  Bytes b(n);
  std::uint32_t x = 12345;
  for (auto& c : b) {
    x = x * 1103515245 + 12345;
    c = static_cast<std::uint8_t>("etaoin shrdlu\n"[(x >> 16) % 14]);
  }
  return b;
}

Bytes encode(ByteView data, int version, bool raw = false) {
  EncodeOptions eo;
  eo.version = version;
  eo.raw = raw;
  auto e = encode_blob(data, eo);
  REQUIRE(e);
  return e->bytes;
}

Result<Decoded> read(ByteView blob, SidecarText sidecar, Profile p, std::optional<std::string> key = {},
                     std::uint64_t max_size = kDefaultMaxSize) {
  ReadOptions ro;
  ro.profile = p;
  ro.key = std::move(key);
  ro.max_size = max_size;
  return decode_blob(blob, sidecar, ro);
}

const std::string kV1 = "{\"cas_raw\": false, \"cas_version\": 1}";
const std::string kV2 = "{\"cas_raw\": false, \"cas_version\": 2}";

}  // namespace

TEST_CASE("round trip at boundary sizes, every encoding, every profile that knows it", "[reader]") {
  for (std::size_t n : {0u, 1u, 65535u, 65536u, 65537u, 3u << 20}) {
    Bytes data = text_payload(n);
    std::string key = sha1_hex(data).value();
    for (auto [version, raw] : {std::pair{1, false}, {2, false}, {1, true}, {2, true}}) {
      Bytes blob = encode(data, version, raw);
      std::string meta = emit_meta(raw, version);
      for (Profile p : kAllProfiles) {
        INFO("n=" << n << " version=" << version << " raw=" << raw << " profile=" << name(p));
        auto got = read(blob, meta, p, key);
        if (p == Profile::pre_cas && (raw || version != 1)) {
          // Gunzipped regardless of the sidecar: BadGzipFile escapes, except for empty raw
          // content, whose 0-byte file reads as b"" (spec 7).
          if (raw && n == 0) {
            REQUIRE(got);
            CHECK(got->bytes.empty());
          } else {
            REQUIRE_FALSE(got);
            CHECK(got.error().message.rfind("BadGzipFile: ", 0) == 0);
          }
          continue;
        }
        bool knows = raw || version == 1 || p == Profile::v2 || p == Profile::strict;
        if (!knows) {
          REQUIRE_FALSE(got);
          CHECK(got.error().code == (p == Profile::legacy ? Errc::version_unsupported : Errc::codec_unavailable));
          continue;
        }
        REQUIRE(got);
        CHECK(got->bytes == data);
        CHECK(got->info.sha1 == key);
        CHECK(got->info.key_checked == (p == Profile::strict));
      }
    }
  }
}

TEST_CASE("every reader error name is reachable and named", "[reader][error]") {
  Bytes data = text_payload(1000);
  std::string key = sha1_hex(data).value();
  Bytes v1 = encode(data, 1), v2 = encode(data, 2);
  Bytes flipped = v1;
  flipped[flipped.size() - 6] ^= 1;  // CRC32 byte

  struct Case {
    const char* what;
    ByteView blob;
    SidecarText meta;
    Profile profile;
    std::optional<std::string> key;
    std::uint64_t max_size;
    Errc want;
    Detail detail;
  };
  const Case cases[] = {
      {"not JSON", v1, std::string("{"), Profile::strict, key, kDefaultMaxSize, Errc::meta_invalid, Detail::none},
      {"no version", v1, std::string("{}"), Profile::strict, key, kDefaultMaxSize, Errc::version_missing, Detail::none},
      {"future", v1, std::string("{\"cas_raw\": false, \"cas_version\": 99}"), Profile::strict, key, kDefaultMaxSize,
       Errc::version_unsupported, Detail::none},
      {"no lz4", v2, kV2, Profile::v2_nolz4, key, kDefaultMaxSize, Errc::codec_unavailable, Detail::none},
      {"crc", flipped, kV1, Profile::strict, key, kDefaultMaxSize, Errc::corrupt, Detail::checksum},
      {"v1 says lz4", v2, kV1, Profile::strict, key, kDefaultMaxSize, Errc::format_mismatch, Detail::none},
      {"v2 says gzip", v1, kV2, Profile::strict, key, kDefaultMaxSize, Errc::format_mismatch, Detail::none},
      {"lost sidecar", v2, std::nullopt, Profile::strict, key, kDefaultMaxSize, Errc::format_mismatch, Detail::none},
      {"wrong key", v1, kV1, Profile::strict, std::string(40, '0'), kDefaultMaxSize, Errc::key_mismatch, Detail::none},
      {"limit", v1, kV1, Profile::strict, key, 999, Errc::limit_exceeded, Detail::none},
      {"python TypeError", v1, std::string("{\"cas_version\": \"1\"}"), Profile::legacy, key, kDefaultMaxSize,
       Errc::unhandled, Detail::none},
      {"bad key syntax", v1, kV1, Profile::strict, std::string("ABC"), kDefaultMaxSize, Errc::usage, Detail::none},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    auto got = read(c.blob, c.meta, c.profile, c.key, c.max_size);
    REQUIRE_FALSE(got);
    CHECK(got.error().code == c.want);
    CHECK(got.error().detail == c.detail);
    CHECK_FALSE(got.error().message.empty());
    CHECK(got.error().message.find('\n') == std::string::npos);
  }
}

TEST_CASE("limit applies to strict only: the real readers have none", "[reader]") {
  Bytes data(100000, 0);
  Bytes v1 = encode(data, 1);
  CHECK(read(v1, kV1, Profile::strict, {}, 100000));
  CHECK(read(v1, kV1, Profile::strict, {}, 99999).error().code == Errc::limit_exceeded);
  CHECK(read(v1, kV1, Profile::legacy, {}, 10));
}

TEST_CASE("strict never hands back bytes the real readers get wrong", "[reader][hazard]") {
  Bytes data = text_payload(5000);
  std::string key = sha1_hex(data).value();
  Bytes v1 = encode(data, 1);
  // "cas_raw": "false" is truthy in Python: the compressed bytes come back.
  std::string truthy = "{\"cas_raw\": \"false\", \"cas_version\": 1}";
  auto legacy = read(v1, truthy, Profile::legacy, key);
  REQUIRE(legacy);
  CHECK(legacy->bytes == v1);
  CHECK(read(v1, truthy, Profile::strict, key).error().code == Errc::meta_invalid);
  // An empty file decodes to b"" in Python's gzip.
  auto empty = read(ByteView{}, kV1, Profile::legacy, key);
  REQUIRE(empty);
  CHECK(empty->bytes.empty());
  auto strict_empty = read(ByteView{}, kV1, Profile::strict, key);
  REQUIRE_FALSE(strict_empty);
  CHECK(strict_empty.error().label() == "corrupt/truncated");
  // A sidecar holding `null` reads like no sidecar in Python.
  CHECK(read(v1, std::string("null"), Profile::legacy, key));
  CHECK(read(v1, std::string("null"), Profile::strict, key).error().code == Errc::meta_invalid);
}

namespace {

// Generates `total` bytes of compressible data and encodes them on the fly: the decoder
// reads an encoded stream of any length while nothing but a few buffers exists.
class EncodingSource final : public Source {
 public:
  EncodingSource(std::uint64_t total, int version) : total_(total) {
    if (version == 1) {
      gz_.emplace(sink_, GzipWriteOptions{});
    } else {
      Lz4WriteOptions o;
      o.content_size = total;
      lz_.emplace(sink_, o);
    }
  }
  Result<std::size_t> read(std::span<std::uint8_t> buf) override {
    while (pos_ == sink_.bytes().size() && !done_) refill();
    std::size_t n = std::min(buf.size(), sink_.bytes().size() - pos_);
    std::memcpy(buf.data(), sink_.bytes().data() + pos_, n);
    pos_ += n;
    return n;
  }
  std::string input_sha1() { return sha_.hex_digest().value(); }

 private:
  void refill() {
    sink_.bytes().clear();
    pos_ = 0;
    if (produced_ == total_) {
      REQUIRE((gz_ ? gz_->finish() : lz_->finish()).ok());
      done_ = true;
      return;
    }
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk_.size(), total_ - produced_));
    for (std::size_t i = 0; i < n; ++i) {
      x_ ^= x_ << 13, x_ ^= x_ >> 7, x_ ^= x_ << 17;
      chunk_[i] = static_cast<std::uint8_t>((x_ & 0x0F) | ((produced_ + i) >> 20 << 4));
    }
    ByteView v(chunk_.data(), n);
    sha_.update(v);
    REQUIRE((gz_ ? gz_->write(v) : lz_->write(v)).ok());
    produced_ += n;
  }
  std::uint64_t total_, produced_ = 0, x_ = 88172645463325252ull;
  Bytes chunk_ = Bytes(1 << 20);
  MemorySink sink_;
  std::size_t pos_ = 0;
  bool done_ = false;
  std::optional<GzipWriter> gz_;
  std::optional<Lz4Writer> lz_;
  Sha1 sha_;
};

long peak_rss_kib() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

void stream_round_trip(std::uint64_t size, int version) {
  long before = peak_rss_kib();
  EncodingSource src(size, version);
  NullSink out;
  ReadOptions ro;  // strict, default 4 GiB limit
  auto info = decode_blob(src, emit_meta(false, version), ro, out);
  REQUIRE(info);
  CHECK(info->decoded_size == size);
  CHECK(info->sha1 == src.input_sha1());
  long grown_mib = (peak_rss_kib() - before) / 1024;
  INFO("peak RSS grew by " << grown_mib << " MiB");
  CHECK(grown_mib < 64);
}

}  // namespace

TEST_CASE("a 1 GiB v2 blob streams through strict in bounded memory", "[reader][stream][slow]") {
  stream_round_trip(std::uint64_t{1} << 30, 2);
}

TEST_CASE("a 256 MiB v1 blob streams through strict in bounded memory", "[reader][stream][slow]") {
  stream_round_trip(std::uint64_t{256} << 20, 1);
}

// DecodeInfo keeps counts; notes() words them (reader.hpp). Each payload below has exactly one
// unusual thing about it, and the read's notes name that and nothing else.
TEST_CASE("a read's notes name what is unusual about the payload, and nothing else", "[reader][notes]") {
  const Bytes data = text_payload(3000);
  const ByteView half1(data.data(), 1000), half2(data.data() + 1000, data.size() - 1000);
  auto cat = [](Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  auto notes_of = [](const Bytes& blob, const std::string& meta, Profile p) {
    auto got = read(blob, meta, p);
    REQUIRE(got);
    return notes(got->info);
  };
  using Notes = std::vector<std::string>;
  const std::string unchecked = "lz4 frame without content checksum: bit flips in block data go undetected";

  CHECK(notes_of(encode(data, 1), kV1, Profile::strict).empty());
  CHECK(notes_of(encode(data, 1, true), emit_meta(true, 1), Profile::strict).empty());  // raw: no gzip members
  CHECK(notes_of(cat(encode(half1, 1), encode(half2, 1)), kV1, Profile::strict) ==
        Notes{"2 gzip members concatenated"});
  CHECK(notes_of(cat(encode(data, 1), Bytes(3, 0)), kV1, Profile::legacy) == Notes{"3 NUL padding bytes skipped"});
  CHECK(notes_of(Bytes{}, kV1, Profile::legacy) == Notes{"empty payload read as empty content (Python gzip)"});

  // Python's lz4.frame.compress writes no content checksum: every v2 blob it writes has this note.
  auto v2 = read(encode(data, 2), kV2, Profile::strict);
  REQUIRE(v2);
  CHECK(v2->info.lz4_unchecked_frames);
  CHECK(notes(v2->info) == Notes{unchecked});
  EncodeOptions checked;
  checked.version = 2;
  checked.lz4.content_checksum = true;
  auto cc = encode_blob(data, checked);
  REQUIRE(cc);
  CHECK(notes_of(cc->bytes, kV2, Profile::strict).empty());

  const Bytes two_frames = cat(encode(half1, 2), encode(half2, 2));
  CHECK(notes_of(two_frames, kV2, Profile::strict) == Notes{"2 lz4 frames concatenated", unchecked});
  // python-lz4 reads the first frame only; the second is trailing bytes to it.
  const std::size_t second = encode(half2, 2).size();
  CHECK(notes_of(two_frames, kV2, Profile::v2) ==
        Notes{std::to_string(second) + " bytes after the first frame ignored (python-lz4)", unchecked});
}
