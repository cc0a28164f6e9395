// CRC-32 as gzip uses it (RFC 1952 section 8: the member trailer, FHCRC), computed by ISA-L's
// crc32_gzip_refl (folding with carry-less multiplication). Measured on the bench machine:
// ~56 GB/s against ~4 GB/s for zlib's crc32_z, which was 7 % of an 8 MB gzip-3 read and
// more than half of reading stored (incompressible) members (bench/README.md). Same values as
// zlib's crc32(), any split: tests/test_crc32.cpp. Internal header.
#pragma once

#include <isa-l/crc.h>

#include <cstddef>
#include <cstdint>

namespace casblob::detail {

// crc32(crc32(0, a), b) == crc32(0, a + b), as zlib's.
inline std::uint32_t crc32(std::uint32_t crc, const void* data, std::size_t size) noexcept {
  return crc32_gzip_refl(crc, static_cast<const unsigned char*>(data), size);
}

}  // namespace casblob::detail
