// CRC-32 as gzip uses it (RFC 1952 section 8: the member trailer, FHCRC), computed by ISA-L's
// crc32_gzip_refl (folding with carry-less multiplication). Measured on the bench machine:
// ~56 GB/s against ~4 GB/s for zlib's crc32_z, which was 7 % of an 8 MB gzip-3 read and
// more than half of reading stored (incompressible) members (bench/README.md). Same values as
// zlib's crc32(), any split: tests/internal/test_crc32.cpp. Internal header.
//
// Short inputs go to zlib's crc32_z instead (its table, one call): the folding code costs 15-35
// ns per call whatever the length, zlib ~7 ns for one byte. The gzip decoder CRCs each header
// byte on its own (FHCRC covers them) and, fed in small chunks, each small inflate() output.
#pragma once

#include <isa-l/crc.h>
#include <zlib.h>

#include <cstddef>
#include <cstdint>

namespace casblob::detail {

// Below this length zlib is faster (measured: 8 bytes cost the same either way).
inline constexpr std::size_t kCrc32ZlibMax = 8;

// crc32(crc32(0, a), b) == crc32(0, a + b), as zlib's.
inline std::uint32_t crc32(std::uint32_t crc, const void* data, std::size_t size) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  if (size < kCrc32ZlibMax) return static_cast<std::uint32_t>(::crc32_z(crc, p, size));
  return crc32_gzip_refl(crc, p, size);
}

}  // namespace casblob::detail
