// XXH32 per xxhash_spec.md: four lanes over 16-byte stripes, then the 4- and 1-byte tail,
// then the avalanche. Little-endian reads are done byte-wise so the code is portable; the
// compiler turns them into plain loads.
#include "codecs/xxhash32.hpp"

#include <algorithm>
#include <cstring>

namespace casblob::detail {
namespace {

constexpr std::uint32_t P1 = 0x9E3779B1u, P2 = 0x85EBCA77u, P3 = 0xC2B2AE3Du, P4 = 0x27D4EB2Fu,
                        P5 = 0x165667B1u;

inline std::uint32_t rotl(std::uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }

inline std::uint32_t read32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

inline std::uint32_t round(std::uint32_t acc, std::uint32_t lane) {
  acc += lane * P2;
  acc = rotl(acc, 13);
  return acc * P1;
}

// Consumes whole 16-byte stripes; returns the pointer past the last one.
inline const std::uint8_t* stripes(std::uint32_t acc[4], const std::uint8_t* p,
                                   const std::uint8_t* end) {
  while (end - p >= 16) {
    acc[0] = round(acc[0], read32(p));
    acc[1] = round(acc[1], read32(p + 4));
    acc[2] = round(acc[2], read32(p + 8));
    acc[3] = round(acc[3], read32(p + 12));
    p += 16;
  }
  return p;
}

std::uint32_t finish(std::uint32_t h, const std::uint8_t* p, std::size_t len) {
  while (len >= 4) {
    h += read32(p) * P3;
    h = rotl(h, 17) * P4;
    p += 4;
    len -= 4;
  }
  while (len > 0) {
    h += *p * P5;
    h = rotl(h, 11) * P1;
    ++p;
    --len;
  }
  h ^= h >> 15;
  h *= P2;
  h ^= h >> 13;
  h *= P3;
  h ^= h >> 16;
  return h;
}

inline void init(std::uint32_t acc[4], std::uint32_t seed) {
  acc[0] = seed + P1 + P2;
  acc[1] = seed + P2;
  acc[2] = seed;
  acc[3] = seed - P1;
}

inline std::uint32_t converge(const std::uint32_t acc[4]) {
  return rotl(acc[0], 1) + rotl(acc[1], 7) + rotl(acc[2], 12) + rotl(acc[3], 18);
}

// The digest of `total` bytes whose whole stripes went into `acc` and whose last
// `tail_len` bytes (under 16) are at `tail`. Inputs shorter than one stripe never used the
// lanes: the spec starts them from seed + P5.
inline std::uint32_t digest_of(const std::uint32_t acc[4], std::uint32_t seed, std::uint64_t total,
                               const std::uint8_t* tail, std::size_t tail_len) {
  std::uint32_t h = total >= 16 ? converge(acc) : seed + P5;
  h += static_cast<std::uint32_t>(total);
  return finish(h, tail, tail_len);
}

}  // namespace

// Straight over the input, without the streaming state's stripe buffer: the lz4 header
// checksum of every v2 blob hashes 2-14 bytes, where that copy and the state's set-up were
// most of the cost. test_xxhash32 checks it against published vectors and liblz4, and Xxh32
// against it.
std::uint32_t xxh32(const void* data, std::size_t size, std::uint32_t seed) noexcept {
  auto p = static_cast<const std::uint8_t*>(data);
  const std::uint8_t* end = p + size;  // a null `data` comes with size 0: nothing is read
  std::uint32_t acc[4];
  init(acc, seed);
  p = stripes(acc, p, end);
  return digest_of(acc, seed, size, p, static_cast<std::size_t>(end - p));
}

void Xxh32::reset(std::uint32_t seed) noexcept {
  total_ = 0;
  seed_ = seed;
  init(acc_, seed);
  buffered_ = 0;
}

void Xxh32::update(const void* data, std::size_t size) noexcept {
  // An empty update may come with a null pointer (an empty ByteView): memcpy must never see it,
  // even for 0 bytes (UBSan; found by decode_blob_fuzzer).
  if (size == 0) return;
  auto p = static_cast<const std::uint8_t*>(data);
  const std::uint8_t* end = p + size;
  total_ += size;
  if (buffered_ > 0) {  // complete the pending stripe first
    std::size_t take = std::min<std::size_t>(16 - buffered_, size);
    std::memcpy(buf_ + buffered_, p, take);
    buffered_ += take;
    p += take;
    if (buffered_ < 16) return;
    stripes(acc_, buf_, buf_ + 16);
    buffered_ = 0;
  }
  p = stripes(acc_, p, end);
  buffered_ = static_cast<std::size_t>(end - p);
  if (buffered_ > 0) std::memcpy(buf_, p, buffered_);
}

std::uint32_t Xxh32::digest() const noexcept { return digest_of(acc_, seed_, total_, buf_, buffered_); }

}  // namespace casblob::detail
