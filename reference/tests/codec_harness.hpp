// The harness the gzip and lz4 decoder tests share (tests/internal): one input decoded with a
// fresh decoder, whole, a byte at a time or in random chunks, into a comparable outcome.
#pragma once

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

#include "casblob/error.hpp"
#include "casblob/io.hpp"
#include "support.hpp"

namespace casblob::test {

// What a codec decoder made of one input: the harness of the gzip and lz4 decoder tests.
struct CodecOutcome {
  bool ok = false;
  Errc code = Errc::ok;
  Detail detail = Detail::none;
  std::string message;
  Bytes out;
  std::string report;  // the decoder's report, as `describe` renders it
};

// Decodes `in` with a fresh Decoder(sink, opts). seed 0: one update() with everything; seed 1:
// one byte per update(); else random chunks (chunked_feed). Checks that an error is final:
// later update() and finish() calls return the same error.
template <class Decoder, class Options, class Describe>
CodecOutcome decode_with(ByteView in, const Options& opts, std::uint64_t seed, Describe describe) {
  MemorySink sink;
  Decoder d(sink, opts);
  Status s;
  if (seed == 0) {
    s = d.update(in);
    if (s) s = d.finish();
  } else if (seed == 1) {
    for (std::size_t i = 0; i < in.size() && s; ++i) s = d.update(in.subspan(i, 1));
    if (s) s = d.finish();
  } else {
    s = chunked_feed(d, in, seed);
  }
  CodecOutcome r;
  r.ok = s.ok();
  r.code = s.code();
  r.detail = s.error().detail;
  r.message = s.error().message;
  r.out = sink.bytes();
  r.report = describe(d.report());
  if (!s) {
    Status again = d.update(as_bytes("x"));
    CHECK(again.code() == s.code());
    CHECK(again.error().message == s.error().message);
    Status end = d.finish();
    CHECK(end.code() == s.code());
    CHECK(end.error().message == s.error().message);
  }
  return r;
}

}  // namespace casblob::test
