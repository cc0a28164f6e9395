// The raw deflate streams (RFC 1951) inside a v1 member, one implementation per engine
// (GzipEngine, gzip.hpp). GzipWriter owns the member around them: header, CRC-32, ISIZE.
// Internal header.
//
// A Deflater is reusable: start() begins a new stream, keeping what set-up it can (zlib's
// deflateReset, ISA-L's isal_deflate_reset, libdeflate's compressor), so a writer that is
// reset() for the next blob does not pay the engine's allocations again.
#pragma once

#include <memory>

#include "casblob/experimental/gzip.hpp"
#include "casblob/io.hpp"

namespace casblob::detail {

class Deflater {
 public:
  virtual ~Deflater() = default;
  // A new stream at `level` writing to `out`. usage: a level the engine does not have;
  // io_error: the engine failed (out of memory).
  virtual Status start(int level, Sink& out) = 0;
  virtual Status write(ByteView data) = 0;
  virtual Status finish() = 0;  // the last block; the stream is complete
};

std::unique_ptr<Deflater> make_zlib_deflater();        // deflate_zlib.cpp
std::unique_ptr<Deflater> make_isal_deflater();        // deflate_isal.cpp
std::unique_ptr<Deflater> make_libdeflate_deflater();  // deflate_libdeflate.cpp

// Deflate output is handed to the sink in pieces of this size (warm in L2).
inline constexpr std::size_t kDeflateOutChunk = 64 * 1024;

}  // namespace casblob::detail
