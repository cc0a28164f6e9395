#include "read/payload_decoder.hpp"

#include <algorithm>

#include "casblob/experimental/gzip.hpp"
#include "casblob/experimental/lz4_frame.hpp"
#include "read/python_gzip_exception.hpp"

namespace casblob::detail {
namespace {

// Step 6 -> 11: a raw payload is the content (R-RAW-2).
class RawPayload final : public PayloadDecoder {
 public:
  explicit RawPayload(Sink& out) : out_(&out) {}
  Status update(ByteView in) override { return out_->write(in); }
  Status finish() override { return {}; }
  void reset(Sink& out, bool) override { out_ = &out; }

 private:
  Sink* out_;
};

GzipReadOptions gzip_options(bool strict) { return strict ? GzipReadOptions{} : GzipReadOptions::python_compatible(); }
Lz4ReadOptions lz4_options(bool strict) { return strict ? Lz4ReadOptions{} : Lz4ReadOptions::python_compatible(); }

// Step 9: gzip (R-R1-1 .. R-R1-8).
class GzipPayload final : public PayloadDecoder {
 public:
  GzipPayload(Sink& out, bool strict) : dec_(out, gzip_options(strict)) {}
  Status update(ByteView in) override { return dec_.update(in); }
  Status finish() override { return dec_.finish(); }
  void reset(Sink& out, bool strict) override { dec_.reset(out, gzip_options(strict)); }
  const GzipReport& report() const { return dec_.report(); }
  void add_counts(DecodeInfo& info) const override {
    const auto& r = dec_.report();
    info.gzip_members = r.member_count;
    info.gzip_padding_bytes = r.padding_bytes;
  }

 private:
  GzipDecoder dec_;
};

// The pre-CAS datastore (profile pre-cas): Python's gzip with no try around it, so every
// failure is the exception gzip raises (Errc::unhandled), never a DataException.
class PreCasGzipPayload final : public PayloadDecoder {
 public:
  explicit PreCasGzipPayload(Sink& out) : gzip_(out, /*strict=*/false) {}
  Status update(ByteView in) override {
    tail_.observe(in);
    return escaped(gzip_.update(in));
  }
  Status finish() override { return escaped(gzip_.finish()); }
  void add_counts(DecodeInfo& info) const override { gzip_.add_counts(info); }
  // Always Python's gzip: the pre-CAS reader has no strict form.
  void reset(Sink& out, bool) override {
    gzip_.reset(out, false);
    tail_ = {};
  }

 private:
  Status escaped(Status s) const {
    if (s.ok()) return s;
    return python_gzip_exception(s.error(), gzip_.report(), tail_);
  }
  GzipPayload gzip_;
  GzipInputTail tail_;
};

// Step 10: lz4 frame (R-R2-1 .. R-R2-9).
class Lz4Payload final : public PayloadDecoder {
 public:
  Lz4Payload(Sink& out, bool strict) : dec_(out, lz4_options(strict)) {}
  Status update(ByteView in) override { return dec_.update(in); }
  Status finish() override { return dec_.finish(); }
  void reset(Sink& out, bool strict) override { dec_.reset(out, lz4_options(strict)); }
  void add_counts(DecodeInfo& info) const override {
    const auto& r = dec_.report();
    // Counted over every frame, not over the bounded list the report keeps.
    info.lz4_data_frames = r.frame_count - r.skippable_count;
    info.lz4_skippable_frames = r.skippable_count;
    info.lz4_trailing_bytes = r.trailing_bytes;
    info.lz4_unchecked_frames = std::any_of(r.frames.begin(), r.frames.end(),
                                            [](const Lz4FrameInfo& f) { return !f.skippable && !f.content_checksum; });
  }

 private:
  Lz4Decoder dec_;
};

}  // namespace

PayloadDecoders::PayloadDecoders() = default;
PayloadDecoders::~PayloadDecoders() = default;

PayloadDecoder& PayloadDecoders::select(Encoding enc, bool strict, Sink& out) {
  std::unique_ptr<PayloadDecoder>* slot = &raw_;
  switch (enc) {
    case Encoding::gzip_v1:
    case Encoding::gzip_nosidecar:
      slot = &gzip_;
      if (!*slot) *slot = std::make_unique<GzipPayload>(out, strict);
      break;
    case Encoding::lz4_v2:
      slot = &lz4_;
      if (!*slot) *slot = std::make_unique<Lz4Payload>(out, strict);
      break;
    case Encoding::gzip_pre_cas:
      slot = &pre_cas_;
      if (!*slot) *slot = std::make_unique<PreCasGzipPayload>(out);
      break;
    case Encoding::raw:
      if (!*slot) *slot = std::make_unique<RawPayload>(out);
      break;
  }
  (*slot)->reset(out, strict);
  return **slot;
}

}  // namespace casblob::detail
