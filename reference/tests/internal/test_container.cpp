// The shared container detector (experimental/container.hpp) behind step 8, inspect and the
// census: magic numbers of RFC 1952 and lz4_Frame_format.md, and proper prefixes of them.
#include <catch2/catch.hpp>

#include "casblob/experimental/container.hpp"

using namespace casblob;

namespace {
Container detect(std::initializer_list<std::uint8_t> b) { return detect_container(Bytes(b)); }
bool prefix(std::initializer_list<std::uint8_t> b, Container c) { return is_magic_prefix(Bytes(b), c); }
}  // namespace

TEST_CASE("detect_container names every magic number and nothing else", "[container]") {
  CHECK(detect({}) == Container::empty);
  CHECK(detect({0x1f, 0x8b}) == Container::gzip);
  CHECK(detect({0x1f, 0x8b, 0x08, 0x00}) == Container::gzip);
  CHECK(detect({0x04, 0x22, 0x4d, 0x18}) == Container::lz4_frame);
  for (std::uint8_t lo = 0x50; lo <= 0x5f; ++lo) CHECK(detect({lo, 0x2a, 0x4d, 0x18}) == Container::lz4_skippable);
  CHECK(detect({0x4f, 0x2a, 0x4d, 0x18}) == Container::unknown);
  CHECK(detect({0x02, 0x21, 0x4c, 0x18}) == Container::lz4_legacy);
  CHECK(detect({0x1f}) == Container::unknown);          // too short to say
  CHECK(detect({0x04, 0x22, 0x4d}) == Container::unknown);
  CHECK(detect({0x1f, 0x8c, 0, 0}) == Container::unknown);
  CHECK(name(Container::lz4_frame) == "lz4-frame");
}

TEST_CASE("is_magic_prefix: shorter than the magic and a prefix of it", "[container]") {
  CHECK(prefix({0x1f}, Container::gzip));
  CHECK_FALSE(prefix({0x1f, 0x8b}, Container::gzip));  // the whole magic: not a proper prefix
  CHECK_FALSE(prefix({}, Container::gzip));
  CHECK_FALSE(prefix({0x8b}, Container::gzip));
  CHECK(prefix({0x04}, Container::lz4_frame));
  CHECK(prefix({0x04, 0x22, 0x4d}, Container::lz4_frame));
  CHECK(prefix({0x5a, 0x2a}, Container::lz4_frame));  // a frame boundary also accepts skippable frames
  CHECK_FALSE(prefix({0x04, 0x22, 0x4d, 0x18}, Container::lz4_frame));
  CHECK_FALSE(prefix({0x04, 0x23}, Container::lz4_frame));
  CHECK_FALSE(prefix({0x1f}, Container::lz4_frame));
}
