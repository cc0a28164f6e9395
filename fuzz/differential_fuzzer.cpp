// Streaming decoders against the one-shot reference libraries (rules: fuzz/README.md).
//
// Input: [payload ...][chunk seed u32][selector u8]   (trailer read from the end)
// selector bit 0: 0 = gzip, 1 = lz4.
//
// gzip: casblob::GzipDecoder with strict (default) options vs zlib inflate in gzip mode
//   (inflateInit2(16 + 15)) looping over members the way the strict reader defines it: after a
//   member, NUL bytes are skipped; at end of input accept; otherwise the next two bytes must be
//   1F 8B (inflateReset, next member) or the input is rejected. Empty input is rejected.
//   Every input is comparable: same accept/reject, and the same bytes when accepted.
// lz4: casblob::Lz4Decoder with strict options except reject_dict_id = false and
//   content_size_zero_is_unknown = true (liblz4's documented behaviour) vs liblz4's
//   LZ4F_decompress over consecutive frames (skippable frames included, as the lz4 CLI does):
//   each frame must end (LZ4F_decompress returns 0) before the input does; empty input is
//   rejected. Every non-empty input is comparable: same accept/reject, same bytes.
#include <lz4frame.h>
#include <zlib.h>

#include <optional>

#include "fuzz_common.hpp"

using namespace casblob;

namespace {

constexpr std::size_t kMaxOut = std::size_t{64} << 20;  // references stop here (never reached by small inputs)

// The zlib reference and the decoders under test live from input to input (reset per input):
// no per-input set-up or buffer allocation, which dominated the harness's time under ASan.
std::optional<Bytes> zlib_reference(const Bytes& in) {
  if (in.empty()) return std::nullopt;
  Bytes out;
  static std::uint8_t buf[65536];
  static z_stream zs = [] {
    z_stream z{};
    if (inflateInit2(&z, 16 + 15) != Z_OK) std::abort();
    return z;
  }();
  if (inflateReset(&zs) != Z_OK) std::abort();
  std::size_t pos = 0;
  bool ok = false;
  for (;;) {
    // One member from in[pos..].
    zs.next_in = const_cast<Bytef*>(in.data() + pos);
    zs.avail_in = static_cast<uInt>(in.size() - pos);
    int rc;
    do {
      zs.next_out = buf;
      zs.avail_out = sizeof buf;
      rc = inflate(&zs, Z_NO_FLUSH);
      out.insert(out.end(), buf, buf + (sizeof buf - zs.avail_out));
      if (out.size() > kMaxOut) std::abort();
    } while (rc == Z_OK);
    if (rc != Z_STREAM_END) break;  // error, or input ended inside the member
    pos = in.size() - zs.avail_in;
    while (pos < in.size() && in[pos] == 0) ++pos;  // NUL padding
    if (pos == in.size()) { ok = true; break; }
    if (in.size() - pos < 2 || in[pos] != 0x1f || in[pos + 1] != 0x8b) break;  // trailing data
    inflateReset(&zs);
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<Bytes> lz4_reference(const Bytes& in) {
  if (in.empty()) return std::nullopt;
  // A fresh context per input, not LZ4F_resetDecompressionContext: liblz4 1.9.4 then rejects a
  // valid frame (frameSize_wrong) after a frame that stopped midway (fuzz/README.md).
  LZ4F_dctx* dctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&dctx, LZ4F_VERSION))) std::abort();
  Bytes out;
  static std::uint8_t buf[65536];
  std::size_t pos = 0;
  bool ok = true;
  while (ok && pos < in.size()) {
    // One frame (data or skippable) from in[pos..]: LZ4F_decompress returns 0 when it ends.
    for (;;) {
      std::size_t src_size = in.size() - pos, dst_size = sizeof buf;
      std::size_t hint = LZ4F_decompress(dctx, buf, &dst_size, in.data() + pos, &src_size, nullptr);
      if (LZ4F_isError(hint)) { ok = false; break; }
      pos += src_size;
      out.insert(out.end(), buf, buf + dst_size);
      if (out.size() > kMaxOut) std::abort();
      if (hint == 0) break;                                      // frame complete
      if (src_size == 0 && dst_size == 0) { ok = false; break; }  // truncated (no progress)
    }
  }
  LZ4F_freeDecompressionContext(dctx);
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  const auto selector = fdp.ConsumeIntegral<std::uint8_t>();
  const auto seed = fdp.ConsumeIntegral<std::uint32_t>();
  const Bytes in = fdp.ConsumeRemainingBytes<std::uint8_t>();

  static MemorySink sink;
  static GzipDecoder gzip(sink);
  static Lz4Decoder lz4(sink);
  sink.bytes().clear();
  Status ours;
  std::optional<Bytes> ref;
  const char* what;
  if (!(selector & 1)) {
    what = "gzip";
    gzip.reset(sink);
    ours = fuzz::feed_chunked(gzip, ByteView(in), seed);
    ref = zlib_reference(in);
  } else {
    if (!lz4_available()) return 0;
    what = "lz4";
    Lz4ReadOptions o;
    o.reject_dict_id = false;
    o.content_size_zero_is_unknown = true;
    lz4.reset(sink, o);
    ours = fuzz::feed_chunked(lz4, ByteView(in), seed);
    ref = lz4_reference(in);
  }
  FUZZ_ASSERT_MSG(ours.ok() == ref.has_value(), std::string(what) + ": casblob says " + fuzz::label(ours) +
                                                    ", reference " + (ref ? "accepts" : "rejects"));
  if (ref) FUZZ_ASSERT_MSG(sink.bytes() == *ref, std::string(what) + ": decoded bytes differ");
  return 0;
}
