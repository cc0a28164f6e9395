// decode_blob (spec 6), the whole read pipeline: sidecar dispatch per profile, magic check,
// streaming decode, output limit, key check.
//
// Input layout (trailer read from the end, FuzzedDataProvider style):
//   [key bytes (20, mode 2 only)][sidecar (len bytes)][payload ...]
//   ... [mutations (mode 3)][encode options (mode 3)][sidecar len u16][chunk seed u32][flags u8]
// flags: bits 0-1 profile (legacy, v2, v2-nolz4, strict; pre-cas is read on every input as
//        well, below); bit 2 sidecar present;
//        bits 3-4 key mode: 0 none, 1 SHA-1 of the payload, 2 20 input bytes as hex (random),
//                           3 self-encoded: the payload is CONTENT that the harness encodes
//                             (v1/v2/raw, input-chosen options), then mutates; key = true key;
//        bits 5-7 strict output limit: 0 default (4 GiB), else one of 0, 1, 16, 255, 4 Ki, 64 Ki, 1 Mi.
// Asserts: no crash/UB; same result from memory (the one-shot call: fresh contexts), through a
// short-read Source (pull), pushed in input-chosen chunks into a BlobDecoder reused from input
// to input, and through the reuse overload in its content form (kept decoder and output,
// decoded in place; a raw blob's content a view of the payload); the
// other reads below go through kept decoders too (one set of fresh contexts per input); on ok the
// bytes hash to info.sha1 and have info.decoded_size bytes; strict: size within the limit,
// never ok with SHA-1 != key, never `unhandled`; non-strict profiles never report strict-only
// errors; strict-accepted gzip/raw blobs read the same under legacy and v2, and strict-accepted
// lz4 blobs of one data frame and no skippable frame under v2 (where v2 dispatches lz4); an unmutated
// self-encoded blob decodes (strict, and v2 for v1/v2) to its content; pre-cas gives the same
// result in memory and streamed (the same Python exception class too), fails only with
// `unhandled` (or io_error), and returns what legacy returns for the payload without sidecar.
#include "fuzz_common.hpp"

using namespace casblob;

