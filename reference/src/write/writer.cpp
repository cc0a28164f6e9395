// Writers (spec 5.2.1, 5.4.1): hash the input, encode it, emit Metaflow's sidecar text.
#include "casblob/writer.hpp"

#if CASBLOB_WITH_LZ4
#include <lz4frame.h>
#endif

#include <algorithm>

#include "casblob/key.hpp"
#include "casblob/meta.hpp"
#include "common/buffer.hpp"

namespace casblob {
namespace {

// The read buffer is sized to the input when its size is known (a small blob never touches
// 1 MiB, issue 19) and is not zeroed: it is filled before it is read.
template <class Encoder>
Result<std::uint64_t> pump(Source& in, std::optional<std::uint64_t> size_hint, Sha1& sha, Encoder& enc) {
  detail::ScratchBuffer buf;
  const std::size_t want = size_hint ? static_cast<std::size_t>(std::clamp<std::uint64_t>(*size_hint + 1, 4096, kDefaultChunk))
                                     : kDefaultChunk;
  if (!buf.ensure(want)) return Error(Errc::io_error, "encode: out of memory");
  std::uint64_t total = 0;
  for (;;) {
    auto n = in.read(std::span<std::uint8_t>(buf.data(), buf.size()));
    if (!n) return n.error();
    if (*n == 0) break;
    ByteView chunk(buf.data(), *n);
    CASBLOB_TRY(sha.update(chunk));
    CASBLOB_TRY(enc.write(chunk));
    total += *n;
  }
  CASBLOB_TRY(enc.finish());
  return total;
}

// In memory: no copy into a read buffer. Pieces small enough to stay in cache between the
// hash and the encoder.
template <class Encoder>
Result<std::uint64_t> pump(ByteView data, std::optional<std::uint64_t>, Sha1& sha, Encoder& enc) {
  constexpr std::size_t kPiece = 256 * 1024;
  for (std::size_t i = 0; i < data.size(); i += kPiece) {
    ByteView chunk = data.subspan(i, std::min(kPiece, data.size() - i));
    CASBLOB_TRY(sha.update(chunk));
    CASBLOB_TRY(enc.write(chunk));
  }
  CASBLOB_TRY(enc.finish());
  return std::uint64_t{data.size()};
}

struct RawEncoder {
  Sink& out;
  Status write(ByteView d) { return out.write(d); }
  Status finish() { return {}; }
};

template <class Input>
Result<EncodeInfo> encode_any(Input& in, std::optional<std::uint64_t> size_hint, const EncodeOptions& opts,
                              Sink& out) {
  if (opts.version != 1 && opts.version != 2)
    return Error(Errc::usage, "version must be 1 (gzip) or 2 (lz4 frame)");
  CountingSink counted(out);
  Sha1 sha;
  Result<std::uint64_t> total = std::uint64_t{0};
  if (opts.raw) {
    RawEncoder enc{counted};
    total = pump(in, size_hint, sha, enc);
  } else if (opts.version == 1) {
    GzipWriter enc(counted, opts.gzip);
    total = pump(in, size_hint, sha, enc);
  } else {
    if (!lz4_available()) return Error(Errc::codec_unavailable, "cas_version 2 needs lz4, not built in");
    Lz4WriteOptions lo = opts.lz4;
    if (!lo.content_size) lo.content_size = size_hint;  // python-lz4 store_size=True
    Lz4Writer enc(counted, lo);
    total = pump(in, size_hint, sha, enc);
  }
  if (!total) return total.error();
  auto key = sha.hex_digest();
  if (!key) return key.error();
  EncodeInfo info;
  info.key = std::move(*key);
  info.meta = emit_meta(opts.raw, opts.version);
  info.input_size = *total;
  info.stored_size = counted.count();
  return info;
}

}  // namespace

Result<EncodeInfo> encode_blob(Source& in, std::optional<std::uint64_t> size_hint, const EncodeOptions& opts,
                               Sink& out) {
  return encode_any(in, size_hint, opts, out);
}

#if CASBLOB_WITH_LZ4
// v2 with the whole input in memory: python-lz4's own call, LZ4F_compressFrame, straight into
// the output. Same bytes as Lz4Writer (which reproduces this call while streaming), but
// without its per-block copy into liblz4's buffer and the extra dictionary work that costs
// (bench: ~25% of the encode time on 8 MB). nullopt: options the one-shot call cannot take.
std::optional<Bytes> lz4_one_shot(ByteView data, const Lz4WriteOptions& o) {
  if ((o.content_size && *o.content_size != data.size()) || o.size_hint) return std::nullopt;
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.blockSizeID = static_cast<LZ4F_blockSizeID_t>(o.block_size);
  prefs.frameInfo.blockMode = o.independent_blocks ? LZ4F_blockIndependent : LZ4F_blockLinked;
  prefs.frameInfo.contentChecksumFlag = o.content_checksum ? LZ4F_contentChecksumEnabled : LZ4F_noContentChecksum;
  prefs.frameInfo.blockChecksumFlag = o.block_checksum ? LZ4F_blockChecksumEnabled : LZ4F_noBlockChecksum;
  prefs.frameInfo.contentSize = data.size();  // python-lz4 store_size=True (0: none stored)
  prefs.compressionLevel = o.level;
  Bytes out(LZ4F_compressFrameBound(data.size(), &prefs));
  std::size_t n = LZ4F_compressFrame(out.data(), out.size(), data.data(), data.size(), &prefs);
  if (LZ4F_isError(n)) return std::nullopt;  // the streaming writer reports the error
  out.resize(n);
  return out;
}
#endif

Result<Encoded> encode_blob(ByteView data, const EncodeOptions& opts) {
#if CASBLOB_WITH_LZ4
  if (opts.version == 2 && !opts.raw) {
    if (auto bytes = lz4_one_shot(data, opts.lz4)) {
      auto key = sha1_hex(data);
      if (!key) return key.error();
      Encoded e;
      e.info.key = std::move(*key);
      e.info.meta = emit_meta(false, 2);
      e.info.input_size = data.size();
      e.info.stored_size = bytes->size();
      e.bytes = std::move(*bytes);
      return e;
    }
  }
#endif
  MemorySink sink;
  // The output grows once: stored deflate blocks and uncompressed lz4 blocks add a few bytes
  // per 16 KB at most, plus headers.
  sink.bytes().reserve(data.size() + data.size() / 1024 + 1024);
  auto info = encode_any(data, std::uint64_t{data.size()}, opts, sink);
  if (!info) return info.error();
  return Encoded{std::move(info.value()), std::move(sink.bytes())};
}

}  // namespace casblob
