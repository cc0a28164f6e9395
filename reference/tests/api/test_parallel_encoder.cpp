// ParallelEncoder (parallel_encoder.hpp): the same key, sidecar and bytes as encode_blob, for
// every encoding, sizes around the chunk and slot boundaries, short reads, and errors; its
// thread starts only when needed and is gone with the object. Identity only: timing is bench/'s.
#include <catch2/catch.hpp>

#include <algorithm>

#include "casblob/casblob.hpp"
#include "casblob/experimental/parallel_encoder.hpp"

#include <filesystem>
#include "support.hpp"

using namespace casblob;

namespace {

std::size_t thread_count() {
  std::size_t n = 0;
  for (auto& e : std::filesystem::directory_iterator("/proc/self/task")) n += e.is_directory();
  return n;
}

// Fails after `ok_bytes`.
class FailingSource final : public Source {
 public:
  explicit FailingSource(std::size_t ok_bytes) : left_(ok_bytes) {}
  Result<std::size_t> read(std::span<std::uint8_t> buf) override {
    if (left_ == 0) return Error(Errc::io_error, "disk on fire");
    std::size_t n = std::min(buf.size(), left_);
    std::fill_n(buf.begin(), n, std::uint8_t{7});
    left_ -= n;
    return n;
  }

 private:
  std::size_t left_;
};

class FailingSink final : public Sink {
 public:
  explicit FailingSink(std::size_t ok_bytes) : left_(ok_bytes) {}
  Status write(ByteView d) override {
    if (d.size() > left_) return Error(Errc::io_error, "no space left");
    left_ -= d.size();
    return {};
  }

 private:
  std::size_t left_;
};

std::vector<EncodeOptions> all_options() {
  std::vector<EncodeOptions> v;
  for (int version : {1, 2})
    for (bool raw : {false, true}) {
      EncodeOptions o;
      o.version = version;
      o.raw = raw;
      v.push_back(o);
    }
  EncodeOptions cc;
  cc.version = 2;
  cc.lz4.content_checksum = true;
  cc.lz4.block_checksum = true;
  v.push_back(cc);
  EncodeOptions big;
  big.version = 2;
  big.lz4.block_size = Lz4BlockSize::max4MB;
  big.lz4.independent_blocks = true;
  v.push_back(big);
  return v;
}

}  // namespace

TEST_CASE("ParallelEncoder writes encode_blob's bytes, key and sidecar", "[parallel]") {
  ParallelOptions po;
  po.min_size = 0;            // always take the threaded path
  po.chunk = 64 * 1024 + 3;   // odd: chunks straddle lz4 blocks
  po.slots = 3;
  ParallelEncoder parallel(po);
  const std::size_t c = po.chunk;
  for (const char* kind : {"float64", "text", "random"})
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, c - 1, c, c + 1, 3 * c, 3 * c + 1, 7 * c + 12345,
                          std::size_t{2} << 20}) {
      Bytes data = test::seeded_bytes(kind, n, n + 11);
      for (const auto& eo : all_options()) {
        INFO(kind << " n=" << n << " version=" << eo.version << " raw=" << eo.raw);
        auto ref = encode_blob(ByteView(data), eo);
        REQUIRE(ref);

        auto mem = parallel.encode(ByteView(data), eo);
        REQUIRE(mem);
        CHECK(mem->info.key == ref->info.key);
        CHECK(mem->info.meta == ref->info.meta);
        CHECK(mem->info.input_size == n);
        CHECK(mem->info.stored_size == ref->bytes.size());
        CHECK(mem->bytes == ref->bytes);

        for (std::size_t trickle : {std::size_t{1} << 30, std::size_t{40000}}) {
          test::TrickleSource src(data, trickle, data.size());
          MemorySink out;
          auto info = parallel.encode(src, eo, out);
          REQUIRE(info);
          CHECK(info->key == ref->info.key);
          CHECK(info->meta == ref->info.meta);
          CHECK(info->input_size == n);
          CHECK(info->stored_size == ref->bytes.size());
          CHECK(out.bytes() == ref->bytes);
        }
      }
    }
}

TEST_CASE("ParallelEncoder: unknown size streams like encode_blob without a hint", "[parallel]") {
  ParallelOptions po;
  po.chunk = 100000;
  po.slots = 2;
  ParallelEncoder parallel(po);
  Bytes data = test::seeded_bytes("text", 1234567, 5);
  for (const auto& eo : all_options()) {
    test::TrickleSource a(data, 1 << 30), b(data, 1 << 30);
    MemorySink ra, rb;
    auto ref = encode_blob(a, eo, ra);
    auto par = parallel.encode(b, eo, rb);
    REQUIRE(ref);
    REQUIRE(par);
    CHECK(par->key == ref->key);
    CHECK(rb.bytes() == ra.bytes());
  }
  CHECK(parallel.thread_started());  // unknown size: parallel
}

TEST_CASE("ParallelEncoder starts no thread for inputs below min_size", "[parallel]") {
  Bytes data = test::seeded_bytes("float64", 100000, 3);
  EncodeOptions eo;
  eo.version = 2;
  ParallelEncoder parallel;  // default min_size: 8 MiB
  auto ref = encode_blob(ByteView(data), eo);
  auto par = parallel.encode(ByteView(data), eo);
  MemorySource src(data);
  MemorySink out;
  auto streamed = parallel.encode(src, eo, out);
  REQUIRE(ref);
  REQUIRE(par);
  REQUIRE(streamed);
  CHECK(par->bytes == ref->bytes);
  CHECK(out.bytes() == ref->bytes);
  CHECK(par->info.key == ref->info.key);
  CHECK_FALSE(parallel.thread_started());
}

TEST_CASE("ParallelEncoder's thread ends with the object, not with the process", "[parallel]") {
  const std::size_t before = thread_count();
  {
    ParallelOptions po;
    po.min_size = 0;
    ParallelEncoder parallel(po);
    CHECK_FALSE(parallel.thread_started());
    Bytes data = test::seeded_bytes("text", 1 << 20, 4);
    REQUIRE(parallel.encode(ByteView(data), EncodeOptions{}));
    CHECK(parallel.thread_started());
    CHECK(thread_count() == before + 1);
  }
  CHECK(thread_count() == before);  // joined by the destructor
}

TEST_CASE("ParallelEncoder reports read, write and usage errors", "[parallel]") {
  ParallelOptions po;
  po.min_size = 0;
  po.chunk = 4096;
  po.slots = 2;
  ParallelEncoder parallel(po);
  EncodeOptions eo;
  eo.version = 2;
  for (std::size_t ok : {std::size_t{0}, std::size_t{100}, std::size_t{4096}, std::size_t{50000}}) {
    FailingSource src(ok);
    NullSink out;
    auto r = parallel.encode(src, eo, out);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::io_error);
  }
  Bytes data = test::seeded_bytes("random", 300000, 9);
  for (int version : {1, 2}) {
    eo.version = version;
    MemorySource src(data);
    FailingSink out(1000);
    auto r = parallel.encode(src, eo, out);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::io_error);
  }
  EncodeOptions bad;
  bad.version = 3;
  CHECK(parallel.encode(ByteView(data), bad).error().code == Errc::usage);
  // A source that delivers less than it announced changed while read: io_error (F20).
  eo.version = 2;
  test::TrickleSource shorter(ByteView(data).first(1000), 1 << 30, data.size());
  NullSink out;
  auto r = parallel.encode(shorter, eo, out);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::io_error);
}
