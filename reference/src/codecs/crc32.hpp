// CRC-32 as gzip uses it (RFC 1952 section 8: the member trailer, FHCRC), computed by ISA-L's
// crc32_gzip_refl (folding with carry-less multiplication). Measured on the bench machine:
// ~56 GB/s against ~4 GB/s for zlib's crc32_z, which was 7 % of an 8 MB gzip-3 read and
// more than half of reading stored (incompressible) members (bench/README.md). Same values as
// zlib's crc32(), any split: tests/internal/test_crc32.cpp. Internal header.
//
// Short inputs go through a byte table instead: the folding code costs 15-35 ns per call
// whatever the length, against ~1.5 ns a byte for the table. The gzip decoder CRCs each header
// byte on its own (FHCRC covers them) and, fed in small chunks, each small inflate() output.
#pragma once

#include <isa-l/crc.h>

#include <array>
#include <cstddef>
#include <cstdint>

namespace casblob::detail {

// Below this length the table is faster (measured: 8 bytes cost the same either way).
inline constexpr std::size_t kCrc32TableMax = 8;

inline constexpr std::array<std::uint32_t, 256> kCrc32Table = [] {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;  // reflected 0x04C11DB7
    t[i] = c;
  }
  return t;
}();

// crc32(crc32(0, a), b) == crc32(0, a + b), as zlib's.
inline std::uint32_t crc32(std::uint32_t crc, const void* data, std::size_t size) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  if (size < kCrc32TableMax) {
    crc = ~crc;
    for (std::size_t i = 0; i < size; ++i) crc = kCrc32Table[(crc ^ p[i]) & 0xFF] ^ (crc >> 8);
    return ~crc;
  }
  return crc32_gzip_refl(crc, p, size);
}

}  // namespace casblob::detail
