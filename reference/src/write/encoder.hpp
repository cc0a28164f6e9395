// The one encoder factory of the write layer (writer.cpp, parallel_encoder.cpp): raw, gzip (v1)
// or lz4 frame (v2) behind one interface. Internal.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "casblob/writer.hpp"

namespace casblob::detail {

class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual Status write(ByteView data) = 0;
  virtual Status finish() = 0;
};

// `size_hint`: the content length the source announced, if any (lz4 content size). Errors:
// usage (version not 1 or 2), codec_unavailable (v2 without lz4).
Result<std::unique_ptr<Encoder>> make_encoder(const EncodeOptions& opts, std::optional<std::uint64_t> size_hint,
                                              Sink& out);

EncodeInfo make_encode_info(const EncodeOptions& opts, std::string key, std::uint64_t input_size,
                            std::uint64_t stored_size);

// Room for the encoded output of n bytes: stored deflate blocks and uncompressed lz4 blocks add
// a few bytes per 16 KB at most, plus headers.
inline std::size_t encoded_size_bound(std::size_t n) { return n + n / 1024 + 1024; }

}  // namespace casblob::detail
