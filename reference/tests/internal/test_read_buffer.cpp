// detail::ReadBuffer, the buffer of the streaming read loops (decode_blob(Source&), BlobEncoder's
// pump): sized to the input (issue 19), and what those loops ask of their Source.
#include <catch2/catch.hpp>

#include <optional>
#include <vector>

#include "casblob/reader.hpp"
#include "casblob/writer.hpp"
#include "common/buffer.hpp"
#include "support.hpp"

using namespace casblob;
using detail::ReadBuffer;

namespace {

// A pipe that always has enough: every read fills the span it is given; `asked` records them.
test::TrickleSource full_reads(ByteView data, std::optional<std::uint64_t> hint = std::nullopt) {
  return test::TrickleSource(data, std::size_t{1} << 40, hint);
}

constexpr std::size_t kFirst = ReadBuffer::kFirstRead;

}  // namespace

TEST_CASE("read buffer: a known small size is read in one span, the end seen by the next", "[read-buffer]") {
  ReadBuffer b;
  REQUIRE(b.start(kDefaultChunk, 234));
  CHECK(b.span().size() == 235);
  REQUIRE(b.start(kDefaultChunk, 0));
  CHECK(b.span().size() == 1);
  REQUIRE(b.start(kDefaultChunk, kDefaultChunk));
  CHECK(b.span().size() == kDefaultChunk);
  REQUIRE(b.start(kDefaultChunk, std::uint64_t{1} << 40));
  CHECK(b.span().size() == kDefaultChunk);
}

TEST_CASE("read buffer: without a size it starts small and grows 4x on full reads, up to the limit",
          "[read-buffer]") {
  ReadBuffer b;
  REQUIRE(b.start(kDefaultChunk, std::nullopt));
  CHECK(b.span().size() == kFirst);
  REQUIRE(b.consumed(kFirst - 1));  // a short read: the input may be ending
  CHECK(b.span().size() == kFirst);
  std::vector<std::size_t> sizes;
  for (int i = 0; i < 4; ++i) {
    REQUIRE(b.consumed(b.span().size()));
    sizes.push_back(b.span().size());
  }
  CHECK(sizes == std::vector<std::size_t>{4 * kFirst, kDefaultChunk, kDefaultChunk, kDefaultChunk});

  // A kept buffer starts at the size it grew to (warm); a new limit below it still bounds it.
  REQUIRE(b.start(kDefaultChunk, std::nullopt));
  CHECK(b.span().size() == kDefaultChunk);
  REQUIRE(b.start(1000, std::nullopt));
  CHECK(b.span().size() == 1000);
  REQUIRE(b.consumed(1000));
  CHECK(b.span().size() == 1000);
  REQUIRE(b.start(0, std::nullopt));  // a zero limit reads one byte at a time, not zero
  CHECK(b.span().size() == 1);
  // A limit that is not a power of 4 times the first read is reached exactly.
  ReadBuffer c;
  REQUIRE(c.start(100'000, std::nullopt));
  REQUIRE(c.consumed(kFirst));
  CHECK(c.span().size() == 4 * kFirst);
  REQUIRE(c.consumed(4 * kFirst));
  CHECK(c.span().size() == 100'000);
}

TEST_CASE("read buffer: decode_blob(Source&) and BlobEncoder read a small pipe without touching the limit",
          "[read-buffer]") {
  const Bytes content = test::seeded_bytes("text", 300'000, 9);
  for (int version : {1, 2}) {
    INFO("v" << version);
    EncodeOptions eo;
    eo.version = version;
    auto enc = encode_blob(ByteView(content), eo);
    REQUIRE(enc);

    // A 234-byte content through a pipe: one 16 KiB read and the end, not 256 KiB.
    const ByteView small(content.data(), 234);
    auto small_in = full_reads(small);
    MemorySink small_out;
    BlobEncoder encoder;
    auto small_enc = encoder.encode(small_in, eo, small_out);
    REQUIRE(small_enc);
    CHECK(small_in.asked == std::vector<std::size_t>{kFirst, kFirst});
    auto small_blob = full_reads(ByteView(small_out.bytes()));
    MemorySink small_back;
    ReadOptions ro;
    ro.key = small_enc->key;
    REQUIRE(decode_blob(small_blob, small_enc->meta, ro, small_back));
    CHECK(Bytes(small_back.bytes()) == Bytes(small.begin(), small.end()));
    CHECK(small_blob.asked == std::vector<std::size_t>{kFirst, kFirst});

    // A large one grows to the chunk limit and gives the bytes of the in-memory encoding (v2:
    // but for the content size, which a frame of unknown size cannot hold).
    auto big_in = full_reads(ByteView(content));
    MemorySink big_out;
    auto big_enc = encoder.encode(big_in, eo, big_out);
    REQUIRE(big_enc);
    CHECK(big_enc->key == enc->info.key);
    if (version == 1) CHECK(big_out.bytes() == enc->bytes);
    REQUIRE(big_in.asked.size() >= 3);
    CHECK(big_in.asked[0] == kFirst);
    CHECK(big_in.asked[1] == 4 * kFirst);
    CHECK(big_in.asked[2] == kDefaultChunk);
    auto big_blob = full_reads(ByteView(big_out.bytes()));
    MemorySink big_back;
    ro.key = enc->info.key;
    REQUIRE(decode_blob(big_blob, enc->info.meta, ro, big_back));
    CHECK(big_back.bytes() == content);
    CHECK(big_blob.asked.front() == kFirst);

    // With the size known: one read of size + 1, the end seen at once.
    auto hinted = full_reads(ByteView(enc->bytes), enc->bytes.size());
    MemorySink hinted_back;
    REQUIRE(decode_blob(hinted, enc->info.meta, ro, hinted_back));
    CHECK(hinted.asked.front() == std::min(enc->bytes.size() + 1, kDefaultChunk));
  }
}
