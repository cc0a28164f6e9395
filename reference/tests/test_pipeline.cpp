// encode_blob_parallel (pipeline.hpp): the same key, sidecar and bytes as encode_blob, for
// every encoding, sizes around the chunk and slot boundaries, short reads, and errors.
// Identity only: timing lives in bench/.
#include <catch2/catch.hpp>

#include <algorithm>

#include "casblob/casblob.hpp"
#include "casblob/experimental/pipeline.hpp"
#include "support.hpp"

using namespace casblob;

namespace {

// Returns at most `max` bytes per read: exercises partial slot fills.
class TrickleSource final : public Source {
 public:
  TrickleSource(ByteView data, std::size_t max) : data_(data), max_(max) {}
  Result<std::size_t> read(std::span<std::uint8_t> buf) override {
    std::size_t n = std::min({buf.size(), data_.size() - pos_, max_});
    std::copy_n(data_.begin() + static_cast<std::ptrdiff_t>(pos_), n, buf.begin());
    pos_ += n;
    return n;
  }

 private:
  ByteView data_;
  std::size_t max_, pos_ = 0;
};

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

TEST_CASE("encode_blob_parallel writes encode_blob's bytes, key and sidecar", "[pipeline]") {
  ParallelOptions po;
  po.min_size = 0;            // always take the threaded path
  po.chunk = 64 * 1024 + 3;   // odd: chunks straddle lz4 blocks
  po.slots = 3;
  const std::size_t c = po.chunk;
  for (const char* kind : {"float64", "text", "random"})
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, c - 1, c, c + 1, 3 * c, 3 * c + 1, 7 * c + 12345,
                          std::size_t{2} << 20}) {
      Bytes data = test::seeded_bytes(kind, n, n + 11);
      for (const auto& eo : all_options()) {
        INFO(kind << " n=" << n << " version=" << eo.version << " raw=" << eo.raw);
        auto ref = encode_blob(ByteView(data), eo);
        REQUIRE(ref);

        auto mem = encode_blob_parallel(ByteView(data), eo, po);
        REQUIRE(mem);
        CHECK(mem->info.key == ref->info.key);
        CHECK(mem->info.meta == ref->info.meta);
        CHECK(mem->info.input_size == n);
        CHECK(mem->info.stored_size == ref->bytes.size());
        CHECK(mem->bytes == ref->bytes);

        for (std::size_t trickle : {std::size_t{1} << 30, std::size_t{40000}}) {
          TrickleSource src(data, trickle);
          MemorySink out;
          auto info = encode_blob_parallel(src, data.size(), eo, out, po);
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

TEST_CASE("encode_blob_parallel: unknown size streams like encode_blob without a hint", "[pipeline]") {
  ParallelOptions po;
  po.chunk = 100000;
  po.slots = 2;
  Bytes data = test::seeded_bytes("text", 1234567, 5);
  for (const auto& eo : all_options()) {
    MemorySource a(data), b(data);
    MemorySink ra, rb;
    auto ref = encode_blob(a, std::nullopt, eo, ra);
    auto par = encode_blob_parallel(b, std::nullopt, eo, rb, po);
    REQUIRE(ref);
    REQUIRE(par);
    CHECK(par->key == ref->key);
    CHECK(rb.bytes() == ra.bytes());
  }
}

TEST_CASE("encode_blob_parallel: default min_size keeps small inputs on the calling thread", "[pipeline]") {
  Bytes data = test::seeded_bytes("float64", 100000, 3);
  EncodeOptions eo;
  eo.version = 2;
  auto ref = encode_blob(ByteView(data), eo);
  auto par = encode_blob_parallel(ByteView(data), eo);
  REQUIRE(ref);
  REQUIRE(par);
  CHECK(par->bytes == ref->bytes);
  CHECK(par->info.key == ref->info.key);
}

TEST_CASE("encode_blob_parallel reports read, write and usage errors and joins its thread", "[pipeline]") {
  ParallelOptions po;
  po.min_size = 0;
  po.chunk = 4096;
  po.slots = 2;
  EncodeOptions eo;
  eo.version = 2;
  for (std::size_t ok : {std::size_t{0}, std::size_t{100}, std::size_t{4096}, std::size_t{50000}}) {
    FailingSource src(ok);
    NullSink out;
    auto r = encode_blob_parallel(src, std::nullopt, eo, out, po);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::io_error);
  }
  Bytes data = test::seeded_bytes("random", 300000, 9);
  for (int version : {1, 2}) {
    eo.version = version;
    MemorySource src(data);
    FailingSink out(1000);
    auto r = encode_blob_parallel(src, data.size(), eo, out, po);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::io_error);
  }
  EncodeOptions bad;
  bad.version = 3;
  CHECK(encode_blob_parallel(ByteView(data), bad, po).error().code == Errc::usage);
  // lz4's declared content size must match what the source delivers (as encode_blob).
  eo.version = 2;
  MemorySource shorter(ByteView(data).first(1000));
  NullSink out;
  auto r = encode_blob_parallel(shorter, data.size(), eo, out, po);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::usage);
}
