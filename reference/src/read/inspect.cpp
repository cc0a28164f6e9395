// inspect: what the payload is, by its own bytes (spec 6.1 step 8), with a full checked decode.
#include "casblob/experimental/inspect.hpp"

#include "casblob/key.hpp"
#include "read/limit_sink.hpp"

namespace casblob {

Result<InspectReport> inspect_blob(Source& blob, const InspectOptions& opts) {
  InspectReport rep;
  HashingSink hasher(nullptr);
  detail::LimitSink limited(hasher, opts.max_decoded);
  Bytes buf(kDefaultChunk);
  std::size_t filled = 0;
  bool eof = false;
  while (!eof && filled < kContainerProbeSize) {
    auto n = blob.read(std::span(buf).subspan(filled));
    if (!n) return n.error();
    eof = *n == 0;
    filled += *n;
  }
  rep.container = detect_container(ByteView(buf.data(), filled));

  // Decode leniently enough to describe everything, strictly enough to report every defect.
  std::optional<GzipDecoder> gz;
  std::optional<Lz4Decoder> lz;
  if (rep.container == Container::gzip) {
    GzipReadOptions o;
    o.stop_at_trailing_data = true;
    gz.emplace(limited, o);
  } else if (rep.container == Container::lz4_frame || rep.container == Container::lz4_skippable) {
    Lz4ReadOptions o;
    o.ignore_trailing_data = true;
    lz.emplace(limited, o);
  }
  Status st;
  auto feed = [&](ByteView d) {
    rep.size += d.size();
    if (!st.ok()) return;
    if (gz) st = gz->update(d);
    if (lz) st = lz->update(d);
  };
  feed(ByteView(buf.data(), filled));
  // After a decode error the rest is only counted; after a limit error it is not read at all.
  while (!eof && st.code() != Errc::limit_exceeded) {
    auto n = blob.read(buf);
    if (!n) return n.error();
    if (*n == 0) break;
    feed(ByteView(buf.data(), *n));
  }
  if (st.ok() && gz) st = gz->finish();
  if (st.ok() && lz) st = lz->finish();
  if (gz) rep.gzip = gz->report();
  if (lz) rep.lz4 = lz->report();
  if (!gz && !lz && rep.container != Container::empty)
    st = Error(Errc::corrupt, "not a gzip member or lz4 frame", Detail::bad_magic);
  rep.decode_status = st;
  if (st.ok() && (gz || lz)) {
    auto sha1 = hasher.hex_digest();
    if (!sha1) return sha1.error();
    rep.decoded_sha1 = std::move(*sha1);
  }
  return rep;
}

}  // namespace casblob
