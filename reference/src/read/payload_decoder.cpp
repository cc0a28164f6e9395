#include "read/payload_decoder.hpp"

#include "casblob/experimental/gzip.hpp"
#include "casblob/experimental/lz4_frame.hpp"
#include "read/python_gzip_exception.hpp"

namespace casblob::detail {
namespace {

// Step 6 -> 11: a raw payload is the content (R-RAW-2).
class RawPayload final : public PayloadDecoder {
 public:
  explicit RawPayload(Sink& out) : out_(out) {}
  Status update(ByteView in) override { return out_.write(in); }
  Status finish() override { return {}; }

 private:
  Sink& out_;
};

// Step 9: gzip (R-R1-1 .. R-R1-8).
class GzipPayload final : public PayloadDecoder {
 public:
  GzipPayload(Sink& out, GzipReadOptions o) : dec_(out, o) {}
  Status update(ByteView in) override { return dec_.update(in); }
  Status finish() override { return dec_.finish(); }
  const GzipReport& report() const { return dec_.report(); }
  void add_notes(std::vector<std::string>& notes) const override {
    const auto& r = dec_.report();
    if (r.member_count > 1) notes.push_back(std::to_string(r.member_count) + " gzip members concatenated");
    if (r.member_count == 0) notes.push_back("empty payload read as empty content (Python gzip)");
    if (r.padding_bytes) notes.push_back(std::to_string(r.padding_bytes) + " NUL padding bytes skipped");
  }

 private:
  GzipDecoder dec_;
};

// The pre-CAS datastore (profile pre-cas): Python's gzip with no try around it, so every
// failure is the exception gzip raises (Errc::unhandled), never a DataException.
class PreCasGzipPayload final : public PayloadDecoder {
 public:
  explicit PreCasGzipPayload(Sink& out) : gzip_(out, GzipReadOptions::python_compatible()) {}
  Status update(ByteView in) override {
    tail_.observe(in);
    return escaped(gzip_.update(in));
  }
  Status finish() override { return escaped(gzip_.finish()); }
  void add_notes(std::vector<std::string>& notes) const override { gzip_.add_notes(notes); }

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
  Lz4Payload(Sink& out, Lz4ReadOptions o) : dec_(out, o) {}
  Status update(ByteView in) override { return dec_.update(in); }
  Status finish() override { return dec_.finish(); }
  void add_notes(std::vector<std::string>& notes) const override {
    const auto& r = dec_.report();
    if (r.trailing_bytes)
      notes.push_back(std::to_string(r.trailing_bytes) + " bytes after the first frame ignored (python-lz4)");
    // Counted over every frame, not over the bounded list the report keeps.
    const std::uint64_t data_frames = r.frame_count - r.skippable_count;
    if (data_frames > 1) notes.push_back(std::to_string(data_frames) + " lz4 frames concatenated");
    for (const auto& f : r.frames)
      if (!f.skippable && !f.content_checksum) {
        notes.push_back("lz4 frame without content checksum: bit flips in block data go undetected");
        break;
      }
  }

 private:
  Lz4Decoder dec_;
};

}  // namespace

std::unique_ptr<PayloadDecoder> make_payload_decoder(Encoding enc, bool strict, Sink& out) {
  switch (enc) {
    case Encoding::gzip_v1:
    case Encoding::gzip_nosidecar:
      return std::make_unique<GzipPayload>(out, strict ? GzipReadOptions{} : GzipReadOptions::python_compatible());
    case Encoding::lz4_v2:
      return std::make_unique<Lz4Payload>(out, strict ? Lz4ReadOptions{} : Lz4ReadOptions::python_compatible());
    case Encoding::gzip_pre_cas:
      return std::make_unique<PreCasGzipPayload>(out);
    case Encoding::raw:
      break;
  }
  return std::make_unique<RawPayload>(out);
}

}  // namespace casblob::detail
