// Reusable readers and writers (issue 19): a BlobDecoder reset() from blob to blob, the
// decode_blob overload that reuses a decoder and an output vector, and BlobEncoder, give
// exactly what the one-shot calls give -- status, every DecodeInfo field, bytes, keys,
// sidecars -- over the whole fixture corpus under every profile, in any order, after errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "casblob/casblob.hpp"
#include "casblob/experimental/direct_sink.hpp"
#include "support.hpp"

using namespace casblob;

namespace {

Bytes slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

struct Blob {
  std::string key;  // the file name: the key the store would look it up by
  Bytes payload;
  SidecarText sidecar;
};

// Every blob of the fixture corpus (fixtures/cases/<case>/<key[:2]>/<key>[_meta]).
std::vector<Blob> corpus() {
  std::vector<std::filesystem::path> paths;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(CASBLOB_SOURCE_DIR) + "/fixtures/cases"))
    if (e.is_regular_file() && e.path().filename().string().find("_meta") == std::string::npos) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  std::vector<Blob> v;
  for (const auto& p : paths) {
    Blob b{p.filename().string(), slurp(p), std::nullopt};
    auto meta = p;
    meta += "_meta";
    if (std::filesystem::exists(meta)) {
      Bytes m = slurp(meta);
      b.sidecar = std::string(m.begin(), m.end());
    }
    v.push_back(std::move(b));
  }
  return v;
}

std::string describe(const Result<DecodeInfo>& r) {
  if (!r) return "error " + r.error().label() + ": " + r.error().message;
  std::string s = "ok " + std::string(name(r->encoding)) + " " + std::to_string(r->stored_size) + " " +
                  std::to_string(r->decoded_size) + " " + r->sha1.str() + " " + (r->key_checked ? "checked" : "unchecked");
  for (const auto& n : notes(*r)) s += " | " + n;
  return s;
}

}  // namespace

TEST_CASE("reuse: a reset BlobDecoder and a reused output read the whole corpus as decode_blob does", "[reuse][slow]") {
  const std::vector<Blob> blobs = corpus();
  REQUIRE(blobs.size() > 300);
  BlobDecoder reused;
  Bytes out(1 << 20, 0x5A);  // stale content that must never show through
  // Kept from blob to blob as a batch reader keeps it, started with counts no read has.
  DecodeInfo kept;
  kept.gzip_members = kept.lz4_data_frames = kept.lz4_skippable_frames = 99;
  kept.key_checked = kept.lz4_unchecked_frames = true;
  std::size_t n = 0;
  for (int round = 0; round < 2; ++round) {
    for (Profile p : kAllProfiles) {
      for (std::size_t i = 0; i < blobs.size(); ++i) {
        const Blob& b = blobs[round == 0 ? i : blobs.size() - 1 - i];  // both orders
        ReadOptions ro;
        ro.profile = p;
        if (p == Profile::strict && is_valid_key(b.key)) ro.key = b.key;
        if (i % 7 == 3) ro.max_size = 100;  // limit_exceeded now and then
        const auto want = decode_blob(ByteView(b.payload), b.sidecar, ro);
        const std::string want_s = want ? describe(want->info) : describe(Result<DecodeInfo>(want.error()));

        auto got = decode_blob(reused, ByteView(b.payload), b.sidecar, ro, out);
        INFO("blob " << b.key << " profile " << name(p));
        REQUIRE(describe(got) == want_s);
        if (want) CHECK(out == want->bytes);
        else CHECK(out.empty());

        // The content overload: a raw blob's content is the payload itself, the rest is `out`.
        ByteView content;
        auto viewed = decode_blob(reused, ByteView(b.payload), b.sidecar, ro, out, content);
        REQUIRE(describe(viewed) == want_s);
        if (want) {
          CHECK(Bytes(content.begin(), content.end()) == want->bytes);
          if (viewed->encoding == Encoding::raw && !content.empty()) CHECK(content.data() == b.payload.data());
          else if (!content.empty()) CHECK(content.data() == out.data());
        } else {
          CHECK(content.empty());
          CHECK(out.empty());
        }

        // The same into the kept DecodeInfo: every field is this blob's, none the last one's.
        Status into = decode_blob(reused, ByteView(b.payload), b.sidecar, ro, out, content, kept);
        REQUIRE(describe(into.ok() ? Result<DecodeInfo>(kept) : Result<DecodeInfo>(into.error())) == want_s);
        if (want) {
          CHECK(kept == want->info);
          CHECK(Bytes(content.begin(), content.end()) == want->bytes);
        } else {
          CHECK(content.empty());
          CHECK(out.empty());
        }

        // The push interface, reset, into a plain sink, in two chunks.
        MemorySink plain;
        reused.reset(b.sidecar, ro, plain);
        const std::size_t cut = b.payload.size() / 3;
        Status s = reused.encoding() ? reused.update(ByteView(b.payload).first(cut)) : Status{};
        if (s.ok() && reused.encoding()) s = reused.update(ByteView(b.payload).subspan(cut));
        auto pushed = s.ok() ? reused.finish() : Result<DecodeInfo>(s.error());
        CHECK(describe(pushed) == want_s);
        if (want) CHECK(plain.bytes() == want->bytes);
        ++n;
      }
    }
  }
  CHECK(n == 2 * std::size(kAllProfiles) * blobs.size());  // every profile of the table, pre-cas included
}

