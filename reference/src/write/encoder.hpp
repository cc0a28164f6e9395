// The one encoder factory of the write layer (writer.cpp, parallel_encoder.cpp): raw, gzip (v1)
// or lz4 frame (v2) behind one interface, kept from blob to blob by an EncoderSet. Internal.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "casblob/key.hpp"
#include "casblob/writer.hpp"

namespace casblob::detail {

class Encoder {
 public:
  virtual ~Encoder() = default;
  virtual Status write(ByteView data) = 0;
  virtual Status finish() = 0;
};

// The encoders of one writer (BlobEncoder, ParallelEncoder): select() resets the one the
// options need -- its deflate stream (deflateReset, not deflateInit2's ~270 KB per blob), its
// lz4 context where the bytes allow it -- instead of making a new one per blob (issue 19).
// `size_hint`: the content length the source announced, if any (lz4 content size). Errors:
// usage (version not 1 or 2), codec_unavailable (v2 without lz4). The encoder returned is
// valid until the next select().
class EncoderSet {
 public:
  EncoderSet();
  ~EncoderSet();
  Result<Encoder*> select(const EncodeOptions& opts, std::optional<std::uint64_t> size_hint, Sink& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// `info` for an encoded blob, the key spelled from its digest (R-KEY-1) and the sidecar Metaflow
// writes: the strings' memory is reused, so a writer that keeps `info` from blob to blob
// allocates nothing for it.
void fill_encode_info(const EncodeOptions& opts, const Sha1::Digest& key, std::uint64_t input_size,
                      std::uint64_t stored_size, EncodeInfo& info);

// Room for the encoded output of n bytes: stored deflate blocks and uncompressed lz4 blocks add
// a few bytes per 16 KB at most, plus headers.
inline std::size_t encoded_size_bound(std::size_t n) { return n + n / 1024 + 1024; }

}  // namespace casblob::detail
