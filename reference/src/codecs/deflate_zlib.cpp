// The default v1 engine: zlib, exactly as Python 3.11's gzip module drives it
// (zlib.compressobj(level, DEFLATED, -MAX_WBITS, DEF_MEM_LEVEL = 8, 0)), so GzipWriter writes
// Python's bytes (R-W1-1..4). zlib's output does not depend on how the input is split into
// calls when no flush is requested (at level 0 it does depend on the output room, which is
// why the output is always drained in the same kDeflateOutChunk pieces).
#include <zlib.h>

#include <algorithm>
#include <string>

#include "codecs/deflater.hpp"
#include "common/buffer.hpp"
#include "common/fault_injection.hpp"

namespace casblob::detail {
namespace {

class ZlibDeflater final : public Deflater {
 public:
  ~ZlibDeflater() override {
    if (ready_) deflateEnd(&zs_);
  }

  // deflateReset gives the bytes a fresh deflateInit2 gives (it re-runs the same lm_init); a
  // different level needs a new stream.
  Status start(int level, Sink& out) override {
    out_ = &out;
    if (ready_ && level_ == level) {
      int rc = deflateReset(&zs_);
      if (rc == Z_OK) return {};
      return failure("deflateReset", rc);
    }
    if (ready_) {
      deflateEnd(&zs_);
      ready_ = false;
    }
    if (!buf_.ensure(kDeflateOutChunk)) return Error(Errc::io_error, "gzip: out of memory");
    zs_ = z_stream{};
    zs_.zalloc = fault::zalloc;
    zs_.zfree = fault::zfree;
    int rc = deflateInit2(&zs_, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    if (rc == Z_STREAM_ERROR)  // the only parameter a caller chooses is the level
      return Error(Errc::usage, "gzip: invalid compression level " + std::to_string(level) + " (zlib: 0-9)");
    if (rc != Z_OK) return failure("deflateInit2", rc);
    ready_ = true;
    level_ = level;
    return {};
  }

  Status write(ByteView data) override { return pump(data, Z_NO_FLUSH); }
  Status finish() override { return pump({}, Z_FINISH); }

 private:
  Status failure(const char* call, int rc) {
    if (ready_) deflateEnd(&zs_);
    ready_ = false;
    return Error(Errc::io_error, std::string("gzip: zlib ") + call + " failed (" +
                                     (rc == Z_MEM_ERROR ? "out of memory" : "error " + std::to_string(rc)) + ")");
  }

  // Runs deflate over `data` with `flush`, passing full output buffers to the sink.
  Status pump(ByteView data, int flush) {
    zs_.next_in = const_cast<Bytef*>(data.data());
    std::size_t left = data.size();
    for (;;) {
      // avail_in is 32-bit: feed huge inputs in pieces (no flush in between, same output).
      uInt piece = static_cast<uInt>(std::min<std::size_t>(left, 1u << 30));
      zs_.avail_in = piece;
      const int f = left == piece ? flush : Z_NO_FLUSH;
      int rc;
      do {
        zs_.next_out = buf_.data();
        zs_.avail_out = static_cast<uInt>(kDeflateOutChunk);
        rc = deflate(&zs_, f);
        std::size_t n = kDeflateOutChunk - zs_.avail_out;
        // Z_BUF_ERROR: no progress was possible, which only happens here when all input is
        // taken and the output was drained exactly; anything else is zlib failing, and must
        // not loop.
        if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && n == 0 && zs_.avail_in == 0 && f != Z_FINISH))
          return failure("deflate", rc);
        if (n > 0) CASBLOB_TRY(out_->write(ByteView(buf_.data(), n)));
      } while (zs_.avail_out == 0 || (f == Z_FINISH && rc != Z_STREAM_END));
      left -= piece;
      if (left == 0) return {};
    }
  }

  z_stream zs_{};
  bool ready_ = false;  // deflateInit2 succeeded at level_
  int level_ = 0;
  Sink* out_ = nullptr;
  ScratchBuffer buf_;
};

}  // namespace

std::unique_ptr<Deflater> make_zlib_deflater() { return std::make_unique<ZlibDeflater>(); }

}  // namespace casblob::detail
