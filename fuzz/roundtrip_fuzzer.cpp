// Writers (spec 5.2.1, 5.4.1) then the strict reader: encode v1 / v2 / raw with input-chosen
// options, decode, compare.
//
// Input: [content ...][lz4 level][gzip level][mtime u32][chunk seed u32][options u8] (trailer from the end)
// options: bit 0 version 2; bit 1 raw; bit 2 content checksum; bit 3 block checksum;
//          bit 4 independent blocks; bits 5-6 block size (64 KB .. 4 MB); bit 7 FNAME "blob".
// Asserts: encoding succeeds (one-shot encode_blob for every eighth input, else a BlobEncoder
// kept from input to input); encoding again gives identical bytes and info (the kept
// BlobEncoder, in memory and from input-chosen short reads with the size hint);
// key == SHA-1(content); the sidecar is Metaflow's json.dumps text; strict (with the key), v2,
// and legacy (v1) decode to the content (a reused BlobDecoder except for the first); without a
// size hint the lz4 output differs (no content size) but still decodes.
#if CASBLOB_WITH_LZ4
#include <lz4frame.h>
#endif

#include "fuzz_common.hpp"

using namespace casblob;

namespace {

// A long-lived reader and writer, reused from input to input (what batch callers do): it also
// fuzzes reuse, and keeps the per-input allocations (a deflate state, codec buffers) away.
BlobDecoder& reader() {
  static BlobDecoder d;
  return d;
}
BlobEncoder& writer() {
  static BlobEncoder e;
  return e;
}

// `fresh`: the one-shot decode_blob (fresh contexts) for the strict read with the key; else,
// and for the other reads, the reused reader into a reused output.
void must_decode(const Encoded& enc, const Bytes& content, Profile p, bool with_key, bool fresh) {
  static Bytes out;
  ReadOptions ro;
  ro.profile = p;
  if (with_key) ro.key = enc.info.key;
  Result<DecodeInfo> d = Error(Errc::usage, "");
  if (fresh && p == Profile::strict && with_key) {
    auto r = decode_blob(ByteView(enc.bytes), enc.info.meta, ro);
    if (r) out = r->bytes;
    d = r ? Result<DecodeInfo>(r->info) : Result<DecodeInfo>(r.error());
  } else {
    d = decode_blob(reader(), ByteView(enc.bytes), enc.info.meta, ro, out);
  }
  FUZZ_ASSERT_MSG(d.ok(), std::string("own blob rejected under ") + std::string(name(p)) + ": " + fuzz::label(d.status()));
  FUZZ_ASSERT_MSG(out == content, std::string("decoded bytes differ under ") + std::string(name(p)));
  FUZZ_ASSERT(d->decoded_size == content.size() && d->sha1 == enc.info.key);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  const auto b = fdp.ConsumeIntegral<std::uint8_t>();
  const auto seed = fdp.ConsumeIntegral<std::uint32_t>();
  EncodeOptions o;
  o.version = (b & 1) ? 2 : 1;
  o.raw = b & 2;
  o.lz4.content_checksum = b & 4;
  o.lz4.block_checksum = b & 8;
  o.lz4.independent_blocks = b & 16;
  o.lz4.block_size = static_cast<Lz4BlockSize>(4 + ((b >> 5) & 3));
  if (b & 0x80) o.gzip.file_name = "blob";
  o.gzip.mtime = fdp.ConsumeIntegral<std::uint32_t>();
  o.gzip.level = fdp.ConsumeIntegralInRange<int>(0, 9);
  o.lz4.level = fdp.ConsumeIntegralInRange<int>(0, 12);
  const Bytes content = fdp.ConsumeRemainingBytes<std::uint8_t>();
  // Every eighth input goes through the one-shot functions, whose fresh contexts cost ~1 MB of
  // new memory per input under ASan (its quarantine: page faults); the others through the
  // long-lived writer and reader. Both paths give the same bytes (asserted below).
  const bool fresh = seed % 8 == 0;

  auto e1 = fresh ? encode_blob(ByteView(content), o) : writer().encode(ByteView(content), o);
  FUZZ_ASSERT_MSG(e1.ok(), "encode failed: " + fuzz::label(e1.status()));
  const auto& info = e1->info;
  FUZZ_ASSERT(info.key == sha1_hex(ByteView(content)).value());
  FUZZ_ASSERT(info.meta == emit_meta(o.raw, o.version));
  FUZZ_ASSERT(info.input_size == content.size() && info.stored_size == e1->bytes.size());
  if (o.raw) FUZZ_ASSERT(e1->bytes == content);
#if CASBLOB_WITH_LZ4
  // python-lz4's own call, LZ4F_compressFrame, gives the same frame (every fourth input: at
  // the HC levels it costs a 256 KB state, and the writers above reuse theirs).
  if (o.version == 2 && !o.raw && seed % 4 == 0) {
    LZ4F_preferences_t prefs{};
    prefs.frameInfo.blockSizeID = static_cast<LZ4F_blockSizeID_t>(o.lz4.block_size);
    prefs.frameInfo.blockMode = o.lz4.independent_blocks ? LZ4F_blockIndependent : LZ4F_blockLinked;
    prefs.frameInfo.contentChecksumFlag = o.lz4.content_checksum ? LZ4F_contentChecksumEnabled : LZ4F_noContentChecksum;
    prefs.frameInfo.blockChecksumFlag = o.lz4.block_checksum ? LZ4F_blockChecksumEnabled : LZ4F_noBlockChecksum;
    prefs.frameInfo.contentSize = content.size();
    prefs.compressionLevel = o.lz4.level;
    Bytes ref(LZ4F_compressFrameBound(content.size(), &prefs));
    std::size_t n = LZ4F_compressFrame(ref.data(), ref.size(), content.data(), content.size(), &prefs);
    FUZZ_ASSERT(!LZ4F_isError(n));
    ref.resize(n);
    FUZZ_ASSERT_MSG(ref == e1->bytes, "encode_blob differs from LZ4F_compressFrame (python-lz4's call)");
  }
#endif

  // Encoding again, with the reused writer: in memory into a reused output, then streaming
  // (short reads, same size hint): same bytes.
  {
    static Bytes again;
    auto e2 = writer().encode(ByteView(content), o, again);
    FUZZ_ASSERT_MSG(e2.ok() && again == e1->bytes, "a reused BlobEncoder gives other bytes: " + fuzz::label(e2.status()));
    FUZZ_ASSERT(e2->key == info.key && e2->stored_size == info.stored_size);
    fuzz::ChunkedSource src(ByteView(content), seed, content.size());
    MemorySink sink;
    auto e3 = writer().encode(src, o, sink);
    FUZZ_ASSERT_MSG(e3.ok(), "streaming encode failed: " + fuzz::label(e3.status()));
    FUZZ_ASSERT_MSG(sink.bytes() == e1->bytes, "encoding twice (one-shot, then streaming) gives different bytes");
    FUZZ_ASSERT(e3->key == info.key && e3->meta == info.meta && e3->stored_size == info.stored_size);
  }

  must_decode(*e1, content, Profile::strict, true, fresh);
  must_decode(*e1, content, Profile::strict, false, fresh);
  must_decode(*e1, content, Profile::v2, false, fresh);
  if (o.version == 1 || o.raw) must_decode(*e1, content, Profile::legacy, false, fresh);
  if (o.version == 1 && !o.raw) {  // older datastores: no sidecar means gzip
    ReadOptions ro;
    ro.key = info.key;
    static Bytes out;
    auto d = decode_blob(reader(), ByteView(e1->bytes), std::nullopt, ro, out);
    FUZZ_ASSERT_MSG(d.ok() && out == content, "v1 without sidecar: " + fuzz::label(d.status()));
  }

  // Streaming without a size hint: lz4 stores no content size, may differ, must still decode.
  {
    fuzz::ChunkedSource src(ByteView(content), seed ^ 0x5bd1e995u);
    MemorySink sink;
    auto e4 = fresh ? encode_blob(src, o, sink) : writer().encode(src, o, sink);
    FUZZ_ASSERT_MSG(e4.ok(), "encode without size hint failed: " + fuzz::label(e4.status()));
    if (o.version == 1 || o.raw) FUZZ_ASSERT_MSG(sink.bytes() == e1->bytes, "size hint changed a v1/raw encoding");
    Encoded e{e4.value(), sink.bytes()};
    must_decode(e, content, Profile::strict, true, fresh);
    must_decode(e, content, Profile::v2, false, fresh);
  }
  return 0;
}
