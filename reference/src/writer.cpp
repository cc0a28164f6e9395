// Writers (spec 5.2.1, 5.4.1): hash the input, encode it, emit Metaflow's sidecar text.
#include "casblob/writer.hpp"

#include <algorithm>

#include "casblob/key.hpp"
#include "casblob/meta.hpp"

namespace casblob {
namespace {

// Counts what reaches the store.
class CountingSink final : public Sink {
 public:
  explicit CountingSink(Sink& next) : next_(next) {}
  Status write(ByteView data) override {
    count_ += data.size();
    return next_.write(data);
  }
  std::uint64_t count() const { return count_; }

 private:
  Sink& next_;
  std::uint64_t count_ = 0;
};

template <class Encoder>
Result<std::uint64_t> pump(Source& in, Sha1& sha, Encoder& enc) {
  Bytes buf(kDefaultChunk);
  std::uint64_t total = 0;
  for (;;) {
    auto n = in.read(buf);
    if (!n) return n.error();
    if (*n == 0) break;
    ByteView chunk(buf.data(), *n);
    sha.update(chunk);
    CASBLOB_TRY(enc.write(chunk));
    total += *n;
  }
  CASBLOB_TRY(enc.finish());
  return total;
}

// In memory: no copy into a read buffer. Pieces small enough to stay in cache between the
// hash and the encoder.
template <class Encoder>
Result<std::uint64_t> pump(ByteView data, Sha1& sha, Encoder& enc) {
  constexpr std::size_t kPiece = 256 * 1024;
  for (std::size_t i = 0; i < data.size(); i += kPiece) {
    ByteView chunk = data.subspan(i, std::min(kPiece, data.size() - i));
    sha.update(chunk);
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
    total = pump(in, sha, enc);
  } else if (opts.version == 1) {
    GzipWriter enc(counted, opts.gzip);
    total = pump(in, sha, enc);
  } else {
    if (!lz4_available()) return Error(Errc::codec_unavailable, "cas_version 2 needs lz4, not built in");
    Lz4WriteOptions lo = opts.lz4;
    if (!lo.content_size) lo.content_size = size_hint;  // python-lz4 store_size=True
    Lz4Writer enc(counted, lo);
    total = pump(in, sha, enc);
  }
  if (!total) return total.error();
  EncodeInfo info;
  info.key = sha.hex_digest();
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

Result<Encoded> encode_blob(ByteView data, const EncodeOptions& opts) {
  MemorySink sink;
  // The output grows once: stored deflate blocks and uncompressed lz4 blocks add a few bytes
  // per 16 KB at most, plus headers.
  sink.bytes().reserve(data.size() + data.size() / 1024 + 1024);
  auto info = encode_any(data, std::uint64_t{data.size()}, opts, sink);
  if (!info) return info.error();
  return Encoded{std::move(info.value()), std::move(sink.bytes())};
}

}  // namespace casblob
