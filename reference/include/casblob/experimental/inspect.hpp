// What is in a blob, without trusting the sidecar (CLI `inspect`, spec 6.1 step 8).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "casblob/experimental/container.hpp"
#include "casblob/experimental/gzip.hpp"
#include "casblob/experimental/lz4_frame.hpp"
#include "casblob/io.hpp"
#include "casblob/reader.hpp"

namespace casblob {

struct InspectOptions {
  // The checked decode stops here (limit_exceeded): a small bomb must not cost minutes (spec 10.1).
  std::uint64_t max_decoded = kDefaultMaxSize;
};

struct InspectReport {
  Container container = Container::unknown;
  std::uint64_t size = 0;         // bytes read (all of them, also after a decode error)
  std::optional<GzipReport> gzip;  // member and frame lists are bounded: see their *_count
  std::optional<Lz4Report> lz4;
  Status decode_status;  // how a full, checked decode of the container ended
  std::string decoded_sha1;
};

Result<InspectReport> inspect_blob(Source& blob, const InspectOptions& opts = {});

}  // namespace casblob
