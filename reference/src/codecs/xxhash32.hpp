// XXH32 (xxHash, 32-bit), the checksum of the lz4 frame format (lz4_Frame_format.md:
// header checksum, block checksums, content checksum; spec 5.4). liblz4 ships XXH32 but
// does not export it, so casblob carries this small implementation of the public algorithm
// (github.com/Cyan4973/xxHash doc/xxhash_spec.md, "XXH32 algorithm description").
#pragma once

#include <cstddef>
#include <cstdint>

namespace casblob::detail {

// One-shot hash.
std::uint32_t xxh32(const void* data, std::size_t size, std::uint32_t seed = 0) noexcept;

// Streaming hash: any split of the input into update() calls gives the one-shot value.
class Xxh32 {
 public:
  explicit Xxh32(std::uint32_t seed = 0) noexcept { reset(seed); }
  void reset(std::uint32_t seed = 0) noexcept;
  void update(const void* data, std::size_t size) noexcept;
  std::uint32_t digest() const noexcept;

 private:
  std::uint64_t total_ = 0;
  std::uint32_t acc_[4] = {0, 0, 0, 0};
  std::uint32_t seed_ = 0;
  std::uint8_t buf_[16] = {};
  std::size_t buffered_ = 0;
};

}  // namespace casblob::detail
