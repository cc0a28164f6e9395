// Failures of zlib, liblz4 and OpenSSL themselves (issue 11): every unexpected return of a
// library call becomes a final error value -- no endless loop, no exception, no silently
// wrong digest. The failures are injected (common/fault_injection.hpp): zlib's allocator
// returns null, the lz4 context or an OpenSSL call "fails".
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <thread>
#include <string>

#include "casblob/casblob.hpp"
#include "casblob/experimental/gzip.hpp"
#include "casblob/experimental/lz4_frame.hpp"
#include "common/fault_injection.hpp"
#include "support.hpp"

using namespace casblob;
namespace fault = casblob::detail::fault;

namespace {

Bytes gzip_of(ByteView data) {
  MemorySink sink;
  GzipWriter w(sink);
  REQUIRE(w.write(data).ok());
  REQUIRE(w.finish().ok());
  return sink.bytes();
}

// Runs `fn` on a thread of its own and fails the test, instead of hanging ctest, if it does
// not return within 20 s: the defect this file guards against was an endless loop. `fn` must
// own what it uses (capture by value): a looping thread is abandoned, not joined.
template <class T>
T within_seconds(std::function<T()> fn) {
  auto done = std::make_shared<std::promise<T>>();
  auto fut = done->get_future();
  std::thread([fn = std::move(fn), done] { done->set_value(fn()); }).detach();
  REQUIRE(fut.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
  return fut.get();
}

}  // namespace

TEST_CASE("faults: a failed inflateInit2 is a final io_error, not an endless loop", "[faults][gzip_decoder]") {
  const Bytes blob = gzip_of(as_bytes("hello hello hello casblob"));
  struct Seen {
    Status first, finish_again, update_again;
    bool wrote = false;
  };
  // Checks stay on the test thread (Catch2 assertions are not thread-safe).
  Seen seen = within_seconds<Seen>([blob] {
    fault::Scope arm(fault::Site::zlib_alloc);  // the first allocation: inflateInit2's state
    MemorySink sink;
    GzipDecoder d(sink);
    Seen r;
    r.first = d.update(blob);
    if (r.first.ok()) r.first = d.finish();
    r.finish_again = d.finish();
    r.update_again = d.update(blob);
    r.wrote = !sink.bytes().empty();
    return r;
  });
  CHECK(seen.first.code() == Errc::io_error);
  CHECK(seen.first.error().message.find("inflateInit2") != std::string::npos);
  CHECK(seen.finish_again.code() == Errc::io_error);  // final
  CHECK(seen.update_again.code() == Errc::io_error);
  CHECK_FALSE(seen.wrote);
}

TEST_CASE("faults: inflate's window allocation failing is a final io_error", "[faults][gzip_decoder]") {
  const Bytes blob = gzip_of(test::seeded_bytes("text", 200000));
  Status s = within_seconds<Status>([blob] {
    // zlib 1.2.13: inflateInit2 allocates the state; inflate() allocates the 32 KiB window
    // when it first has output to keep.
    fault::Scope arm(fault::Site::zlib_alloc, 1);
    MemorySink sink;
    GzipDecoder d(sink);
    Status st = d.update(blob);
    if (st.ok()) st = d.finish();
    return st;
  });
  CHECK(s.code() == Errc::io_error);
}

TEST_CASE("faults: a decoder whose stream failed starts cleanly after reset()", "[faults][gzip_decoder]") {
  const Bytes blob = gzip_of(as_bytes("again and again"));
  MemorySink bad, good;
  GzipDecoder d(bad);
  {
    fault::Scope arm(fault::Site::zlib_alloc);
    CHECK(d.update(blob).code() == Errc::io_error);
  }
  d.reset(good);
  REQUIRE(d.update(blob).ok());
  REQUIRE(d.finish().ok());
  const ByteView want = as_bytes("again and again");
  CHECK(good.bytes() == Bytes(want.begin(), want.end()));
}

TEST_CASE("faults: deflateInit2 out of memory is io_error, a bad level is usage", "[faults][gzip_writer]") {
  {
    fault::Scope arm(fault::Site::zlib_alloc);
    MemorySink sink;
    GzipWriter w(sink);
    Status s = w.write(as_bytes("x"));
    CHECK(s.code() == Errc::io_error);
    CHECK(w.finish().code() == Errc::io_error);  // final
  }
  MemorySink sink;
  GzipWriteOptions o;
  o.level = 10;
  GzipWriter w(sink, o);
  CHECK(w.finish().code() == Errc::usage);
}

TEST_CASE("faults: encode_blob reports a failed deflate set-up as io_error", "[faults][gzip_writer]") {
  fault::Scope arm(fault::Site::zlib_alloc);
  EncodeOptions o;
  auto r = encode_blob(as_bytes("some content"), o);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::io_error);
}

