// Writers (spec 5.2.1, 5.4.1): hash the input, encode it, emit Metaflow's sidecar text.
#include "casblob/writer.hpp"

#if CASBLOB_WITH_LZ4
#include <lz4frame.h>
#endif

#include <algorithm>
#include <exception>
#include <type_traits>

#include "casblob/experimental/direct_sink.hpp"
#include "casblob/key.hpp"
#include "casblob/meta.hpp"
#include "common/buffer.hpp"
#include "write/encoder.hpp"

namespace casblob {
namespace {

// In memory: no copy into a read buffer. Pieces small enough to stay in cache between the
// hash and the encoder.
Result<std::uint64_t> pump(ByteView data, Sha1& sha, detail::Encoder& enc) {
  constexpr std::size_t kPiece = 256 * 1024;
  for (std::size_t i = 0; i < data.size(); i += kPiece) {
    ByteView chunk = data.subspan(i, std::min(kPiece, data.size() - i));
    CASBLOB_TRY(sha.update(chunk));
    CASBLOB_TRY(enc.write(chunk));
  }
  CASBLOB_TRY(enc.finish());
  return std::uint64_t{data.size()};
}

#if CASBLOB_WITH_LZ4
// v2 with the whole input in memory: python-lz4's own call, LZ4F_compressFrame, straight into
// the output. Same bytes as Lz4Writer (which reproduces this call while streaming), but
// without its per-block copy into liblz4's buffer and the extra dictionary work that costs
// (bench: ~25% of the encode time on 8 MB). False: options the one-shot call cannot take.
bool lz4_one_shot(ByteView data, const Lz4WriteOptions& o, Bytes& out) {
  if ((o.content_size && *o.content_size != data.size()) || o.size_hint) return false;
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.blockSizeID = static_cast<LZ4F_blockSizeID_t>(o.block_size);
  prefs.frameInfo.blockMode = o.independent_blocks ? LZ4F_blockIndependent : LZ4F_blockLinked;
  prefs.frameInfo.contentChecksumFlag = o.content_checksum ? LZ4F_contentChecksumEnabled : LZ4F_noContentChecksum;
  prefs.frameInfo.blockChecksumFlag = o.block_checksum ? LZ4F_blockChecksumEnabled : LZ4F_noBlockChecksum;
  prefs.frameInfo.contentSize = data.size();  // python-lz4 store_size=True (0: none stored)
  prefs.compressionLevel = o.level;
  out.resize(LZ4F_compressFrameBound(data.size(), &prefs));
  std::size_t n = LZ4F_compressFrame(out.data(), out.size(), data.data(), data.size(), &prefs);
  if (LZ4F_isError(n)) return false;  // the streaming writer reports the error
  out.resize(n);
  return true;
}
#endif

}  // namespace

struct BlobEncoder::Impl {
  detail::EncoderSet encoders;
  Sha1 sha;
  detail::ReadBuffer buf;  // the streaming read buffer, kept: warm for the next blob

  // Streaming: one read buffer, sized to the input (ReadBuffer).
  Result<std::uint64_t> pump(Source& in, detail::Encoder& enc) {
    if (!buf.start(kDefaultChunk, in.size_hint())) return Error(Errc::io_error, "encode: out of memory");
    std::uint64_t total = 0;
    for (;;) {
      auto n = in.read(buf.span());
      if (!n) return n.error();
      if (*n == 0) break;
      ByteView chunk(buf.span().data(), *n);
      CASBLOB_TRY(sha.update(chunk));
      CASBLOB_TRY(enc.write(chunk));
      total += *n;
      if (!buf.consumed(*n)) return Error(Errc::io_error, "encode: out of memory");
    }
    CASBLOB_TRY(enc.finish());
    return total;
  }

