// decode_blob(): the two adapters over BlobDecoder (reader.hpp), for a Source and for bytes in
// memory. They add nothing to the read itself.
#include <algorithm>
#include <exception>

#include "casblob/experimental/container.hpp"
#include "casblob/experimental/direct_sink.hpp"
#include "casblob/reader.hpp"
#include "common/buffer.hpp"

namespace casblob {
namespace {

// What the payload says it decodes to (gzip ISIZE of the last member, lz4 content size), to
// reserve the in-memory output once. Only a hint: bounded by the largest expansion the format
// allows (deflate 1032:1), by the strict limit, and by 1 GiB (R-SEC-2: no allocation from a
// declared size beyond the limit).
std::size_t decoded_size_hint(ByteView blob, std::uint64_t limit) {
  std::uint64_t hint = blob.size();
  const Container c = detect_container(blob.first(std::min(blob.size(), kContainerProbeSize)));
  if (c == Container::gzip && blob.size() >= 18) {
    const std::uint8_t* t = blob.data() + blob.size() - 4;
    hint = t[0] | t[1] << 8 | t[2] << 16 | std::uint64_t{t[3]} << 24;
  } else if (c == Container::lz4_frame && blob.size() >= 15 && (blob[4] & 0x08)) {
    hint = 0;
    for (int i = 7; i >= 0; --i) hint = hint << 8 | blob[6 + i];
  }
  hint = std::min({hint, std::uint64_t{blob.size()} * 1032 + 1024, limit, std::uint64_t{1} << 30});
  return static_cast<std::size_t>(hint);
}

}  // namespace

Result<DecodeInfo> decode_blob(Source& blob, const SidecarText& sidecar, const ReadOptions& opts, Sink& out) {
  BlobDecoder dec;
  return decode_blob(dec, blob, sidecar, opts, out);
}

Result<DecodeInfo> decode_blob(BlobDecoder& dec, Source& blob, const SidecarText& sidecar, const ReadOptions& opts,
                               Sink& out) {
  dec.reset(sidecar, opts, out);
  // R-READ-2: when the sidecar already decided (steps 1-7 failed), the payload is not read.
  if (!dec.encoding()) return dec.finish();
  // Sized to the input (ReadBuffer): a 200-byte blob never touches opts.chunk bytes.
  detail::ReadBuffer buf;
  if (!buf.start(opts.chunk, blob.size_hint())) return Error(Errc::io_error, "decode: out of memory");
  for (;;) {
    auto n = blob.read(buf.span());
    if (!n) return n.error();
    if (*n == 0) break;
    Status s = dec.update(ByteView(buf.span().data(), *n));
    if (!s.ok()) return s.error();  // the verdict is final: the rest is not read
    if (!buf.consumed(*n)) return Error(Errc::io_error, "decode: out of memory");
  }
  return dec.finish();
}

Result<DecodeInfo> decode_blob(BlobDecoder& dec, ByteView blob, const SidecarText& sidecar, const ReadOptions& opts,
                               Bytes& out) {
  ByteView content;
  auto info = decode_blob(dec, blob, sidecar, opts, out, content);
  if (info && content.data() != out.data()) out.assign(content.begin(), content.end());  // a raw blob's view
  return info;
}

// The codecs decode straight into `out` (ViewOrBytesSink): no copy of decoded content, and
// none at all of a raw payload, whose content is the caller's bytes.
Status decode_blob(BlobDecoder& dec, ByteView blob, const SidecarText& sidecar, const ReadOptions& opts, Bytes& out,
                   ByteView& content, DecodeInfo& info) {
  content = {};
  ViewOrBytesSink sink(blob, out);
  dec.reset(sidecar, opts, sink);
  Status s;
  if (dec.encoding() && !blob.empty()) s = dec.update(blob);
  if (s.ok()) s = dec.finish(info);
  if (!s.ok()) {
    out.clear();
    return s;
  }
  content = sink.finish();
  return {};
}

Result<DecodeInfo> decode_blob(BlobDecoder& dec, ByteView blob, const SidecarText& sidecar, const ReadOptions& opts,
                               Bytes& out, ByteView& content) {
  DecodeInfo info;
  CASBLOB_TRY(decode_blob(dec, blob, sidecar, opts, out, content, info));
  return info;
}

Result<Decoded> decode_blob(ByteView blob, const SidecarText& sidecar, const ReadOptions& opts) {
  Decoded d;
  try {
    d.bytes.reserve(decoded_size_hint(blob, opts.profile == Profile::strict ? opts.max_size : UINT64_MAX));
  } catch (const std::exception&) {  // a hint only: grow as needed instead
  }
  BlobDecoder dec;
  auto info = decode_blob(dec, blob, sidecar, opts, d.bytes);
  if (!info) return info.error();
  d.info = std::move(*info);
  return d;
}

}  // namespace casblob
