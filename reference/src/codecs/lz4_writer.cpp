// The v2 writer (spec 5.4.1): byte-identical to python-lz4 4.0.2
//   lz4.frame.compress(data, compression_level, block_size, content_checksum,
//                      block_checksum, block_linked, store_size=True)
// for any split of the input into write() calls.
//
// python-lz4 calls liblz4's one-shot LZ4F_compressFrame(), which (lz4frame.c 1.9.4):
//  * lowers the block size to the smallest one that holds the whole input (LZ4F_optimalBSID);
//  * switches to independent blocks when the input fits in one block;
//  * writes the content size only when it is non-zero (an empty input stores none);
//  * compresses every block from the caller's contiguous buffer, so in linked mode each
//    block sees the previous ones as a contiguous prefix.
// Streaming, we cannot hold the whole input. LZ4F_compressUpdate with autoFlush=0 assembles
// each block in its own buffer right after the previous 64 KB (tmpIn follows the kept
// dictionary), which is the same contiguous-prefix situation, so the compressed blocks are
// the same bytes. Blocks must therefore always be completed inside liblz4's buffer: a
// compressUpdate() call that starts at a block boundary is given less than a full block
// (a full block there would be compressed from our buffer, as an external dictionary, which
// can choose different matches).
#include <lz4frame.h>

#include <algorithm>
#include <string>

#include "casblob/experimental/lz4_frame.hpp"
#include "common/buffer.hpp"
#include "common/fault_injection.hpp"

namespace casblob {
namespace {

std::size_t block_bytes(Lz4BlockSize id) { return std::size_t{1} << (8 + 2 * static_cast<int>(id)); }

// LZ4F_optimalBSID: the smallest block size from 64 KB up to the requested one that holds
// `total` bytes.
Lz4BlockSize optimal_block_size(Lz4BlockSize requested, std::uint64_t total) {
  for (auto id = Lz4BlockSize::max64KB; id < requested;
       id = static_cast<Lz4BlockSize>(static_cast<int>(id) + 1))
    if (total <= block_bytes(id)) return id;
  return requested;
}

}  // namespace

struct Lz4Writer::Impl {
  Sink* out;
  Lz4WriteOptions opts;
  LZ4F_cctx* cctx = nullptr;
  LZ4F_preferences_t prefs{};
  std::size_t block = 0;   // block size in bytes after LZ4F_optimalBSID
  std::uint64_t written = 0;
  bool begun = false, finished = false;
  Status failed;
  detail::ScratchBuffer obuf;

  Impl(Sink& o, Lz4WriteOptions op) : out(&o), opts(op) {}
  ~Impl() {
    if (cctx) LZ4F_freeCompressionContext(cctx);
  }

  // The LZ4F context is kept unless a fast-level frame (< 3) follows another one. Between two
  // such frames LZ4F_compressBegin only fast-resets the match table (LZ4_resetStream_fast),
  // whose stale entries change which matches are found, so the bytes would differ from
  // python-lz4's, whose LZ4F_compressFrame starts from a zeroed table (measured:
  // tests/test_codec_contexts.cpp); a new context there costs one 16 KB table cleared, what
  // python-lz4 pays too. From an HC frame to a fast one LZ4F re-initialises the table in full
  // (the state changes type), from fast to HC it allocates the HC state, and the HC reset puts
  // every old entry out of the window: in those cases a kept context writes a fresh one's
  // bytes (same test) without a new 256 KB HC state per frame.
  static constexpr int kFirstHcLevel = 3;  // LZ4HC_CLEVEL_MIN
  void reset(Sink& o, Lz4WriteOptions op) {
    if (cctx && opts.level < kFirstHcLevel && op.level < kFirstHcLevel) {
      LZ4F_freeCompressionContext(cctx);
      cctx = nullptr;
    }
    out = &o;
    opts = op;
    prefs = LZ4F_preferences_t{};
    block = 0;
    written = 0;
    begun = finished = false;
    failed = Status{};
  }

  Status fail(Error e) {
    failed = e;
    return failed;
  }

  Status lz4_error(std::size_t code, const char* where) {
    return fail(Error(Errc::io_error, std::string("lz4: ") + where + ": " + LZ4F_getErrorName(code)));
  }

  Status emit(std::size_t n) {
    if (n == 0) return {};
    Status s = out->write(ByteView(obuf.data(), n));
    if (!s) return fail(s.error());
    return {};
  }

