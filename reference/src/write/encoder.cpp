#include "write/encoder.hpp"

#include "casblob/experimental/gzip.hpp"
#include "casblob/experimental/lz4_frame.hpp"
#include "casblob/meta.hpp"

namespace casblob::detail {
namespace {

// R-RAW-1: the payload is the content.
class RawEncoder final : public Encoder {
 public:
  void reset(Sink& out) { out_ = &out; }
  Status write(ByteView d) override { return out_->write(d); }
  Status finish() override { return {}; }

 private:
  Sink* out_ = nullptr;
};

// R-W1-1 .. R-W1-4.
class GzipEncoder final : public Encoder {
 public:
  GzipEncoder(Sink& out, const GzipWriteOptions& o) : w_(out, o) {}
  void reset(Sink& out, const GzipWriteOptions& o) { w_.reset(out, o); }
  Status write(ByteView d) override { return w_.write(d); }
  Status finish() override { return w_.finish(); }

 private:
  GzipWriter w_;
};

// R-W2-1 .. R-W2-3. When the content size came from the source's size hint, a source that
// yields another number of bytes changed while it was read: io_error, before a frame with a
// wrong content size can be finished.
//
// When nothing tells the size (a pipe), the first kStaged bytes are held back before the frame
// begins: a stream that ends within them is written with its size known, as python-lz4 writes
// that content (the content size stored, R-W2-3's SHOULD; the smallest block size; one
// independent block), and liblz4 never allocates a buffer of the requested block size (up to
// 4 MB + 128 KB) for a few hundred bytes. A longer stream is written as before: no content size,
// the options as given.
class Lz4Encoder final : public Encoder {
 public:
  static constexpr std::size_t kStaged = std::size_t{64} << 10;

  Lz4Encoder(Sink& out, const Lz4WriteOptions& o, std::optional<std::uint64_t> from_hint) : w_(out, o) {
    start(out, o, from_hint);
  }
  void reset(Sink& out, const Lz4WriteOptions& o, std::optional<std::uint64_t> from_hint) {
    w_.reset(out, o);
    start(out, o, from_hint);
  }
  Status write(ByteView d) override {
    seen_ += d.size();
    if (expected_ && seen_ > *expected_) return changed();
    if (!staging_) return w_.write(d);
    if (staged_.size() + d.size() <= kStaged) {
      staged_.insert(staged_.end(), d.begin(), d.end());
      return {};
    }
    staging_ = false;  // longer than kStaged: the frame as the options give it, size unknown
    CASBLOB_TRY(w_.write(ByteView(staged_)));
    staged_.clear();
    return w_.write(d);
  }
  Status finish() override {
    if (expected_ && seen_ != *expected_) return changed();
    if (staging_) {
      staging_ = false;
      Lz4WriteOptions known = opts_;
      if (staged_.empty()) known.size_hint = 0;  // python-lz4's empty frame: no content size
      else known.content_size = staged_.size();
      w_.reset(*out_, known);
      CASBLOB_TRY(w_.write(ByteView(staged_)));
      staged_.clear();
    }
    return w_.finish();
  }

 private:
  void start(Sink& out, const Lz4WriteOptions& o, std::optional<std::uint64_t> from_hint) {
    out_ = &out;
    opts_ = o;
    expected_ = from_hint;
    seen_ = 0;
    staging_ = !o.content_size && !o.size_hint;
    staged_.clear();
  }
  Status changed() const {
    return Error(Errc::io_error, "the input changed size while it was read (" + std::to_string(*expected_) +
                                     " bytes announced, " + std::to_string(seen_) + " read so far)");
  }
  Lz4Writer w_;
  Sink* out_ = nullptr;
  Lz4WriteOptions opts_;
  std::optional<std::uint64_t> expected_;
  std::uint64_t seen_ = 0;
  bool staging_ = false;
  Bytes staged_;  // kept from blob to blob: its memory is reused
};

}  // namespace

struct EncoderSet::Impl {
  RawEncoder raw;
  std::unique_ptr<GzipEncoder> gzip;
  std::unique_ptr<Lz4Encoder> lz4;
};

EncoderSet::EncoderSet() : impl_(std::make_unique<Impl>()) {}
EncoderSet::~EncoderSet() = default;

Result<Encoder*> EncoderSet::select(const EncodeOptions& opts, std::optional<std::uint64_t> size_hint, Sink& out) {
  if (opts.version != 1 && opts.version != 2) return Error(Errc::usage, "version must be 1 (gzip) or 2 (lz4 frame)");
  if (opts.raw) {
    impl_->raw.reset(out);
    return static_cast<Encoder*>(&impl_->raw);
  }
  if (opts.version == 1) {
    if (impl_->gzip) impl_->gzip->reset(out, opts.gzip);
    else impl_->gzip = std::make_unique<GzipEncoder>(out, opts.gzip);
    return static_cast<Encoder*>(impl_->gzip.get());
  }
  if (!lz4_available()) return Error(Errc::codec_unavailable, "cas_version 2 needs lz4, not built in");
  Lz4WriteOptions lo = opts.lz4;
  std::optional<std::uint64_t> from_hint;
  // python-lz4 store_size=True. A hint of 0 is passed as a size hint, not a content size: an
  // empty input gets python-lz4's exact frame (no content size stored, as liblz4 does), and a
  // file that stats as empty but is not (/proc) still encodes, with no content size.
  if (!lo.content_size && size_hint) {
    if (*size_hint > 0) {
      lo.content_size = size_hint;
      from_hint = size_hint;
    } else if (!lo.size_hint) {
      lo.size_hint = 0;
    }
  }
  if (impl_->lz4) impl_->lz4->reset(out, lo, from_hint);
  else impl_->lz4 = std::make_unique<Lz4Encoder>(out, lo, from_hint);
  return static_cast<Encoder*>(impl_->lz4.get());
}

void fill_encode_info(const EncodeOptions& opts, const Sha1::Digest& key, std::uint64_t input_size,
                      std::uint64_t stored_size, EncodeInfo& info) {
  info.key.resize(2 * key.size());
  to_hex(ByteView(key.data(), key.size()), info.key.data());
  emit_meta(opts.raw, opts.version, info.meta);
  info.input_size = input_size;
  info.stored_size = stored_size;
}

}  // namespace casblob::detail
