// Writing a blob the way Metaflow does (spec 5, "Writers").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "casblob/experimental/gzip.hpp"
#include "casblob/io.hpp"
#include "casblob/experimental/lz4_frame.hpp"

namespace casblob {

struct EncodeOptions {
  int version = 1;     // 1: gzip, 2: lz4 frame
  bool raw = false;    // store as-is; the sidecar still says cas_version (PR #3090 writes 2)
  GzipWriteOptions gzip;
  Lz4WriteOptions lz4;  // content_size is filled from the size hint when not set
};

struct EncodeInfo {
  std::string key;   // SHA-1 of the input
  std::string meta;  // sidecar text, byte-identical to Metaflow's json.dumps
  std::uint64_t input_size = 0, stored_size = 0;
};

// size_hint: the input's length when known (needed for the lz4 content size).
Result<EncodeInfo> encode_blob(Source& in, std::optional<std::uint64_t> size_hint,
                               const EncodeOptions& opts, Sink& out);

struct Encoded {
  EncodeInfo info;
  Bytes bytes;
};
Result<Encoded> encode_blob(ByteView data, const EncodeOptions& opts);

}  // namespace casblob
