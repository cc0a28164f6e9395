// inspect: what the payload is, by its own bytes (spec 6.1 step 8), with a full checked decode.
#include "casblob/experimental/inspect.hpp"

#include "casblob/key.hpp"

namespace casblob {

std::string_view name(Container c) noexcept {
  switch (c) {
    case Container::empty: return "empty";
    case Container::gzip: return "gzip";
    case Container::lz4_frame: return "lz4-frame";
    case Container::lz4_skippable: return "lz4-skippable";
    case Container::lz4_legacy: return "lz4-legacy";
    case Container::unknown: return "unknown";
  }
  return "unknown";
}

Container detect_container(ByteView head) noexcept {
  if (head.empty()) return Container::empty;
  if (head.size() >= 2 && head[0] == kGzipMagic[0] && head[1] == kGzipMagic[1]) return Container::gzip;
  if (head.size() < 4) return Container::unknown;
  std::uint32_t m = head[0] | head[1] << 8 | head[2] << 16 | std::uint32_t{head[3]} << 24;
  if (m == kLz4FrameMagic) return Container::lz4_frame;
  if (is_lz4_skippable_magic(m)) return Container::lz4_skippable;
  if (m == kLz4LegacyMagic) return Container::lz4_legacy;
  return Container::unknown;
}

Result<InspectReport> inspect_blob(Source& blob) {
  InspectReport rep;
  HashingSink hasher(nullptr);
  Bytes buf(kDefaultChunk);
  std::size_t filled = 0;
  bool eof = false;
  while (!eof && filled < 4) {
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
    gz.emplace(hasher, o);
  } else if (rep.container == Container::lz4_frame || rep.container == Container::lz4_skippable) {
    Lz4ReadOptions o;
    o.ignore_trailing_data = true;
    lz.emplace(hasher, o);
  }
  Status st;
  auto feed = [&](ByteView d) -> Status {
    rep.size += d.size();
    if (!st.ok()) return {};
    if (gz) st = gz->update(d);
    if (lz) st = lz->update(d);
    return {};
  };
  feed(ByteView(buf.data(), filled));
  while (!eof) {
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
