#include "casblob/experimental/container.hpp"

#include <algorithm>

namespace casblob {
namespace {

std::uint32_t le32(ByteView b) {
  return b[0] | b[1] << 8 | b[2] << 16 | std::uint32_t{b[3]} << 24;
}

}  // namespace

std::string_view name(Container c) noexcept {
  switch (c) {
    case Container::empty: return "empty";
    case Container::gzip: return "gzip";
    case Container::lz4_frame: return "lz4-frame";
    case Container::lz4_skippable: return "lz4-skippable";
    case Container::lz4_legacy: return "lz4-legacy";
    case Container::unknown: return "unknown";
  }
  return "unknown";
}

Container detect_container(ByteView head) noexcept {
  if (head.empty()) return Container::empty;
  if (head.size() >= 2 && head[0] == kGzipMagic[0] && head[1] == kGzipMagic[1]) return Container::gzip;
  if (head.size() < 4) return Container::unknown;
  std::uint32_t m = le32(head);
  if (m == kLz4FrameMagic) return Container::lz4_frame;
  if (is_lz4_skippable_magic(m)) return Container::lz4_skippable;
  if (m == kLz4LegacyMagic) return Container::lz4_legacy;
  return Container::unknown;
}

bool is_magic_prefix(ByteView all, Container c) noexcept {
  if (all.empty()) return false;
  switch (c) {
    case Container::gzip:
      return all.size() < 2 && all[0] == kGzipMagic[0];
    case Container::lz4_frame:
    case Container::lz4_skippable: {
      if (all.size() >= 4) return false;
      static constexpr std::uint8_t frame[4] = {0x04, 0x22, 0x4D, 0x18};
      static constexpr std::uint8_t skip_tail[3] = {0x2A, 0x4D, 0x18};  // after the 0x5? byte
      bool is_frame = std::equal(all.begin(), all.end(), frame);
      bool is_skip = (all[0] & 0xF0) == 0x50 && std::equal(all.begin() + 1, all.end(), skip_tail);
      return is_frame || is_skip;
    }
    default:
      return false;
  }
}

}  // namespace casblob
