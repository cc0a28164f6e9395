// The body of the two codec reader harnesses (gzip_reader_fuzzer, lz4_reader_fuzzer; issue 12
// asked for one template instead of two copies). Per input:
//   decoder A, one-shot update(all) + finish(), into a plain MemorySink;
//   decoder B, input-chosen chunks (fuzz::Chunker), into a DirectSink (decoding in place);
// both with the options the input's last byte picks. Both decoders and both outputs live from
// input to input and are reset(): that fuzzes reuse (any state left from the previous input
// shows up as a disagreement), and the harness allocates nothing per input once warm -- a
// fresh decoder per input cost an allocation of up to 1 MiB, most of the time under ASan.
// Asserts: same status (code + detail) whatever the chunking and sink; errors are final;
// output identical when ok, prefix-related on error; same input_size; the codec's own
// invariants (Codec::check_ok) and report equality (Codec::same_report).
//
// Input: [payload ...][chunk seed u32][options u8]   (trailer read from the end)
#pragma once

#include "casblob/experimental/direct_sink.hpp"
#include "fuzz_common.hpp"

namespace fuzz {

// Codec: using Decoder, Options, Report; static Options options_from(std::uint8_t);
//        static void same_report(const Report&, const Report&);
//        static bool error_allowed(const casblob::Status&);
//        static void check_ok(const Report&, const Options&, const Bytes& in, const Bytes& out);
template <class Codec>
int fuzz_reader(const std::uint8_t* data, std::size_t size) {
  using Decoder = typename Codec::Decoder;
  static casblob::MemorySink plain;
  static Bytes direct_bytes;
  static casblob::NullSink idle;
  static Decoder one_shot(idle), chunked(idle);

  FuzzedDataProvider fdp(data, size);
  const auto opts = Codec::options_from(fdp.ConsumeIntegral<std::uint8_t>());
  const auto seed = fdp.ConsumeIntegral<std::uint32_t>();
  const Bytes in = fdp.ConsumeRemainingBytes<std::uint8_t>();

  plain.bytes().clear();
  casblob::BytesDirectSink direct(direct_bytes);
  one_shot.reset(plain, opts);
  chunked.reset(direct, opts);
  const casblob::Status s1 = feed_once(one_shot, ByteView(in));
  const casblob::Status s2 = feed_chunked(chunked, ByteView(in), seed);
  direct.finish();
  const Bytes& out1 = plain.bytes();
  const Bytes& out2 = direct_bytes;

  FUZZ_ASSERT_MSG(same_error(s1, s2), "one-shot " + label(s1) + " vs chunked/direct " + label(s2));
  if (!s1.ok()) {
    check_error_shape(s1.error());
    FUZZ_ASSERT_MSG(Codec::error_allowed(s1), "decoder error: " + s1.error().label());
    FUZZ_ASSERT(prefix_related(out1, out2));
    FUZZ_ASSERT_MSG(one_shot.report().input_size == chunked.report().input_size,
                    "input_size at the error depends on chunking");
    return 0;
  }
  FUZZ_ASSERT(out1 == out2);
  Codec::same_report(one_shot.report(), chunked.report());
  const auto& r = one_shot.report();
  FUZZ_ASSERT(r.decoded_size == out1.size());
  FUZZ_ASSERT_MSG(r.input_size == in.size(), "ok without consuming all input");
  FUZZ_ASSERT(r.trailing_bytes <= r.input_size);
  Codec::check_ok(r, opts, in, out1);
  return 0;
}

}  // namespace fuzz