namespace {

constexpr std::uint64_t kLimits[8] = {kDefaultMaxSize, 0, 1, 16, 255, 4096, 65536, 1u << 20};
// Fixed here, not kAllProfiles' order: a corpus input keeps its profile when profiles are added.
constexpr Profile kFlagProfiles[4] = {Profile::legacy, Profile::v2, Profile::v2_nolz4, Profile::strict};

std::string exception_class(const Error& e) { return e.message.substr(0, e.message.find(':')); }

// What a long-lived reader keeps (BlobDecoder reuse overloads): the second and later reads of
// an input go through these, so that an input costs one set of fresh contexts (r1, the
// one-shot path) and not one per comparison. r4 checks that the reuse overload and the
// one-shot path agree, so nothing here hides a difference.
struct Kept {
  BlobDecoder decoder;
  Bytes out;
  MemorySink sink;
  Result<DecodeInfo> read(ByteView payload, const SidecarText& sidecar, const ReadOptions& ro) {
    return decode_blob(decoder, payload, sidecar, ro, out);
  }
};
Kept& kept() {
  static Kept k;
  return k;
}

// Profile pre-cas gunzips every payload and lets Python's exceptions escape (spec 7).
void check_pre_cas(const Bytes& payload, const SidecarText& sidecar, std::uint32_t seed) {
  Kept& k = kept();
  ReadOptions ro;
  ro.profile = Profile::pre_cas;
  ro.chunk = 1 + (seed >> 20) % 4096;
  auto mem = k.read(ByteView(payload), sidecar, ro);
  fuzz::ChunkedSource src(ByteView(payload), seed);
  k.sink.bytes().clear();
  auto streamed = decode_blob(k.decoder, src, sidecar, ro, k.sink);
  FUZZ_ASSERT_MSG(fuzz::same_error(mem.status(), streamed.status()),
                  "pre-cas: memory " + fuzz::label(mem.status()) + " vs streaming " + fuzz::label(streamed.status()));
  if (mem.ok()) FUZZ_ASSERT(k.out == k.sink.bytes());
  // From here on the pre-cas bytes are the streamed ones (equal to the in-memory ones, above),
  // so that legacy may read into k.out.
  const Bytes& mem_bytes = k.sink.bytes();
  ReadOptions lo;
  lo.profile = Profile::legacy;
  auto legacy = k.read(ByteView(payload), std::nullopt, lo);
  if (!mem.ok()) {
    const Error& e = mem.error();
    fuzz::check_error_shape(e);
    FUZZ_ASSERT_MSG(e.code == Errc::unhandled || e.code == Errc::io_error, "pre-cas: " + e.label());
    FUZZ_ASSERT_MSG(exception_class(e) == exception_class(streamed.error()),
                    "pre-cas: memory " + e.message + " vs streaming " + streamed.error().message);
    FUZZ_ASSERT_MSG(!legacy.ok(), "pre-cas fails where legacy without sidecar reads: " + e.message);
    return;
  }
  FUZZ_ASSERT_MSG(legacy.ok() && k.out == mem_bytes, "pre-cas reads, legacy without sidecar " +
                                                         fuzz::label(legacy.status()));
}

struct SelfEncoded {
  bool ok = false;
  Bytes content;
  EncodeOptions opts;
  EncodeInfo info;
  unsigned mutations = 0;
};

EncodeOptions encode_options(FuzzedDataProvider& fdp) {
  EncodeOptions o;
  const auto b = fdp.ConsumeIntegral<std::uint8_t>();
  o.version = (b & 1) ? 2 : 1;
  o.raw = (b & 0x0e) == 0x0e;  // 1 in 8
  o.gzip.level = fdp.ConsumeIntegralInRange<int>(0, 9);
  o.gzip.mtime = fdp.ConsumeIntegral<std::uint32_t>();
  if (b & 0x10) o.gzip.file_name = "blob";
  o.lz4.level = fdp.ConsumeIntegralInRange<int>(0, 12);
  o.lz4.block_size = static_cast<Lz4BlockSize>(4 + ((b >> 5) & 3));
  o.lz4.independent_blocks = b & 0x80;
  o.lz4.content_checksum = b & 0x02;
  o.lz4.block_checksum = b & 0x04;
  return o;
}

// Overwrite / truncate / append / insert, positions from the input.
void mutate(Bytes& blob, FuzzedDataProvider& fdp, unsigned count) {
  for (unsigned i = 0; i < count; ++i) {
    const auto op = fdp.ConsumeIntegral<std::uint8_t>();
    const auto where = fdp.ConsumeIntegral<std::uint16_t>();
    const auto value = fdp.ConsumeIntegral<std::uint8_t>();
    const std::size_t pos = blob.empty() ? 0 : where % (blob.size() + 1);
    switch (op & 3) {
      case 0:
        if (!blob.empty()) blob[pos % blob.size()] ^= value ? value : 1;
        break;
      case 1: blob.resize(pos); break;
      case 2: blob.push_back(value); break;
      case 3: blob.insert(blob.begin() + static_cast<std::ptrdiff_t>(pos), value); break;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  const auto flags = fdp.ConsumeIntegral<std::uint8_t>();
  const Profile profile = kFlagProfiles[flags & 3];
  const bool has_sidecar = flags & 4;
  const int key_mode = (flags >> 3) & 3;
  const bool strict = profile == Profile::strict;
  const auto seed = fdp.ConsumeIntegral<std::uint32_t>();
  const auto sidecar_len = fdp.ConsumeIntegral<std::uint16_t>();

  ReadOptions ro;
  ro.profile = profile;
  ro.max_size = kLimits[flags >> 5];
  ro.chunk = std::size_t{1} << 16;  // the 1 MiB default costs an mmap per call under ASan

  SidecarText sidecar;
  Bytes payload;
  SelfEncoded self;
  if (key_mode == 3) {
    self.opts = encode_options(fdp);
    self.mutations = fdp.ConsumeIntegralInRange<unsigned>(0, 3);
    Bytes muts = fdp.ConsumeBytes<std::uint8_t>(4 * self.mutations);  // op, pos(2), value
    self.content = fdp.ConsumeRemainingBytes<std::uint8_t>();
    // A kept encoder (its contexts reset, the lz4 HC state not zeroed again per input): the
    // roundtrip harness compares it with encode_blob.
    static BlobEncoder encoder;
    auto enc = encoder.encode(ByteView(self.content), self.opts, payload);
    FUZZ_ASSERT_MSG(enc.ok(), "encode failed: " + enc.error().label());
    self.info = std::move(enc.value());
    self.ok = true;
    FuzzedDataProvider mfdp(muts.data(), muts.size());
    mutate(payload, mfdp, self.mutations);
    if (has_sidecar) sidecar = self.info.meta;
    ro.key = self.info.key;
  } else {
    std::string key;
    if (key_mode == 2) key = to_hex(ByteView(fdp.ConsumeBytes<std::uint8_t>(20)));
    if (has_sidecar) sidecar = fdp.ConsumeBytesAsString(sidecar_len);
    payload = fdp.ConsumeRemainingBytes<std::uint8_t>();
    if (key_mode == 1) key = sha1_hex(ByteView(payload)).value();
    if (key_mode == 1 || (key_mode == 2 && key.size() == 40)) ro.key = key;
  }

  auto r1 = decode_blob(ByteView(payload), sidecar, ro);
  // The same through the streaming API: short reads, small read buffer.
  ReadOptions ro2 = ro;
  ro2.chunk = 1 + (seed >> 20) % 4096;
  fuzz::ChunkedSource src(ByteView(payload), seed);
  MemorySink& sink2 = kept().sink;
  sink2.bytes().clear();
  auto r2 = decode_blob(kept().decoder, src, sidecar, ro2, sink2);

  // The push decoder (BlobDecoder, issue 11) fed in input-chosen chunks, reset from the
  // previous input; and the reuse overload (a kept decoder, a kept output written in place).
  static BlobDecoder push_decoder, reused_decoder;
  static MemorySink push_sink;
  static Bytes reused_out;
  push_sink.bytes().clear();
  push_decoder.reset(sidecar, ro, push_sink);
  Status pushed_status;
  if (push_decoder.encoding()) {
    fuzz::Chunker chunks(seed ^ 0x9e3779b9u);
    for (std::size_t pos = 0; pos < payload.size() && pushed_status.ok();) {
      const std::size_t n = chunks.next(payload.size() - pos);
      pushed_status = push_decoder.update(ByteView(payload).subspan(pos, n));
      pos += n;
    }
  }
  auto r3 = pushed_status.ok() ? push_decoder.finish() : Result<DecodeInfo>(pushed_status.error());
  // The reuse overload in its content form (the plain form is it plus a copy of a raw
  // blob's view): a kept decoder and output; a raw blob's content is a view of the payload.
  ByteView viewed;
  auto r4 = decode_blob(reused_decoder, ByteView(payload), sidecar, ro, reused_out, viewed);
  if (r4.ok()) {
    FUZZ_ASSERT(viewed.empty() || viewed.data() == (r4->encoding == Encoding::raw ? payload.data() : reused_out.data()));
  } else {
    FUZZ_ASSERT(viewed.empty());
  }

  FUZZ_ASSERT_MSG(fuzz::same_error(r1.status(), r2.status()),
                  "memory " + fuzz::label(r1.status()) + " vs streaming " + fuzz::label(r2.status()));
  FUZZ_ASSERT_MSG(fuzz::same_error(r1.status(), r3.status()),
                  "memory " + fuzz::label(r1.status()) + " vs push " + fuzz::label(r3.status()));
  FUZZ_ASSERT_MSG(fuzz::same_error(r1.status(), r4.status()),
                  "memory " + fuzz::label(r1.status()) + " vs reused " + fuzz::label(r4.status()));
  if (r1.ok()) {
    for (const DecodeInfo* other : {&r3.value(), &r4.value()}) {
      FUZZ_ASSERT(other->sha1 == r1->info.sha1 && other->encoding == r1->info.encoding);
      FUZZ_ASSERT(other->decoded_size == r1->info.decoded_size && other->stored_size == r1->info.stored_size);
      FUZZ_ASSERT(other->key_checked == r1->info.key_checked && other->notes == r1->info.notes);
    }
    FUZZ_ASSERT_MSG(push_sink.bytes() == r1->bytes, "push decoder: other bytes");
    FUZZ_ASSERT_MSG(Bytes(viewed.begin(), viewed.end()) == r1->bytes, "reused decoder: other bytes");
  } else {
    FUZZ_ASSERT_MSG(reused_out.empty(), "reused output not emptied on error");
  }
  if (!r1.ok()) {
    const Error& e = r1.error();
    fuzz::check_error_shape(e);
    if (strict) FUZZ_ASSERT_MSG(e.code != Errc::unhandled, "strict reader reports unhandled");
    else
      FUZZ_ASSERT_MSG(e.code != Errc::format_mismatch && e.code != Errc::key_mismatch &&
                          e.code != Errc::limit_exceeded && e.code != Errc::meta_invalid,
                      "strict-only error from profile " + std::string(name(profile)) + ": " + e.label());
  } else {
    const auto& info = r1->info;
    const Bytes& out = r1->bytes;
    FUZZ_ASSERT(out == sink2.bytes());
    FUZZ_ASSERT(info.decoded_size == out.size());
    const std::string out_sha1 = sha1_hex(ByteView(out)).value();
    FUZZ_ASSERT(info.sha1 == out_sha1);
    FUZZ_ASSERT(info.sha1 == r2->sha1 && info.encoding == r2->encoding && info.decoded_size == r2->decoded_size);
    FUZZ_ASSERT_MSG(info.stored_size == payload.size(), "ok without reading the whole blob");
    FUZZ_ASSERT(info.key_checked == (strict && ro.key.has_value()));
    if (strict) {
      FUZZ_ASSERT_MSG(info.decoded_size <= ro.max_size, "strict output beyond the limit");
      if (ro.key) FUZZ_ASSERT_MSG(out_sha1 == *ro.key, "strict ok with bytes whose SHA-1 != key");
      // Strict is stricter, never different: what it accepts as gzip or raw, released
      // Metaflow (legacy, v2) returns with the same bytes. (Not lz4: python-lz4 reads only
      // the first frame, where strict concatenates frames and skips skippable ones.)
      if (info.encoding != Encoding::lz4_v2) {
        for (Profile p : {Profile::legacy, Profile::v2}) {
          ReadOptions rp = ro;
          rp.profile = p;
          rp.key.reset();
          auto rr = kept().read(ByteView(payload), sidecar, rp);
          FUZZ_ASSERT_MSG(rr.ok() && kept().out == out, std::string("strict accepts (") + std::string(name(info.encoding)) + ") but " +
                                                           std::string(name(p)) + " says " + fuzz::label(rr.status()));
        }
      } else if (info.lz4_data_frames == 1 && info.lz4_skippable_frames == 0) {
        // The audit's lz4 inference (tools/audit/profile_reads.hpp): one data frame and no
        // skippable frame that strict accepts, v2 reads the same wherever its own dispatch
        // selects lz4.
        auto v2_dispatch = select_encoding(sidecar, Profile::v2);
        if (v2_dispatch && *v2_dispatch == Encoding::lz4_v2) {
          ReadOptions rp = ro;
          rp.profile = Profile::v2;
          rp.key.reset();
          auto rr = kept().read(ByteView(payload), sidecar, rp);
          FUZZ_ASSERT_MSG(rr.ok() && kept().out == out, "strict accepts one lz4 frame but v2 says " + fuzz::label(rr.status()));
        }
      }
    }
  }

  check_pre_cas(payload, sidecar, seed);

  // An unmutated blob the harness wrote itself must read back.
  if (self.ok && self.mutations == 0 && ro.max_size >= self.content.size()) {
    const bool v1_gzip = self.opts.version == 1 && !self.opts.raw;
    const bool must_read =
        (strict && (has_sidecar || v1_gzip)) ||
        (profile == Profile::v2 && has_sidecar) ||
        (profile == Profile::legacy && (v1_gzip || (self.opts.raw && has_sidecar)));
    if (must_read) {
      FUZZ_ASSERT_MSG(r1.ok(), std::string("own blob rejected under ") + std::string(name(profile)) + ": " +
                                   fuzz::label(r1.status()));
      FUZZ_ASSERT(r1->bytes == self.content);
    }
    if (strict && !has_sidecar && !v1_gzip && !self.opts.raw)
      FUZZ_ASSERT_MSG(!r1.ok() && r1.error().code == Errc::format_mismatch, "v2 without sidecar: " + fuzz::label(r1.status()));
  }
  return 0;
}
