// GzipDecoder alone (spec 5.2.2): any option set, fed one-shot and then in input-chosen chunks
// (reader_fuzz.hpp). Codec invariants: errors are corrupt; multi_member / allow_empty_input /
// stop_at_trailing_data are honoured; the members' sizes add up.
//
// Input: [payload ...][chunk seed u32][options u8]   (trailer read from the end)
#include "reader_fuzz.hpp"

using namespace casblob;

namespace {

struct Gzip {
  using Decoder = GzipDecoder;
  using Options = GzipReadOptions;
  using Report = GzipReport;

  static Options options_from(std::uint8_t b) {
    if (b & 0x80) return GzipReadOptions::python_compatible();
    Options o;
    o.allow_empty_input = b & 1;
    o.multi_member = !(b & 2);
    o.allow_zero_padding = !(b & 4);
    o.verify_header_crc = !(b & 8);
    o.reject_reserved_flags = !(b & 16);
    o.stop_at_trailing_data = b & 32;
    return o;
  }

  static bool error_allowed(const Status& s) { return s.code() == Errc::corrupt; }

  static void same_report(const Report& a, const Report& b) {
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

  static void check_ok(const Report& r, const Options& opts, const Bytes&, const Bytes&) {
    if (!opts.stop_at_trailing_data) FUZZ_ASSERT(r.trailing_bytes == 0);
    FUZZ_ASSERT(r.members.size() <= r.member_count);
    if (!opts.multi_member) FUZZ_ASSERT(r.member_count <= 1);
    if (!opts.allow_empty_input) FUZZ_ASSERT(r.member_count >= 1);
    std::uint64_t sum = 0;
    for (const auto& m : r.members) sum += m.decoded_size;
    if (r.members.size() == r.member_count) FUZZ_ASSERT(sum == r.decoded_size);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::fuzz_reader<Gzip>(data, size);
}
