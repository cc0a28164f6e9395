// XXH32 (src/xxhash32.hpp) against published vectors and against liblz4's own XXH32, read
// back from the content checksum of frames that LZ4F_compressFrame writes.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "support.hpp"
#include "codecs/xxhash32.hpp"

#ifdef CASBLOB_WITH_LZ4
#include <lz4frame.h>
#endif

using namespace casblob;
using casblob::detail::Xxh32;
using casblob::detail::xxh32;

TEST_CASE("xxh32: published test vectors", "[xxhash32]") {
  CHECK(xxh32("", 0, 0) == 0x02CC5D05u);
  CHECK(xxh32("", 0, 1) == 0x0B2CB792u);
  CHECK(xxh32("a", 1, 0) == 0x550D7456u);
  CHECK(xxh32("abc", 3, 0) == 0x32D153FFu);
  const std::string s = "Nobody inspects the spammish repetition";
  CHECK(xxh32(s.data(), s.size(), 0) == 0xE2293B2Fu);
}

TEST_CASE("xxh32: streaming equals one-shot for any split", "[xxhash32]") {
  Bytes data = test::seeded_bytes("random", 1000, 7);
  std::mt19937 rng(3);
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 31u, 32u, 33u, 100u, 1000u}) {
    std::uint32_t want = xxh32(data.data(), n, 0x1234);
    for (int trial = 0; trial < 20; ++trial) {
      Xxh32 h(0x1234);
      std::size_t i = 0;
      while (i < n) {
        std::size_t k = std::min<std::size_t>(rng() % 20, n - i);
        h.update(data.data() + i, k);
        i += k;
      }
      CHECK(h.digest() == want);
    }
  }
}

#ifdef CASBLOB_WITH_LZ4
TEST_CASE("xxh32: matches liblz4's content checksum", "[xxhash32]") {
  for (std::size_t n : {0u, 1u, 3u, 4u, 15u, 16u, 17u, 64u, 1000u, 65536u, 300001u}) {
    Bytes data = test::seeded_bytes("text", n, n);
    LZ4F_preferences_t p{};
    p.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
    Bytes frame(LZ4F_compressFrameBound(n, &p));
    std::size_t r = LZ4F_compressFrame(frame.data(), frame.size(), data.data(), n, &p);
    REQUIRE_FALSE(LZ4F_isError(r));
    const std::uint8_t* c = frame.data() + r - 4;
    std::uint32_t stored = c[0] | c[1] << 8 | c[2] << 16 | std::uint32_t{c[3]} << 24;
    CHECK(xxh32(data.data(), n, 0) == stored);
    // The header checksum is the second byte of XXH32 over FLG..(before HC).
    CHECK(static_cast<std::uint8_t>(xxh32(frame.data() + 4, 2, 0) >> 8) == frame[6]);
  }
}
#endif

TEST_CASE("xxh32: an empty update with a null pointer changes nothing", "[xxhash32]") {
  // Found by decode_blob_fuzzer under UBSan: memcpy(buf, nullptr, 0) while a stripe was partial.
  const std::string text = "0123456789";  // fewer than 16 bytes: a partial stripe stays buffered
  Xxh32 a, b;
  a.update(text.data(), text.size());
  a.update(nullptr, 0);
  a.update(text.data(), text.size());
  b.update(text.data(), text.size());
  b.update(text.data(), text.size());
  CHECK(a.digest() == b.digest());
}
