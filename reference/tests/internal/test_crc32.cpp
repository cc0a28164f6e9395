// detail::crc32 (ISA-L's crc32_gzip_refl) gives zlib's crc32() values, for any split of the
// input: the gzip decoder and writer use it for the member trailer and FHCRC (R-R1-3, R-R1-5).
#include <catch2/catch.hpp>

#include <zlib.h>

#include <random>

#include "codecs/crc32.hpp"
#include "support.hpp"

using namespace casblob;

TEST_CASE("crc32: equals zlib's on every length and alignment up to 4 KiB, and split anywhere", "[crc32]") {
  const Bytes data = test::seeded_bytes("random", 4096 + 64, 3);
  for (std::size_t off = 0; off < 64; off += 7)
    for (std::size_t n = 0; n <= 4096; n += (n < 300 ? 1 : 61)) {
      const std::uint8_t* p = data.data() + off;
      const auto want = static_cast<std::uint32_t>(::crc32(0, p, static_cast<uInt>(n)));
      INFO("offset " << off << " length " << n);
      REQUIRE(detail::crc32(0, p, n) == want);
      const std::size_t cut = n / 3;
      REQUIRE(detail::crc32(detail::crc32(0, p, cut), p + cut, n - cut) == want);
    }
  CHECK(detail::crc32(0, nullptr, 0) == 0);
  const Bytes big = test::seeded_bytes("text", 5 << 20, 4);
  CHECK(detail::crc32(0, big.data(), big.size()) == static_cast<std::uint32_t>(::crc32_z(0, big.data(), big.size())));
}
