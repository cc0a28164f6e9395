// The compact fast v1 engine: libdeflate (levels 1-12), which compresses whole buffers only.
// On the bench machine its level 3 writes 1.7-3.1x faster than zlib level 3 at equal or
// smaller size (bench/README.md). Not Python's bytes, so opt-in (GzipEngine::libdeflate).
//
// R-W1-1 wants one member, so the content is collected and compressed at finish(). Memory
// stays bounded: past kWholeBufferLimit the stream continues with zlib at the same level
// (capped at 9), fed what was collected first. Either way the bytes depend only on the content.
#include <libdeflate.h>

#include <algorithm>
#include <exception>
#include <string>

#include "codecs/deflater.hpp"

namespace casblob::detail {
namespace {

constexpr std::size_t kWholeBufferLimit = std::size_t{64} << 20;

class LibdeflateDeflater final : public Deflater {
 public:
  ~LibdeflateDeflater() override {
    if (compressor_) libdeflate_free_compressor(compressor_);
  }

  Status start(int level, Sink& out) override {
    if (level < 1 || level > 12)
      return Error(Errc::usage, "gzip: invalid compression level " + std::to_string(level) + " (libdeflate: 1-12)");
    out_ = &out;
    level_ = level;
    content_.clear();  // keeps its capacity for the next blob
    fallback_.reset();
    if (!compressor_ || compressor_level_ != level) {
      if (compressor_) libdeflate_free_compressor(compressor_);
      compressor_ = libdeflate_alloc_compressor(level);
      compressor_level_ = level;
      if (!compressor_) return Error(Errc::io_error, "gzip: libdeflate_alloc_compressor: out of memory");
    }
    return {};
  }

  Status write(ByteView data) override {
    if (fallback_) return fallback_->write(data);
    if (content_.size() + data.size() <= kWholeBufferLimit) {
      try {
        content_.insert(content_.end(), data.begin(), data.end());
      } catch (const std::exception&) {
        return Error(Errc::io_error, "gzip: out of memory");
      }
      return {};
    }
    fallback_ = make_zlib_deflater();
    CASBLOB_TRY(fallback_->start(std::min(level_, 9), *out_));
    CASBLOB_TRY(fallback_->write(content_));
    content_.clear();
    return fallback_->write(data);
  }

  Status finish() override {
    if (fallback_) return fallback_->finish();
    const std::size_t bound = libdeflate_deflate_compress_bound(compressor_, content_.size());
    try {
      if (compressed_.size() < bound) compressed_.resize(bound);
    } catch (const std::exception&) {
      return Error(Errc::io_error, "gzip: out of memory");
    }
    const std::size_t n =
        libdeflate_deflate_compress(compressor_, content_.data(), content_.size(), compressed_.data(), bound);
    if (n == 0) return Error(Errc::io_error, "gzip: libdeflate_deflate_compress failed");
    for (std::size_t i = 0; i < n; i += kDeflateOutChunk)
      CASBLOB_TRY(out_->write(ByteView(compressed_.data() + i, std::min(kDeflateOutChunk, n - i))));
    return {};
  }

 private:
  libdeflate_compressor* compressor_ = nullptr;
  int compressor_level_ = 0, level_ = 0;
  Bytes content_, compressed_;
  std::unique_ptr<Deflater> fallback_;
  Sink* out_ = nullptr;
};

}  // namespace

std::unique_ptr<Deflater> make_libdeflate_deflater() { return std::make_unique<LibdeflateDeflater>(); }

}  // namespace casblob::detail