  // Frame header (lz4_Frame_format.md "Frame Descriptor"), written by LZ4F_compressBegin: one
  // frame, version 01, no dictionary (R-W2-1, R-W2-2); the content size when known and non-zero
  // (R-W2-3), the content checksum when the options ask for it (R-W2-4).
  Status begin() {
    if (begun) return {};
    begun = true;
    std::optional<std::uint64_t> total = opts.content_size ? opts.content_size : opts.size_hint;
    Lz4BlockSize bs = total ? optimal_block_size(opts.block_size, *total) : opts.block_size;
    block = block_bytes(bs);
    prefs.frameInfo.blockSizeID = static_cast<LZ4F_blockSizeID_t>(bs);
    bool independent = opts.independent_blocks || (total && *total <= block);
    prefs.frameInfo.blockMode = independent ? LZ4F_blockIndependent : LZ4F_blockLinked;
    prefs.frameInfo.contentChecksumFlag =
        opts.content_checksum ? LZ4F_contentChecksumEnabled : LZ4F_noContentChecksum;
    prefs.frameInfo.blockChecksumFlag =
        opts.block_checksum ? LZ4F_blockChecksumEnabled : LZ4F_noBlockChecksum;
    prefs.frameInfo.contentSize = opts.content_size.value_or(0);  // 0: not stored
    prefs.compressionLevel = opts.level;
    prefs.autoFlush = 0;
    if (!cctx) {
      if (detail::fault::should_fail(detail::fault::Site::lz4_context))
        return fail(Error(Errc::io_error, "lz4: create context: out of memory"));
      std::size_t rc = LZ4F_createCompressionContext(&cctx, LZ4F_VERSION);
      if (LZ4F_isError(rc)) {
        cctx = nullptr;
        return lz4_error(rc, "create context");
      }
    }
    // Room for the header, or one update of at most one block, or the end of frame.
    if (!obuf.ensure(std::max<std::size_t>(LZ4F_compressBound(block, &prefs), LZ4F_HEADER_SIZE_MAX)))
      return fail(Error(Errc::io_error, "lz4: out of memory"));
    std::size_t rc = LZ4F_compressBegin(cctx, obuf.data(), obuf.size(), &prefs);
    if (LZ4F_isError(rc)) return lz4_error(rc, "compressBegin");
    return emit(rc);
  }
};

Lz4Writer::Lz4Writer(Sink& out, Lz4WriteOptions opts) : impl_(std::make_unique<Impl>(out, opts)) {}
Lz4Writer::~Lz4Writer() = default;
void Lz4Writer::reset(Sink& out, Lz4WriteOptions opts) { impl_->reset(out, opts); }

Status Lz4Writer::write(ByteView data) {
  Impl& w = *impl_;
  if (!w.failed.ok()) return w.failed;
  if (w.finished) return w.fail(Error(Errc::usage, "lz4: write() after finish()"));
  CASBLOB_TRY(w.begin());
  if (w.opts.content_size && data.size() > *w.opts.content_size - w.written)
    return w.fail(Error(Errc::usage, "lz4: more bytes written than the declared content size " +
                                         std::to_string(*w.opts.content_size)));
  LZ4F_compressOptions_t copt{};  // stableSrc = 0: liblz4 keeps its own copy of the history
  std::size_t i = 0;
  while (i < data.size()) {
    // Offset inside the current block: at a boundary give less than a block (see top).
    std::size_t in_block = static_cast<std::size_t>(w.written % w.block);
    std::size_t room = in_block == 0 ? w.block - 1 : w.block - in_block;
    std::size_t n = std::min(room, data.size() - i);
    std::size_t rc = LZ4F_compressUpdate(w.cctx, w.obuf.data(), w.obuf.size(), data.data() + i, n, &copt);
    if (LZ4F_isError(rc)) return w.lz4_error(rc, "compressUpdate");
    CASBLOB_TRY(w.emit(rc));
    i += n;
    w.written += n;
  }
  return {};
}

Status Lz4Writer::finish() {
  Impl& w = *impl_;
  if (!w.failed.ok()) return w.failed;
  if (w.finished) return w.fail(Error(Errc::usage, "lz4: finish() called twice"));
  CASBLOB_TRY(w.begin());
  w.finished = true;
  if (w.opts.content_size && *w.opts.content_size != w.written)
    return w.fail(Error(Errc::usage, "lz4: " + std::to_string(w.written) +
                                         " bytes written, content size declared " +
                                         std::to_string(*w.opts.content_size)));
  // Last (partial) block, EndMark and optional content checksum.
  std::size_t rc = LZ4F_compressEnd(w.cctx, w.obuf.data(), w.obuf.size(), nullptr);
  if (LZ4F_isError(rc)) return w.lz4_error(rc, "compressEnd");
  return w.emit(rc);
}

bool lz4_available() noexcept { return true; }

}  // namespace casblob
