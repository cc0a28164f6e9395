// The read pipeline (spec 6): dispatch on the sidecar, check the payload's magic (strict),
// stream-decode, bound the output (strict), verify the key (strict).
#include "casblob/reader.hpp"

#include <cstdint>
#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>

#include "casblob/experimental/gzip.hpp"
#include "casblob/key.hpp"
#include "casblob/experimental/lz4_frame.hpp"
#include "read/dispatch.hpp"

namespace casblob {
namespace {

using detail::Encoding;

// spec 10.1: stop as soon as the output would pass the limit, before writing it.
class LimitSink final : public Sink {
 public:
  LimitSink(Sink& next, std::uint64_t max) : next_(next), max_(max) {}
  Status write(ByteView data) override {
    if (data.size() > max_ - count_)
      return Error(Errc::limit_exceeded,
                   "decoded output passes the limit of " + std::to_string(max_) + " bytes");
    count_ += data.size();
    return next_.write(data);
  }

 private:
  Sink& next_;
  std::uint64_t max_, count_ = 0;
};

class PayloadDecoder {
 public:
  virtual ~PayloadDecoder() = default;
  virtual Status update(ByteView in) = 0;
  virtual Status finish() = 0;
  virtual void add_notes(std::vector<std::string>&) const {}
};

class RawDecoder final : public PayloadDecoder {
 public:
  explicit RawDecoder(Sink& out) : out_(out) {}
  Status update(ByteView in) override { return out_.write(in); }
  Status finish() override { return {}; }

 private:
  Sink& out_;
};

class GzipPayload final : public PayloadDecoder {
 public:
  GzipPayload(Sink& out, GzipReadOptions o) : dec_(out, o) {}
  Status update(ByteView in) override { return dec_.update(in); }
  Status finish() override { return dec_.finish(); }
  void add_notes(std::vector<std::string>& notes) const override {
    const auto& r = dec_.report();
    if (r.member_count > 1) notes.push_back(std::to_string(r.member_count) + " gzip members concatenated");
    if (r.member_count == 0) notes.push_back("empty payload read as empty content (Python gzip)");
    if (r.padding_bytes) notes.push_back(std::to_string(r.padding_bytes) + " NUL padding bytes skipped");
  }

