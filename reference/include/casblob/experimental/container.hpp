// What a payload is by its own first bytes (spec 6.1 step 8): the one detector that the
// reader's magic check, inspect and the census share.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "casblob/io.hpp"

namespace casblob {

enum class Container { empty, gzip, lz4_frame, lz4_skippable, lz4_legacy, unknown };
std::string_view name(Container c) noexcept;  // "empty", "gzip", "lz4-frame", ...

// Bytes the detector needs to decide (the longest magic number): give it the first
// min(kContainerProbeSize, payload size) bytes.
inline constexpr std::size_t kContainerProbeSize = 4;

inline constexpr std::uint8_t kGzipMagic[2] = {0x1f, 0x8b};
inline constexpr std::uint32_t kLz4FrameMagic = 0x184D2204;
inline constexpr std::uint32_t kLz4LegacyMagic = 0x184C2102;
inline constexpr bool is_lz4_skippable_magic(std::uint32_t m) { return (m & 0xFFFFFFF0u) == 0x184D2A50u; }

// From the first bytes of a payload. A head shorter than a magic number is `unknown` (or
// `empty`), even when it is a prefix of one: see is_magic_prefix.
Container detect_container(ByteView head) noexcept;

// Whether the whole payload `all` is shorter than `c`'s magic number and a proper prefix of it
// (R-R1-7, R-R2-9: such a payload is truncated, not of another format). For lz4_frame, the
// skippable magics count too (a frame boundary accepts both).
bool is_magic_prefix(ByteView all, Container c) noexcept;

}  // namespace casblob
