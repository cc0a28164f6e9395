// A key as the audit keeps it: its 20 bytes (listing, sorting and pairing allocate nothing
// per entry), ordered as the bytes are.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "casblob/key.hpp"

namespace casblob::audit {

using Key20 = Sha1::Digest;

// The 20 bytes of a key already checked by is_valid_key: the library's parse (key_digest),
// all zeros for anything else.
inline Key20 key20(std::string_view hex) { return key_digest(hex).value_or(Key20{}); }

inline std::string hex(const Key20& k) { return to_hex(ByteView(k.data(), k.size())); }

namespace detail {
// Big-endian loads: the first byte most significant, whatever the host's order.
inline std::uint64_t be64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  return v;
}
inline std::uint32_t be32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap32(v);
  return v;
}
}  // namespace detail

// <0, 0, >0 as std::array's comparison orders the bytes, by three big-endian words: the audit
// sorts every key and every reference of a store, and std::array<uint8_t, 20>'s comparison is
// a call to memcmp (~8% of a metadata audit of small blobs, perf).
inline int key_cmp(const Key20& a, const Key20& b) {
  const std::uint64_t a0 = detail::be64(a.data()), b0 = detail::be64(b.data());
  if (a0 != b0) return a0 < b0 ? -1 : 1;
  const std::uint64_t a1 = detail::be64(a.data() + 8), b1 = detail::be64(b.data() + 8);
  if (a1 != b1) return a1 < b1 ? -1 : 1;
  const std::uint32_t a2 = detail::be32(a.data() + 16), b2 = detail::be32(b.data() + 16);
  return a2 < b2 ? -1 : a2 > b2 ? 1 : 0;
}
inline bool key_less(const Key20& a, const Key20& b) { return key_cmp(a, b) < 0; }

}  // namespace casblob::audit