 private:
  GzipDecoder dec_;
};

class Lz4Payload final : public PayloadDecoder {
 public:
  Lz4Payload(Sink& out, Lz4ReadOptions o) : dec_(out, o) {}
  Status update(ByteView in) override { return dec_.update(in); }
  Status finish() override { return dec_.finish(); }
  void add_notes(std::vector<std::string>& notes) const override {
    const auto& r = dec_.report();
    if (r.trailing_bytes)
      notes.push_back(std::to_string(r.trailing_bytes) + " bytes after the first frame ignored (python-lz4)");
    std::size_t data_frames = 0;
    for (const auto& f : r.frames) data_frames += !f.skippable;
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

// legacy/v2/v2-nolz4 decode as Python 3.11 gzip and python-lz4 4.0.2 do (Appendix A).
std::unique_ptr<PayloadDecoder> make_decoder(Encoding enc, bool strict, Sink& out) {
  switch (enc) {
    case Encoding::raw: return std::make_unique<RawDecoder>(out);
    case Encoding::gzip_v1:
    case Encoding::gzip_nosidecar:
      return std::make_unique<GzipPayload>(out, strict ? GzipReadOptions{} : GzipReadOptions::python_compatible());
    case Encoding::lz4_v2:
      return std::make_unique<Lz4Payload>(out, strict ? Lz4ReadOptions{} : Lz4ReadOptions::python_compatible());
  }
  return nullptr;
}

// spec 6.1 step 8: the payload's magic must agree with what the sidecar declared.
Status check_magic(Encoding enc, ByteView head) {
  if (enc == Encoding::raw || head.size() < 2) return {};
  bool gzip = head[0] == kGzipMagic[0] && head[1] == kGzipMagic[1];
  std::uint32_t m = 0;
  if (head.size() >= 4) m = head[0] | head[1] << 8 | head[2] << 16 | std::uint32_t{head[3]} << 24;
  bool lz4 = head.size() >= 4 && (m == kLz4FrameMagic || is_lz4_skippable_magic(m));
  if (enc == Encoding::lz4_v2 && gzip)
    return Error(Errc::format_mismatch, "sidecar declares lz4 (cas_version 2) but the payload is gzip");
  if (enc != Encoding::lz4_v2 && lz4)
    return Error(Errc::format_mismatch,
                 enc == Encoding::gzip_v1 ? "sidecar declares gzip (cas_version 1) but the payload is an lz4 frame"
                                          : "no sidecar (gzip implied) but the payload is an lz4 frame: lost sidecar?");
  return {};
}

// The pipeline shared by both entry points: `feed(enc, strict, decoder)` checks the magic
// (strict) and pushes the whole payload into the decoder, returning the bytes it read.
template <class Feed>
Result<DecodeInfo> decode_with(const SidecarText& sidecar, const ReadOptions& opts, Sink& out, Feed&& feed) {
  if (opts.key && !is_valid_key(*opts.key))
    return Error(Errc::usage, "key must be 40 lowercase hex digits");
  const bool strict = opts.profile == Profile::strict;
  auto enc = strict ? detail::dispatch_strict(sidecar) : detail::dispatch_python(sidecar, opts.profile);
  if (!enc) return enc.error();

  HashingSink hasher(&out);
  LimitSink limited(hasher, strict ? opts.max_size : UINT64_MAX);
  auto decoder = make_decoder(*enc, strict, limited);

  DecodeInfo info;
  info.encoding = std::string(detail::name(*enc));
  auto stored = feed(*enc, strict, *decoder);
  if (!stored) return stored.error();
  info.stored_size = *stored;
  CASBLOB_TRY(decoder->finish());

  info.decoded_size = hasher.count();
  auto sha1 = hasher.hex_digest();
  if (!sha1) return sha1.error();
  info.sha1 = std::move(*sha1);
  decoder->add_notes(info.notes);
  if (strict && opts.key) {
    info.key_checked = true;
    if (info.sha1 != *opts.key)  // step 12
      return Error(Errc::key_mismatch, "decoded bytes hash to " + info.sha1 + ", not to the key " + *opts.key);
  }
  return info;
}

// What the payload says it decodes to (gzip ISIZE of the last member, lz4 content size), to
// reserve the in-memory output once. Only a hint: bounded by the largest expansion the
// format allows (deflate 1032:1), by the strict limit, and by 1 GiB.
std::size_t decoded_size_hint(ByteView blob, std::uint64_t limit) {
  std::uint64_t hint = blob.size();
  if (blob.size() >= 18 && blob[0] == kGzipMagic[0] && blob[1] == kGzipMagic[1]) {
    const std::uint8_t* t = blob.data() + blob.size() - 4;
    hint = t[0] | t[1] << 8 | t[2] << 16 | std::uint64_t{t[3]} << 24;
  } else if (blob.size() >= 15 && blob[0] == 0x04 && blob[1] == 0x22 && blob[2] == 0x4D && blob[3] == 0x18 &&
             (blob[4] & 0x08)) {
    hint = 0;
    for (int i = 7; i >= 0; --i) hint = hint << 8 | blob[6 + i];
  }
  hint = std::min({hint, std::uint64_t{blob.size()} * 1032 + 1024, limit, std::uint64_t{1} << 30});
  return static_cast<std::size_t>(hint);
}

}  // namespace

Result<DecodeInfo> decode_blob(Source& blob, const SidecarText& sidecar, const ReadOptions& opts, Sink& out) {
  return decode_with(sidecar, opts, out, [&](Encoding enc, bool strict, PayloadDecoder& decoder) -> Result<std::uint64_t> {
    std::uint64_t stored = 0;
    Bytes buf(std::max<std::size_t>(opts.chunk, 4));
    std::size_t filled = 0;
    bool at_eof = false;
    // Strict reads at least 4 bytes (or to EOF) before deciding on the magic (step 8).
    do {
      auto n = blob.read(std::span(buf).subspan(filled));
      if (!n) return n.error();
      if (*n == 0) at_eof = true;
      filled += *n;
    } while (!at_eof && filled < 4);
    if (strict) CASBLOB_TRY(check_magic(enc, ByteView(buf.data(), filled)));

    while (filled) {
      stored += filled;
      CASBLOB_TRY(decoder.update(ByteView(buf.data(), filled)));
      filled = 0;
      if (at_eof) break;
      auto n = blob.read(buf);
      if (!n) return n.error();
      if (*n == 0) break;
      filled = *n;
    }
    return stored;
  });
}

Result<Decoded> decode_blob(ByteView blob, const SidecarText& sidecar, const ReadOptions& opts) {
  MemorySink sink;
  try {
    sink.bytes().reserve(
        decoded_size_hint(blob, opts.profile == Profile::strict ? opts.max_size : UINT64_MAX));
  } catch (const std::exception&) {  // a hint only: grow as needed instead
  }
  // No read buffer: the decoders take the caller's bytes as they are (spec 10.1 bounds the
  // decoders' own memory, not the caller's).
  auto info = decode_with(sidecar, opts, sink, [&](Encoding enc, bool strict, PayloadDecoder& decoder) -> Result<std::uint64_t> {
    if (strict) CASBLOB_TRY(check_magic(enc, blob));
    if (!blob.empty()) CASBLOB_TRY(decoder.update(blob));
    return std::uint64_t{blob.size()};
  });
  if (!info) return info.error();
  return Decoded{std::move(info.value()), std::move(sink.bytes())};
}

}  // namespace casblob
