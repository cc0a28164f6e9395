// Lz4Decoder alone (spec 5.4.2): any option set, fed one-shot and then in input-chosen chunks.
// Asserts: no crash/UB; identical status whatever the chunking; identical output and report
// when ok; partial outputs agree on their common prefix; errors are final.
//
// Input: [payload ...][chunk seed u32][options u8]   (trailer read from the end)
#include "fuzz_common.hpp"

using namespace casblob;

namespace {

Lz4ReadOptions options_from(std::uint8_t b) {
  if (b & 0x80) return Lz4ReadOptions::python_compatible();
  Lz4ReadOptions o;
  o.allow_empty_input = b & 1;
  o.multi_frame = !(b & 2);
  o.skip_skippable = !(b & 4);
  o.ignore_trailing_data = b & 8;
  o.verify_checksums = !(b & 16);
  o.reject_dict_id = !(b & 32);
  o.content_size_zero_is_unknown = b & 64;
  return o;
}

void same_report(const Lz4Report& a, const Lz4Report& b) {
  FUZZ_ASSERT(a.frame_count == b.frame_count);
  FUZZ_ASSERT(a.frames.size() == b.frames.size());
  FUZZ_ASSERT(a.trailing_bytes == b.trailing_bytes);
  FUZZ_ASSERT(a.input_size == b.input_size);
  FUZZ_ASSERT(a.decoded_size == b.decoded_size);
  for (std::size_t i = 0; i < a.frames.size(); ++i) {
    const auto &x = a.frames[i], &y = b.frames[i];
    FUZZ_ASSERT(x.offset == y.offset && x.skippable == y.skippable && x.flg == y.flg && x.bd == y.bd);
    FUZZ_ASSERT(x.content_size == y.content_size && x.dict_id == y.dict_id);
    FUZZ_ASSERT(x.block_count == y.block_count && x.blocks.size() == y.blocks.size());
    FUZZ_ASSERT(x.decoded_size == y.decoded_size && x.content_checksum_value == y.content_checksum_value);
    for (std::size_t j = 0; j < x.blocks.size(); ++j)
      FUZZ_ASSERT(x.blocks[j].offset == y.blocks[j].offset && x.blocks[j].stored_size == y.blocks[j].stored_size &&
                  x.blocks[j].uncompressed == y.blocks[j].uncompressed && x.blocks[j].checksum == y.blocks[j].checksum);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  const auto opts = options_from(fdp.ConsumeIntegral<std::uint8_t>());
  const auto seed = fdp.ConsumeIntegral<std::uint32_t>();
  const Bytes in = fdp.ConsumeRemainingBytes<std::uint8_t>();

  MemorySink out1, out2;
  Lz4Decoder d1(out1, opts), d2(out2, opts);
  const Status s1 = fuzz::feed_once(d1, in);
  const Status s2 = fuzz::feed_chunked(d2, in, seed);

  FUZZ_ASSERT_MSG(fuzz::same_error(s1, s2), "one-shot " + fuzz::label(s1) + " vs chunked " + fuzz::label(s2));
  if (!s1.ok()) {
    fuzz::check_error_shape(s1.error());
    FUZZ_ASSERT_MSG(s1.code() == Errc::corrupt || (!lz4_available() && s1.code() == Errc::codec_unavailable),
                    "lz4 decoder error: " + s1.error().label());
    FUZZ_ASSERT(fuzz::prefix_related(out1.bytes(), out2.bytes()));
    FUZZ_ASSERT_MSG(d1.report().input_size == d2.report().input_size, "input_size at the error depends on chunking");
    return 0;
  }
  FUZZ_ASSERT(out1.bytes() == out2.bytes());
  same_report(d1.report(), d2.report());
  const auto& r = d1.report();
  FUZZ_ASSERT(r.decoded_size == out1.bytes().size());
  FUZZ_ASSERT_MSG(r.input_size == in.size(), "ok without consuming all input");
  FUZZ_ASSERT(r.trailing_bytes <= r.input_size);
  FUZZ_ASSERT(r.frames.size() <= r.frame_count);
  if (!opts.allow_empty_input) FUZZ_ASSERT(!in.empty());
  if (!opts.ignore_trailing_data) FUZZ_ASSERT(r.trailing_bytes == 0);
  std::uint64_t sum = 0;
  for (const auto& f : r.frames) {
    sum += f.decoded_size;
    if (f.content_size && !(opts.content_size_zero_is_unknown && *f.content_size == 0))
      FUZZ_ASSERT_MSG(*f.content_size == f.decoded_size, "content size not enforced");
  }
  if (r.frames.size() == r.frame_count) FUZZ_ASSERT(sum == r.decoded_size);
  return 0;
}
