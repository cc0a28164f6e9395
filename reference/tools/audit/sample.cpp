// Sample::contains and the level names (options.hpp).
#include <cstdint>

#include "audit/options.hpp"

namespace casblob::audit {

std::string_view name(Level l) noexcept { return l == Level::metadata ? "metadata" : "data"; }

bool Sample::contains(std::string_view key) const {
  if (fraction >= 1.0) return true;
  if (fraction <= 0.0) return false;
  // FNV-1a of (seed, key), then a 64-bit finaliser (splitmix64): keys are SHA-1 digests, but
  // mixing in the seed lets successive runs pick different subsets.
  std::uint64_t h = 0xcbf29ce484222325ull ^ seed;
  for (char c : key) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  h += 0x9e3779b97f4a7c15ull;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
  h ^= h >> 31;
  return static_cast<double>(h >> 11) / 9007199254740992.0 < fraction;  // 53 bits
}

}  // namespace casblob::audit
