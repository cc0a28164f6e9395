// Parallel save (bench issue #8): SHA-1 and compression are independent passes over the same
// bytes, so the key is computed on a second thread while the calling thread compresses.
// Output bytes, key and sidecar are exactly those of encode_blob (writer.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "casblob/writer.hpp"

namespace casblob {

struct ParallelOptions {
  // Below this many input bytes (when the size is known) the work runs on the calling thread:
  // handing chunks over costs more than it saves. Unknown size: parallel.
  std::uint64_t min_size = std::uint64_t{8} << 20;
  // Streaming path: the input is read into `slots` fixed buffers of `chunk` bytes, allocated
  // once per call and reused round-robin (no allocation per chunk). A slot is refilled only
  // after both threads are done with it.
  std::size_t chunk = std::size_t{256} << 10;
  std::size_t slots = 8;
};

// Owns the hashing thread: started on the first encode that runs in parallel, reused by later
// ones, stopped and joined by the destructor (nothing process-wide, nothing detached). One
// encode at a time per object; use one object per calling thread.
class ParallelEncoder {
 public:
  explicit ParallelEncoder(ParallelOptions opts = {});
  ~ParallelEncoder();
  ParallelEncoder(const ParallelEncoder&) = delete;
  ParallelEncoder& operator=(const ParallelEncoder&) = delete;

  // Streaming: reads `in` once; memory is slots * chunk plus the encoder's own buffers.
  Result<EncodeInfo> encode(Source& in, const EncodeOptions& opts, Sink& out);
  // In memory: the second thread hashes `data` in place while the caller compresses it;
  // nothing is copied besides the encoded output (reserved once).
  Result<Encoded> encode(ByteView data, const EncodeOptions& opts);

  // Whether the hashing thread is running (tests: it starts lazily and stops with the object).
  bool thread_started() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace casblob
