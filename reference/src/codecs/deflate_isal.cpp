// The fast v1 engine: ISA-L's isal_deflate (levels 0-3), streaming with bounded memory. On the
// bench machine its level 1 writes 6-28x faster than zlib level 3, 0-7 % larger (bench/README.md).
// Not Python's bytes, so opt-in (GzipEngine::isal); any deflate level is conformant (5.2.1).
//
// isal_deflate's output could depend on how the input arrives; it is fed in fixed
// kIsalPiece slices of the concatenated input (a small staging copy when a write() splits
// one), so the bytes depend only on the content: one-shot and streaming writes agree.
#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "codecs/deflater.hpp"
#include "common/buffer.hpp"

namespace casblob::detail {
namespace {

constexpr std::size_t kIsalPiece = 64 * 1024;

std::size_t level_buffer_size(int level) {
  switch (level) {
    case 0: return ISAL_DEF_LVL0_DEFAULT;
    case 1: return ISAL_DEF_LVL1_DEFAULT;
    case 2: return ISAL_DEF_LVL2_DEFAULT;
    default: return ISAL_DEF_LVL3_DEFAULT;
  }
}

class IsalDeflater final : public Deflater {
 public:
  Status start(int level, Sink& out) override {
    if (level < 0 || level > 3)
      return Error(Errc::usage, "gzip: invalid compression level " + std::to_string(level) + " (isal: 0-3)");
    out_ = &out;
    const std::size_t lb = level_buffer_size(level);
    if (!zs_ || !obuf_.ensure(kDeflateOutChunk) || !stage_.ensure(kIsalPiece) || (lb && !level_buf_.ensure(lb)))
      return Error(Errc::io_error, "gzip: out of memory");
    isal_deflate_init(zs_.get());  // a plain reset of ~100 KB of state, no allocation
    zs_->level = static_cast<std::uint32_t>(level);
    zs_->level_buf = lb ? level_buf_.data() : nullptr;
    zs_->level_buf_size = static_cast<std::uint32_t>(lb);
    zs_->gzip_flag = IGZIP_DEFLATE;  // raw deflate: GzipWriter writes Python's header and trailer
    zs_->flush = NO_FLUSH;
    staged_ = 0;
    return {};
  }

  Status write(ByteView data) override {
    std::size_t i = 0;
    if (staged_ > 0) {  // complete the staged piece first
      std::size_t take = std::min(kIsalPiece - staged_, data.size());
      std::memcpy(stage_.data() + staged_, data.data(), take);
      staged_ += take;
      i = take;
      if (staged_ < kIsalPiece) return {};
      CASBLOB_TRY(compress(ByteView(stage_.data(), kIsalPiece), false));
      staged_ = 0;
    }
    for (; data.size() - i >= kIsalPiece; i += kIsalPiece) CASBLOB_TRY(compress(data.subspan(i, kIsalPiece), false));
    std::memcpy(stage_.data(), data.data() + i, data.size() - i);
    staged_ = data.size() - i;
    return {};
  }

  Status finish() override {
    Status s = compress(ByteView(stage_.data(), staged_), true);
    staged_ = 0;
    return s;
  }

 private:
  Status compress(ByteView piece, bool last) {
    zs_->next_in = const_cast<std::uint8_t*>(piece.data());
    zs_->avail_in = static_cast<std::uint32_t>(piece.size());
    zs_->end_of_stream = last ? 1 : 0;
    for (;;) {
      zs_->next_out = obuf_.data();
      zs_->avail_out = static_cast<std::uint32_t>(kDeflateOutChunk);
      int rc = isal_deflate(zs_.get());
      if (rc != COMP_OK) return Error(Errc::io_error, "gzip: isal_deflate failed (error " + std::to_string(rc) + ")");
      std::size_t n = kDeflateOutChunk - zs_->avail_out;
      if (n > 0) CASBLOB_TRY(out_->write(ByteView(obuf_.data(), n)));
      const bool done = last ? zs_->internal_state.state == ZSTATE_END : zs_->avail_in == 0;
      if (done) return {};
      if (n == 0) return Error(Errc::io_error, "gzip: isal_deflate made no progress");
    }
  }

  std::unique_ptr<isal_zstream> zs_ = std::unique_ptr<isal_zstream>(new (std::nothrow) isal_zstream);
  ScratchBuffer level_buf_, obuf_, stage_;
  std::size_t staged_ = 0;
  Sink* out_ = nullptr;
};

}  // namespace

std::unique_ptr<Deflater> make_isal_deflater() { return std::make_unique<IsalDeflater>(); }

}  // namespace casblob::detail