#ifdef CASBLOB_WITH_LZ4
TEST_CASE("faults: an lz4 compression context that cannot be made is a final io_error", "[faults][lz4_writer]") {
  fault::Scope arm(fault::Site::lz4_context);
  MemorySink sink;
  Lz4Writer w(sink);
  CHECK(w.write(as_bytes("x")).code() == Errc::io_error);
  CHECK(w.finish().code() == Errc::io_error);
  CHECK(sink.bytes().empty());
}
#endif

TEST_CASE("faults: SHA-1 never throws and never fails silently", "[faults][sha1]") {
  const ByteView msg = as_bytes("abc");
  const std::string want = "a9993e364706816aba3e25717850c26c9cd0d89d";  // FIPS 180 example
  SECTION("context or init failure: the first call that returns a Status reports it") {
    for (unsigned skip : {0u, 1u}) {  // the SHA_CTX allocation, then SHA1_Init
      fault::Scope arm(fault::Site::sha1_init, skip);
      Sha1 h;
      Status u = h.update(msg);
      CHECK(u.code() == Errc::io_error);
      auto d = h.hex_digest();
      REQUIRE_FALSE(d.ok());
      CHECK(d.error().message == u.error().message);  // sticky
    }
  }
  SECTION("update failure is sticky through digest()") {
    fault::Scope arm(fault::Site::sha1_update, 1);
    Sha1 h;
    CHECK(h.update(msg).ok());
    CHECK(h.update(msg).code() == Errc::io_error);
    CHECK(h.update(msg).code() == Errc::io_error);
    CHECK_FALSE(h.digest().ok());
  }
  SECTION("final failure") {
    fault::Scope arm(fault::Site::sha1_final);
    CHECK_FALSE(sha1_hex(msg).ok());
  }
  SECTION("reset() after a failure starts a clean message on the same object") {
    Sha1 h;
    {
      fault::Scope arm(fault::Site::sha1_update);
      CHECK_FALSE(h.update(msg).ok());
    }
    h.reset();
    REQUIRE(h.update(msg).ok());
    CHECK(h.hex_digest().value() == want);
  }
  SECTION("a HashingSink passes the failure on to the writer") {
    fault::Scope arm(fault::Site::sha1_update);
    MemorySink next;
    HashingSink hs(&next);
    CHECK(hs.write(msg).code() == Errc::io_error);
    CHECK_FALSE(hs.hex_digest().ok());
  }
  SECTION("decode_blob and encode_blob report it instead of a key") {
    auto enc = encode_blob(msg, EncodeOptions{});
    REQUIRE(enc.ok());
    fault::Scope arm(fault::Site::sha1_update);
    ReadOptions ro;
    ro.key = want;
    auto dec = decode_blob(ByteView(enc->bytes), enc->info.meta, ro);
    REQUIRE_FALSE(dec.ok());
    CHECK(dec.error().code == Errc::io_error);
    fault::Scope again(fault::Site::sha1_update);
    auto enc2 = encode_blob(msg, EncodeOptions{});
    REQUIRE_FALSE(enc2.ok());
    CHECK(enc2.error().code == Errc::io_error);
  }
  SECTION("digest() leaves the object ready for the next message") {
    Sha1 h;
    REQUIRE(h.update(msg).ok());
    CHECK(h.hex_digest().value() == want);
    REQUIRE(h.update(msg).ok());
    CHECK(h.hex_digest().value() == want);
    CHECK(h.hex_digest().value() == "da39a3ee5e6b4b0d3255bfef95601890afd80709");  // empty message
  }
}
