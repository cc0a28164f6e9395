// Writing a blob the way Metaflow does (spec 5, "Writers"): hash the content, encode it, and
// emit the sidecar text Metaflow writes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "casblob/codecs.hpp"
#include "casblob/io.hpp"

namespace casblob {

struct EncodeOptions {
  int version = 1;     // 1: gzip, 2: lz4 frame
  bool raw = false;    // store as-is; the sidecar still says cas_version (PR #3090 writes 2)
  GzipWriteOptions gzip;
  // content_size, when not set, comes from the source's size hint (python-lz4 store_size=True).
  Lz4WriteOptions lz4;
};

struct EncodeInfo {
  std::string key;   // SHA-1 of the input
  std::string meta;  // sidecar text, byte-identical to Metaflow's json.dumps
  std::uint64_t input_size = 0, stored_size = 0;
};

// Streams `in` once. A v2 frame stores the source's size hint as its content size (a hint of 0
// stores none, as liblz4 does for empty input); a source that then yields a different number of
// bytes (a file that grows or shrinks while read) fails with io_error, never a wrong frame.
Result<EncodeInfo> encode_blob(Source& in, const EncodeOptions& opts, Sink& out);

struct Encoded {
  EncodeInfo info;
  Bytes bytes;
};
Result<Encoded> encode_blob(ByteView data, const EncodeOptions& opts);

// encode_blob for a long-lived caller (a batch writer, a migration): the codec contexts stay
// from blob to blob -- the deflate stream (deflateReset instead of deflateInit2), the lz4 HC
// context, the SHA-1 context, the read buffer -- with the very bytes, keys and sidecars of
// encode_blob. One encode at a time; one object per thread.
class BlobEncoder {
 public:
  BlobEncoder();
  ~BlobEncoder();
  BlobEncoder(const BlobEncoder&) = delete;
  BlobEncoder& operator=(const BlobEncoder&) = delete;

  Result<EncodeInfo> encode(Source& in, const EncodeOptions& opts, Sink& out);
  Result<Encoded> encode(ByteView data, const EncodeOptions& opts);
  // Into `out`, overwritten with the encoded bytes (its memory is reused once it has grown).
  Result<EncodeInfo> encode(ByteView data, const EncodeOptions& opts, Bytes& out);
  // The same with everything a long-lived caller keeps, zero-copy where the format allows:
  // `stored` is the payload to store, `data` itself for a raw blob (its stored bytes are its
  // content: only the key is computed, `out` is left empty), else a view of `out`; `info` is
  // overwritten, its strings' memory reused (a small blob's save allocates nothing: issue 19).
  // On error `stored` is empty and `info` unspecified.
  Status encode(ByteView data, const EncodeOptions& opts, Bytes& out, ByteView& stored, EncodeInfo& info);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace casblob
