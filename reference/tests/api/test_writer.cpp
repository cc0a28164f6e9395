// encode_blob: key, sidecar text and stored bytes equal Metaflow's save path
// (pymodel.save_blob: released Metaflow for v1, PR #3090 for v2), byte for byte.
#include <catch2/catch.hpp>

#include "casblob/casblob.hpp"
#include "support.hpp"

using namespace casblob;

TEST_CASE("encode_blob is byte-identical to Metaflow's writers, from memory and from a stream", "[writer][python]") {
  std::vector<Bytes> payloads;
  for (std::size_t n : {0u, 1u, 233u, 65535u, 65536u, 65537u, 800000u})
    for (const char* kind : {"text", "float64", "random"}) payloads.push_back(test::seeded_bytes(kind, n, n + 1));
  auto answers = test::unpack_list(test::run_python(std::string(test::kPythonListHelpers) + R"PY(
import metaflow_model as pymodel
out = []
for p in read_list():
    for version, raw in ((1, False), (2, False), (2, True)):
        key, stored, meta = pymodel.save_blob(p, version, raw, mtime=0)
        out += [key.encode(), stored, meta]
write_list(out)
)PY",
                                                    test::pack_list(payloads)));
  REQUIRE(answers.size() == payloads.size() * 9);
  std::size_t i = 0;
  for (const auto& p : payloads) {
    for (auto [version, raw] : {std::pair{1, false}, {2, false}, {2, true}}) {
      INFO("size " << p.size() << " version " << version << " raw " << raw);
      EncodeOptions eo;
      eo.version = version;
      eo.raw = raw;
      auto mem = encode_blob(p, eo);
      REQUIRE(mem);
      CHECK(mem->info.key == std::string(answers[i].begin(), answers[i].end()));
      CHECK(mem->bytes == answers[i + 1]);
      CHECK(mem->info.meta == std::string(answers[i + 2].begin(), answers[i + 2].end()));
      CHECK(mem->info.stored_size == answers[i + 1].size());
      // Streaming with the size known up front (a regular file) gives the same bytes.
      MemorySource src(p);
      MemorySink sink;
      auto streamed = encode_blob(src, eo, sink);
      REQUIRE(streamed);
      CHECK(sink.bytes() == answers[i + 1]);
      i += 3;
    }
  }
}

TEST_CASE("encode_blob rejects versions it cannot write", "[writer]") {
  EncodeOptions eo;
  eo.version = 3;
  auto r = encode_blob(as_bytes("x"), eo);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::usage);
}

namespace {

// Announces `hint` bytes and delivers `data`: a file that grows, shrinks, or stats as empty.
class LyingSource final : public Source {
 public:
  LyingSource(ByteView data, std::uint64_t hint) : inner_(data), hint_(hint) {}
  Result<std::size_t> read(std::span<std::uint8_t> buf) override { return inner_.read(buf); }
  std::optional<std::uint64_t> size_hint() const override { return hint_; }

 private:
  MemorySource inner_;
  std::uint64_t hint_;
};

}  // namespace

TEST_CASE("a v2 encode of an input that changes size while read fails with io_error (F20)", "[writer]") {
  Bytes data = test::seeded_bytes("text", 200000, 2);
  EncodeOptions eo;
  eo.version = 2;
  for (std::uint64_t hint : {std::uint64_t{100}, std::uint64_t{199999}, std::uint64_t{200001}, std::uint64_t{1} << 30}) {
    INFO("announced " << hint);
    LyingSource src(data, hint);
    NullSink out;
    auto r = encode_blob(src, eo, out);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::io_error);
    CHECK(r.error().message.find("changed size") != std::string::npos);
  }
}

TEST_CASE("an input that stats as empty but is not (/proc) encodes as v2 without a content size", "[writer]") {
  Bytes data = test::seeded_bytes("text", 150000, 3);
  EncodeOptions eo;
  eo.version = 2;
  LyingSource src(data, 0);
  MemorySink out;
  auto r = encode_blob(src, eo, out);
  REQUIRE(r);
  CHECK(r->key == sha1_hex(data).value());
  CHECK((out.bytes()[4] & 0x08) == 0);  // FLG.C.Size clear
  for (Profile p : {Profile::strict, Profile::v2}) {
    ReadOptions ro;
    ro.profile = p;
    ro.key = r->key;
    auto d = decode_blob(ByteView(out.bytes()), r->meta, ro);
    REQUIRE(d);
    CHECK(d->bytes == data);
  }
  // And a real one: /proc/self/status stats as 0 bytes.
  auto proc = FileSource::open("/proc/self/status");
  REQUIRE(proc);
  REQUIRE(proc->size_hint() == std::uint64_t{0});
  MemorySink sink;
  auto pr = encode_blob(*proc, eo, sink);
  REQUIRE(pr);
  CHECK(pr->input_size > 0);
}

TEST_CASE("empty input streamed with its size known is python-lz4's exact empty frame", "[writer]") {
  EncodeOptions eo;
  eo.version = 2;
  MemorySource src(ByteView{});
  MemorySink out;
  REQUIRE(encode_blob(src, eo, out));
  CHECK(test::hex(out.bytes()) == "04224d1860408200000000");  // lz4.frame.compress(b"")
}

TEST_CASE("v2 from a pipe: up to 64 KiB is written as python-lz4 writes it, size stored - longer, no size", "[writer]") {
  const Bytes text = test::seeded_bytes("text", 300'000, 5);
  BlobEncoder kept;  // the staging buffer is kept from blob to blob, and must not leak across
  for (int level : {0, 9}) {
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{234}, std::size_t{65535}, std::size_t{65536},
                          std::size_t{65537}, std::size_t{300'000}}) {
      INFO("level " << level << ", " << n << " bytes");
      EncodeOptions eo;
      eo.version = 2;
      eo.lz4.level = level;
      eo.lz4.block_size = Lz4BlockSize::max4MB;
      const ByteView content(text.data(), n);
      auto in_memory = encode_blob(content, eo);  // python-lz4's bytes (test "byte-identical" above)
      REQUIRE(in_memory);
      for (std::size_t bite : {std::size_t{7}, std::size_t{4096}, std::size_t{1} << 20}) {
        test::TrickleSource pipe(content, bite);  // a pipe: no size hint
        MemorySink out;
        auto r = kept.encode(pipe, eo, out);
        REQUIRE(r);
        CHECK(r->key == in_memory->info.key);
        const Bytes& frame = out.bytes();
        if (n <= 65536) {
          CHECK(frame == in_memory->bytes);
        } else {
          REQUIRE(frame.size() > 6);
          CHECK((frame[4] & 0x08) == 0);  // FLG.C.Size clear: the size was not known in time
          CHECK((frame[5] >> 4) == 7);    // the block size asked for, 4 MB
          ReadOptions ro;
          ro.key = r->key;
          auto back = decode_blob(ByteView(frame), r->meta, ro);
          REQUIRE(back);
          CHECK(back->bytes == Bytes(content.begin(), content.end()));
        }
      }
    }
  }
}
