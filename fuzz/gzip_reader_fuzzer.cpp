// GzipDecoder alone (spec 5.2.2): any option set, fed one-shot and then in input-chosen chunks.
// Asserts: no crash/UB; identical status (code and detail) whatever the chunking; identical
// output and report when ok; on error the two partial outputs agree on their common prefix;
// errors are final; decoded_size == bytes written.
//
// Input: [payload ...][chunk seed u32][options u8]   (trailer read from the end)
#include "fuzz_common.hpp"

using namespace casblob;

namespace {

GzipReadOptions options_from(std::uint8_t b) {
  GzipReadOptions o;
  if (b & 0x80) return GzipReadOptions::python_compatible();
  o.allow_empty_input = b & 1;
  o.multi_member = !(b & 2);
  o.allow_zero_padding = !(b & 4);
  o.verify_header_crc = !(b & 8);
  o.reject_reserved_flags = !(b & 16);
  o.stop_at_trailing_data = b & 32;
  return o;
}

void same_report(const GzipReport& a, const GzipReport& b) {
  FUZZ_ASSERT(a.member_count == b.member_count);
  FUZZ_ASSERT(a.members.size() == b.members.size());
  FUZZ_ASSERT(a.padding_bytes == b.padding_bytes);
  FUZZ_ASSERT(a.trailing_bytes == b.trailing_bytes);
  FUZZ_ASSERT(a.input_size == b.input_size);
  FUZZ_ASSERT(a.decoded_size == b.decoded_size);
  for (std::size_t i = 0; i < a.members.size(); ++i) {
    const auto &x = a.members[i], &y = b.members[i];
    FUZZ_ASSERT(x.offset == y.offset && x.flags == y.flags && x.mtime == y.mtime);
    FUZZ_ASSERT(x.file_name == y.file_name && x.comment == y.comment && x.extra_length == y.extra_length);
    FUZZ_ASSERT(x.header_size == y.header_size && x.compressed_size == y.compressed_size);
    FUZZ_ASSERT(x.decoded_size == y.decoded_size && x.crc32 == y.crc32 && x.isize == y.isize);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider fdp(data, size);
  const auto opts = options_from(fdp.ConsumeIntegral<std::uint8_t>());
  const auto seed = fdp.ConsumeIntegral<std::uint32_t>();
  const Bytes in = fdp.ConsumeRemainingBytes<std::uint8_t>();

  MemorySink out1, out2;
  GzipDecoder d1(out1, opts), d2(out2, opts);
  const Status s1 = fuzz::feed_once(d1, in);
  const Status s2 = fuzz::feed_chunked(d2, in, seed);

  FUZZ_ASSERT_MSG(fuzz::same_error(s1, s2), "one-shot " + fuzz::label(s1) + " vs chunked " + fuzz::label(s2));
  if (!s1.ok()) {
    fuzz::check_error_shape(s1.error());
    FUZZ_ASSERT_MSG(s1.code() == Errc::corrupt, "gzip decoder error is not corrupt: " + s1.error().label());
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
  if (!opts.stop_at_trailing_data) FUZZ_ASSERT(r.trailing_bytes == 0);
  FUZZ_ASSERT(r.members.size() <= r.member_count);
  if (!opts.multi_member) FUZZ_ASSERT(r.member_count <= 1);
  if (!opts.allow_empty_input) FUZZ_ASSERT(r.member_count >= 1);
  std::uint64_t sum = 0;
  for (const auto& m : r.members) sum += m.decoded_size;
  if (r.members.size() == r.member_count) FUZZ_ASSERT(sum == r.decoded_size);
  return 0;
}
