// Profile pre-cas (spec 7, H-PRECAS): Metaflow 2.0-2.3, before the CAS, gunzips every payload
// whatever its sidecar says and lets Python's exceptions escape. The input: fuzz/blob_input.hpp
// (decode_blob_fuzzer's; its seeds are this harness's too), read with profile pre-cas.
//
// Asserts: no crash/UB; the same result in memory and streamed (short reads, input-chosen
// buffer), the same Python exception class too; failures are only `unhandled` (or io_error);
// and pre-cas returns exactly what legacy returns for the payload without a sidecar (both are
// Python's gzip over the whole payload), failing where legacy fails.
#include "blob_input.hpp"

using namespace casblob;

namespace {

std::string exception_class(const Error& e) { return e.message.substr(0, e.message.find(':')); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fuzz::BlobInput in = fuzz::parse_blob_input(data, size);
  const Bytes& payload = in.payload;
  static fuzz::KeptReader k;
  ReadOptions ro;
  ro.profile = Profile::pre_cas;
  ro.chunk = 1 + (in.seed >> 20) % 4096;
  auto mem = k.read(ByteView(payload), in.sidecar, ro);
  fuzz::ChunkedSource src(ByteView(payload), in.seed);
  k.sink.bytes().clear();
  auto streamed = decode_blob(k.decoder, src, in.sidecar, ro, k.sink);
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
    return 0;
  }
  FUZZ_ASSERT_MSG(legacy.ok() && k.out == mem_bytes, "pre-cas reads, legacy without sidecar " +
                                                         fuzz::label(legacy.status()));
  return 0;
}
