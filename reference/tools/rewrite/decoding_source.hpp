// A blob's content as a Source: the payload read through a strict BlobDecoder with the key, so
// that encode_blob can pull what the reader pushes. The last read reports the reader's verdict:
// content that does not hash to the key ends in an error, and the encoder's output is then
// never committed.
#pragma once

#include <memory>
#include <optional>

#include "casblob/reader.hpp"

namespace casblob::rewrite {

class DecodingSource final : public Source {
 public:
  // `salvage`: a reading that fails after the reader handed over content whose SHA-1 is the key
  // (a gzip member whose CRC32 or ISIZE alone is wrong: badChecksumContentOk) counts as right.
  DecodingSource(std::unique_ptr<Source> payload, const SidecarText& sidecar, const std::string& key,
                 std::uint64_t max_size, std::optional<std::uint64_t> content_size, bool salvage);
  Result<std::size_t> read(std::span<std::uint8_t> buf) override;
  std::optional<std::uint64_t> size_hint() const override { return content_size_; }

 private:
  class Buffer final : public Sink {
   public:
    Status write(ByteView data) override;
    Bytes bytes;
    std::size_t pos = 0;
  };
  Status finish_reading();

  std::unique_ptr<Source> payload_;
  std::string key_;
  std::optional<std::uint64_t> content_size_;
  bool salvage_;
  Buffer out_;
  BlobDecoder decoder_;
  Bytes chunk_;
  bool done_ = false;
};

// Writes to `first` and feeds the same bytes to `verifier` (a strict BlobDecoder with the key
// and the target's sidecar): the bytes committed are the bytes verified.
class TeeSink final : public Sink {
 public:
  TeeSink(Sink& first, BlobDecoder& verifier) : first_(first), verifier_(verifier) {}
  Status write(ByteView data) override;

 private:
  Sink& first_;
  BlobDecoder& verifier_;
};

}  // namespace casblob::rewrite