  template <class Input>
  Status encode_any(Input& in, std::optional<std::uint64_t> size_hint, const EncodeOptions& opts, Sink& out,
                    EncodeInfo& info) {
    CountingSink counted(out);
    auto enc = encoders.select(opts, size_hint, counted);
    if (!enc) return enc.error();
    sha.reset();
    Result<std::uint64_t> total = std::uint64_t{0};
    if constexpr (std::is_same_v<Input, ByteView>) total = casblob::pump(in, sha, **enc);
    else total = pump(in, **enc);
    if (!total) return total.error();
    return key_info(opts, *total, counted.count(), info);
  }

  // The key of what `sha` has hashed, and the rest of `info`.
  Status key_info(const EncodeOptions& opts, std::uint64_t input_size, std::uint64_t stored_size, EncodeInfo& info) {
    auto key = sha.digest();
    if (!key) return key.error();
    detail::fill_encode_info(opts, *key, input_size, stored_size, info);
    return {};
  }

  // In memory, into `out` (overwritten); on error `out` is left empty.
  Status encode_bytes(ByteView data, const EncodeOptions& opts, Bytes& out, EncodeInfo& info) {
#if CASBLOB_WITH_LZ4
    // The one-shot call for the fast levels (its state lives on the stack); at the HC levels it
    // would allocate and clear a 256 KB HC state per blob, where the kept Lz4Writer (same bytes)
    // resets its own: there the streaming path below is the cheaper one.
    constexpr int kFirstHcLevel = 3;
    if (opts.version == 2 && !opts.raw && opts.lz4.level < kFirstHcLevel && lz4_one_shot(data, opts.lz4, out)) {
      sha.reset();
      Status s = sha.update(data);
      if (s.ok()) s = key_info(opts, data.size(), out.size(), info);
      if (!s.ok()) out.clear();
      return s;
    }
#endif
    BytesDirectSink sink(out);  // overwrites `out` from its start
    try {
      if (out.capacity() < detail::encoded_size_bound(data.size())) out.reserve(detail::encoded_size_bound(data.size()));
    } catch (const std::exception&) {  // a hint only: grow as needed instead
    }
    Status s = encode_any(data, std::uint64_t{data.size()}, opts, sink, info);
    if (!s.ok()) {
      out.clear();
      return s;
    }
    sink.finish();
    return {};
  }
};

BlobEncoder::BlobEncoder() : impl_(std::make_unique<Impl>()) {}
BlobEncoder::~BlobEncoder() = default;

Result<EncodeInfo> BlobEncoder::encode(Source& in, const EncodeOptions& opts, Sink& out) {
  EncodeInfo info;
  CASBLOB_TRY(impl_->encode_any(in, in.size_hint(), opts, out, info));
  return info;
}

Result<EncodeInfo> BlobEncoder::encode(ByteView data, const EncodeOptions& opts, Bytes& out) {
  EncodeInfo info;
  CASBLOB_TRY(impl_->encode_bytes(data, opts, out, info));
  return info;
}

Status BlobEncoder::encode(ByteView data, const EncodeOptions& opts, Bytes& out, ByteView& stored, EncodeInfo& info) {
  stored = {};
  if (!opts.raw) {
    CASBLOB_TRY(impl_->encode_bytes(data, opts, out, info));
    stored = ByteView(out.data(), out.size());
    return {};
  }
  // The raw encoder passes its input on: a ViewOrBytesSink keeps it a view of `data`.
  ViewOrBytesSink sink(data, out);
  Status s = impl_->encode_any(data, std::uint64_t{data.size()}, opts, sink, info);
  if (!s.ok()) {
    out.clear();
    return s;
  }
  stored = sink.finish();
  return {};
}

Result<Encoded> BlobEncoder::encode(ByteView data, const EncodeOptions& opts) {
  Encoded e;
  auto info = encode(data, opts, e.bytes);
  if (!info) return info.error();
  e.info = std::move(*info);
  return e;
}

Result<EncodeInfo> encode_blob(Source& in, const EncodeOptions& opts, Sink& out) { return BlobEncoder().encode(in, opts, out); }

Result<Encoded> encode_blob(ByteView data, const EncodeOptions& opts) { return BlobEncoder().encode(data, opts); }

}  // namespace casblob
