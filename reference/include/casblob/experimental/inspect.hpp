// What is in a blob, without trusting the sidecar (CLI `inspect`, spec 6.1 step 8).
#pragma once

#include <optional>
#include <string>

#include "casblob/experimental/gzip.hpp"
#include "casblob/io.hpp"
#include "casblob/experimental/lz4_frame.hpp"

namespace casblob {

enum class Container { empty, gzip, lz4_frame, lz4_skippable, lz4_legacy, unknown };
std::string_view name(Container c) noexcept;  // "empty", "gzip", "lz4-frame", ...

// From the first bytes of a payload (at least 4 when available).
Container detect_container(ByteView head) noexcept;

struct InspectReport {
  Container container = Container::unknown;
  std::uint64_t size = 0;
  std::optional<GzipReport> gzip;
  std::optional<Lz4Report> lz4;
  Status decode_status;  // how a full, checked decode of the container ended
  std::string decoded_sha1;
};

Result<InspectReport> inspect_blob(Source& blob);

}  // namespace casblob