TEST_CASE("reuse: a default-constructed BlobDecoder is usage until reset", "[reuse]") {
  BlobDecoder d;
  CHECK(d.update(as_bytes("x")).code() == Errc::usage);
  CHECK_FALSE(d.encoding());
  auto r = d.finish();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::usage);
  MemorySink sink;
  const Bytes data = test::seeded_bytes("text", 5000);
  auto enc = encode_blob(ByteView(data), EncodeOptions{});
  REQUIRE(enc.ok());
  d.reset(enc->info.meta, ReadOptions{}, sink);
  REQUIRE(d.update(enc->bytes).ok());
  REQUIRE(d.finish().ok());
  CHECK(sink.bytes() == data);
}

// The decoder remembers the dispatch (steps 2-7) of its last few (sidecar, profile) pairs: a
// walk that interleaves more sidecars than it keeps, switching profile and key on every blob,
// must still see each blob judged as a fresh decoder judges it, bad keys included (step 1
// comes before the memo).
TEST_CASE("reuse: interleaved sidecars, profiles and keys get a fresh decoder's verdict every time", "[reuse]") {
  const Bytes data = test::seeded_bytes("text", 3000);
  std::vector<Blob> blobs;
  for (int v : {1, 2})
    for (bool raw : {false, true}) {
      EncodeOptions eo;
      eo.version = v;
      eo.raw = raw;
      auto e = encode_blob(ByteView(data), eo);
      REQUIRE(e.ok());
      blobs.push_back({e->info.key, e->bytes, e->info.meta});
    }
  const Blob v1 = blobs[0];
  for (SidecarText odd : {SidecarText{}, SidecarText{"null"}, SidecarText{"{\"cas_version\": 3}"},
                          SidecarText{"{\"cas_raw\": false, \"cas_version\": 2}"}, SidecarText{"{"}})
    blobs.push_back({v1.key, v1.payload, odd});
  const std::vector<std::optional<std::string>> keys = {std::nullopt, v1.key, std::string(40, 'A'),
                                                        std::string(40, '0')};
  BlobDecoder reused;
  Bytes out;
  std::size_t checked = 0, differs = 0;
  std::string previous;
  for (std::size_t i = 0; i < 7 * blobs.size() * std::size(kAllProfiles); ++i) {
    // Three sidecars in turn (each comes back while the memo still holds it, under another
    // profile), then the next three: hits, misses and evictions.
    const Blob& b = blobs[(i % 3 + 3 * (i / 30)) % blobs.size()];
    ReadOptions ro;
    ro.profile = kAllProfiles[(i / 2) % std::size(kAllProfiles)];
    ro.key = keys[i % keys.size()];
    const auto want = decode_blob(ByteView(b.payload), b.sidecar, ro);
    auto got = decode_blob(reused, ByteView(b.payload), b.sidecar, ro, out);
    INFO("blob " << i << " profile " << name(ro.profile));
    const std::string verdict = want ? describe(want->info) : describe(Result<DecodeInfo>(want.error()));
    CHECK(describe(got) == verdict);
    ++checked;
    differs += verdict != previous;
    previous = verdict;
  }
  CHECK(checked == 7 * blobs.size() * std::size(kAllProfiles));
  CHECK(differs > checked / 2);  // neighbours are judged differently: a stale memo would show
}

