// decode_blob (spec 6), the whole read pipeline: sidecar dispatch per profile, magic check,
// streaming decode, output limit, key check. The input: fuzz/blob_input.hpp (profile legacy,
// v2, v2-nolz4 or strict; pre-cas reads the same inputs in pre_cas_fuzzer).
//
// Asserts: no crash/UB; same result from memory (the one-shot call: fresh contexts), through a
// short-read Source (pull), pushed in input-chosen chunks into a BlobDecoder reused from input
// to input, and through the reuse overload in its content form (kept decoder and output,
// decoded in place; a raw blob's content a view of the payload); the
// other reads below go through kept decoders too (one set of fresh contexts per input); on ok the
// bytes hash to info.sha1 and have info.decoded_size bytes; strict: size within the limit,
// never ok with SHA-1 != key, never `unhandled`; non-strict profiles never report strict-only
// errors; strict-accepted gzip/raw blobs read the same under legacy and v2, and strict-accepted
// lz4 blobs of one data frame and no skippable frame under v2 (where v2 dispatches lz4); an unmutated
// self-encoded blob decodes (strict, and v2 for v1/v2) to its content.
#include "blob_input.hpp"

using namespace casblob;

namespace {

// The second and later reads of an input go through a kept reader, so that an input costs one
// set of fresh contexts (r1, the one-shot path) and not one per comparison. r4 checks that the
// reuse overload and the one-shot path agree, so nothing here hides a difference.
fuzz::KeptReader& kept() {
  static fuzz::KeptReader k;
  return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::BlobInput in = fuzz::parse_blob_input(data, size);
  const Profile profile = in.profile;
  const bool has_sidecar = in.has_sidecar, strict = in.strict;
  const std::uint32_t seed = in.seed;
  const ReadOptions& ro = in.ro;
  const SidecarText& sidecar = in.sidecar;
  const Bytes& payload = in.payload;
  const fuzz::SelfEncoded& self = in.self;

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
      FUZZ_ASSERT(other->key_checked == r1->info.key_checked && notes(*other) == notes(r1->info));
      FUZZ_ASSERT(*other == r1->info);  // and every count DecodeInfo carries
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
