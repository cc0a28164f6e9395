// Lz4Decoder alone (spec 5.4.2): any option set, fed one-shot and then in input-chosen chunks
// (reader_fuzz.hpp). Codec invariants: errors are corrupt (codec_unavailable without lz4); a
// stored content size is enforced unless the options say 0 = unknown; the frames' sizes add up.
//
// Input: [payload ...][chunk seed u32][options u8]   (trailer read from the end)
#include "reader_fuzz.hpp"

using namespace casblob;

namespace {

struct Lz4 {
  using Decoder = Lz4Decoder;
  using Options = Lz4ReadOptions;
  using Report = Lz4Report;

  static Options options_from(std::uint8_t b) {
    if (b & 0x80) return Lz4ReadOptions::python_compatible();
    Options o;
    o.allow_empty_input = b & 1;
    o.multi_frame = !(b & 2);
    o.skip_skippable = !(b & 4);
    o.ignore_trailing_data = b & 8;
    o.verify_checksums = !(b & 16);
    o.reject_dict_id = !(b & 32);
    o.content_size_zero_is_unknown = b & 64;
    return o;
  }

  static bool error_allowed(const Status& s) {
    return s.code() == Errc::corrupt || (!lz4_available() && s.code() == Errc::codec_unavailable);
  }

  static void same_report(const Report& a, const Report& b) {
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

  static void check_ok(const Report& r, const Options& opts, const Bytes& in, const Bytes&) {
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
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz::fuzz_reader<Lz4>(data, size);
}