TEST_CASE("reuse: a BlobEncoder writes encode_blob's bytes, keys and sidecars, blob after blob", "[reuse][slow]") {
  BlobEncoder reused;
  std::uint64_t seed = 1;
  for (int version : {1, 2, 1, 2}) {
    for (bool raw : {false, true}) {
      for (int level : {0, 1, 3, 9}) {
        for (std::size_t n : {std::size_t{0}, std::size_t{234}, std::size_t{70000}, std::size_t{1200000}}) {
          EncodeOptions o;
          o.version = version;
          o.raw = raw;
          o.gzip.level = level;
          o.gzip.mtime = static_cast<std::uint32_t>(seed);
          o.lz4.level = level;
          o.lz4.content_checksum = seed % 2;
          const Bytes data = test::seeded_bytes(seed % 3 ? "text" : "float64", n, seed);
          const auto want = encode_blob(ByteView(data), o);
          REQUIRE(want.ok());
          INFO("version " << version << " raw " << raw << " level " << level << " size " << n);
          auto got = reused.encode(ByteView(data), o);
          REQUIRE(got.ok());
          CHECK(got->bytes == want->bytes);
          CHECK(got->info.key == want->info.key);
          CHECK(got->info.meta == want->info.meta);
          CHECK(got->info.stored_size == want->info.stored_size);
          MemorySource src{ByteView(data)};
          MemorySink sink;
          auto streamed = reused.encode(src, o, sink);
          REQUIRE(streamed.ok());
          CHECK(streamed->key == want->info.key);
          MemorySource src2{ByteView(data)};
          MemorySink sink2;
          REQUIRE(encode_blob(src2, o, sink2).ok());
          CHECK(sink.bytes() == sink2.bytes());
          ++seed;
        }
      }
    }
  }
  EncodeOptions bad;
  bad.version = 3;
  CHECK(reused.encode(as_bytes("x"), bad).error().code == Errc::usage);
  CHECK(reused.encode(as_bytes("x"), EncodeOptions{}).ok());  // as good as new after an error
}

TEST_CASE("reuse: the content overloads keep a raw blob a view of the caller's bytes and copy nothing", "[reuse]") {
  BlobEncoder encoder;
  BlobDecoder decoder;
  Bytes out(64, 0x5A), copied;
  // Kept from blob to blob, as a batch writer keeps it: each encode overwrites all of it, from
  // a start longer than anything it writes.
  EncodeInfo info{std::string(90, 'k'), std::string(90, 'm'), 7, 7};
  // Text: compressed lz4 blocks linked to their history; random: stored blocks.
  for (const char* kind : {"text", "random"})
  for (bool raw : {true, false}) {
    const Bytes data = test::seeded_bytes(kind, 300000, 7);
    for (int version : {1, 2}) {
      EncodeOptions eo;
      eo.version = version;
      eo.raw = raw;
      eo.lz4.block_size = Lz4BlockSize::max64KB;
      eo.lz4.independent_blocks = false;  // linked blocks: the history must be the content
      INFO(kind << " raw " << raw << " version " << version);
      ByteView stored;
      REQUIRE(encoder.encode(ByteView(data), eo, out, stored, info).ok());
      auto want = encoder.encode(ByteView(data), eo, copied);
      REQUIRE(want);
      CHECK(info.key == want->key);
      CHECK(info.meta == want->meta);
      CHECK(info.input_size == data.size());
      CHECK(info.stored_size == want->stored_size);
      CHECK(Bytes(stored.begin(), stored.end()) == copied);
      if (raw) {
        CHECK(stored.data() == data.data());  // nothing copied
        CHECK(out.empty());
      } else {
        CHECK(stored.data() == out.data());
      }
      const Bytes payload(stored.begin(), stored.end());
      ReadOptions ro;
      ro.key = info.key;
      ByteView content;
      Bytes decoded(16, 0x5A);
      auto r = decode_blob(decoder, ByteView(payload), info.meta, ro, decoded, content);
      REQUIRE(r);
      CHECK(Bytes(content.begin(), content.end()) == data);
      CHECK((raw ? content.data() == payload.data() && decoded.empty() : content.data() == decoded.data()));
      // Strict's verdicts stand: a wrong key, a limit, and no content is handed out.
      ro.key = std::string(40, '0');
      CHECK(decode_blob(decoder, ByteView(payload), info.meta, ro, decoded, content).error().code == Errc::key_mismatch);
      CHECK(content.empty());
      ro.key.reset();
      ro.max_size = data.size() - 1;
      CHECK(decode_blob(decoder, ByteView(payload), info.meta, ro, decoded, content).error().code == Errc::limit_exceeded);
      CHECK(content.empty());
      CHECK(decoded.empty());
    }
  }
  // A failed encode hands out no stored bytes, whatever `stored` held before.
  for (bool raw : {true, false}) {
    EncodeOptions bad;
    bad.version = 3;
    bad.raw = raw;
    ByteView stored(out.data(), out.size());
    Status s = encoder.encode(as_bytes("x"), bad, out, stored, info);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == Errc::usage);
    CHECK(stored.empty());
  }
}

TEST_CASE("reuse: ViewOrBytesSink copies the view in before the first room, and bytes from elsewhere", "[reuse]") {
  const Bytes source = test::seeded_bytes("random", 1000, 3);
  Bytes out(8, 0x5A);
  {
    ViewOrBytesSink sink(ByteView(source), out);
    REQUIRE(sink.write(ByteView(source).first(100)).ok());
    REQUIRE(sink.write(ByteView(source).subspan(100, 50)).ok());  // contiguous: still a view
    auto room = sink.room(10);
    REQUIRE(room);
    std::fill(room->begin(), room->begin() + 10, 0xEE);
    REQUIRE(sink.commit(10).ok());
    REQUIRE(sink.write(ByteView(source).subspan(500, 5)).ok());
    ByteView got = sink.finish();
    Bytes want(source.begin(), source.begin() + 150);
    want.insert(want.end(), 10, 0xEE);
    want.insert(want.end(), source.begin() + 500, source.begin() + 505);
    CHECK(Bytes(got.begin(), got.end()) == want);
    CHECK(got.data() == out.data());
  }
  {
    ViewOrBytesSink sink(ByteView(source), out);
    REQUIRE(sink.write(ByteView(source).subspan(10, 20)).ok());
    REQUIRE(sink.write(ByteView(source).subspan(40, 5)).ok());  // a gap: copied from here on
    ByteView got = sink.finish();
    Bytes want(source.begin() + 10, source.begin() + 30);
    want.insert(want.end(), source.begin() + 40, source.begin() + 45);
    CHECK(Bytes(got.begin(), got.end()) == want);
  }
  {
    const Bytes elsewhere = {1, 2, 3};
    ViewOrBytesSink sink(ByteView(source), out);
    REQUIRE(sink.write(ByteView(elsewhere)).ok());
    ByteView got = sink.finish();
    CHECK(Bytes(got.begin(), got.end()) == elsewhere);
    CHECK(got.data() == out.data());
  }
}
