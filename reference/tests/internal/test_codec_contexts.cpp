// Reusable codec contexts and in-place output (issue 19):
//  * reset() makes a decoder or writer behave exactly like a freshly constructed one (same
//    output, status and report; for the writers the same bytes), whatever it decoded or
//    failed on before -- so a long-lived owner can keep one per thread;
//  * a DirectSink gets exactly what a plain Sink gets (the decoders write in place instead of
//    copying), for any chunking of the input;
//  * buffers sized to the stored content size never change an error class.
// Inputs: every payload of the fixture corpus, plus generated and mutated frames/members.
#include <catch2/catch.hpp>

#ifdef CASBLOB_WITH_LZ4
#include <lz4.h>
#endif

#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "casblob/experimental/direct_sink.hpp"
#include "casblob/experimental/gzip.hpp"
#include "casblob/experimental/lz4_frame.hpp"
#include "codecs/xxhash32.hpp"
#include "read/digest_sink.hpp"
#include "read/limit_sink.hpp"
#include "support.hpp"

using namespace casblob;

namespace {

Bytes slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

// Every payload of the fixture corpus (fixtures/cases/<case>/<key[:2]>/<key>).
const std::vector<Bytes>& fixture_payloads() {
  static const std::vector<Bytes> all = [] {
    std::vector<Bytes> v;
    std::vector<std::filesystem::path> paths;
    for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(CASBLOB_SOURCE_DIR) + "/fixtures/cases"))
      if (e.is_regular_file() && e.path().filename().string().find("_meta") == std::string::npos)
        paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& p : paths) v.push_back(slurp(p));
    return v;
  }();
  return all;
}

// Truncations and byte flips of `b`, deterministic.
std::vector<Bytes> mutations(const Bytes& b, std::uint64_t seed, int n) {
  std::vector<Bytes> out;
  std::mt19937_64 rng(seed);
  for (int i = 0; i < n && !b.empty(); ++i) {
    Bytes m = b;
    if (i % 3 == 0) {
      m.resize(rng() % b.size());
    } else {
      m[rng() % m.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
    }
    out.push_back(std::move(m));
  }
  return out;
}

std::string describe(const GzipReport& r) {
  std::ostringstream s;
  s << "members=" << r.member_count << " pad=" << r.padding_bytes << " trail=" << r.trailing_bytes
    << " in=" << r.input_size << " out=" << r.decoded_size;
  for (const auto& m : r.members)
    s << " [" << m.offset << " hs" << m.header_size << " cs" << m.compressed_size << " ds" << m.decoded_size << "]";
  return s.str();
}

std::string describe(const Lz4Report& r) {
  std::ostringstream s;
  s << "frames=" << r.frame_count << " trail=" << r.trailing_bytes << " in=" << r.input_size
    << " out=" << r.decoded_size;
  for (const auto& f : r.frames) {
    s << " [" << f.offset << " skip" << f.skippable << " cs" << (f.content_size ? std::to_string(*f.content_size) : "-")
      << " blocks" << f.block_count << " ds" << f.decoded_size;
    // The block entries too: a reused decoder keeps the same 4096 a fresh one does.
    for (const auto& b : f.blocks) s << " b" << b.offset << (b.uncompressed ? "u" : "c") << b.stored_size;
    s << "]";
  }
  return s.str();
}

struct Run {
  std::string status;  // label + message
  Bytes out;
  std::string report;
  bool operator==(const Run&) const = default;
};

template <class Decoder>
Run feed(Decoder& d, ByteView in, std::uint64_t seed) {
  Status s;
  if (seed == 0) {
    s = d.update(in);
    if (s) s = d.finish();
  } else {
    s = test::chunked_feed(d, in, seed);
  }
  Run r;
  r.status = s.ok() ? "ok" : s.error().label() + ": " + s.error().message;
  r.report = describe(d.report());
  return r;
}

// A fresh decoder per input, into a MemorySink: the reference.
template <class Decoder, class Options>
Run fresh(ByteView in, const Options& o, std::uint64_t seed = 0) {
  MemorySink sink;
  Decoder d(sink, o);
  Run r = feed(d, in, seed);
  r.out = sink.bytes();
  return r;
}

template <class Decoder, class Options>
void check_reuse_and_direct(const std::vector<Bytes>& inputs, const std::vector<Options>& options) {
  // One decoder for everything, reset between inputs, alternating plain and direct sinks; one
  // reused output vector for the direct runs.
  MemorySink first;
  Decoder reused(first, options.front());
  Bytes direct_out(3 << 20, 0xAA);  // reused and larger than most outputs: must be cut to size
  std::size_t i = 0;
  for (const Bytes& in : inputs) {
    for (const Options& o : options) {
      const std::uint64_t seed = i % 3 == 0 ? 0 : 1000 + i;
      const Run want = fresh<Decoder>(in, o);
      INFO("input " << i << " (" << in.size() << " bytes), status " << want.status);
      MemorySink plain;
      reused.reset(plain, o);
      Run got = feed(reused, in, seed);
      got.out = plain.bytes();
      CHECK(got == want);

      BytesDirectSink direct(direct_out);
      reused.reset(direct, o);
      got = feed(reused, in, seed + 1);
      direct.finish();
      got.out = direct_out;
      CHECK(got == want);
      ++i;
    }
  }
}

std::vector<Bytes> gzip_inputs() {
  std::vector<Bytes> v;
  for (const Bytes& p : fixture_payloads()) {
    v.push_back(p);
    if (p.size() < 4096)
      for (Bytes& m : mutations(p, p.size(), 4)) v.push_back(std::move(m));
  }
  for (int level : {0, 1, 3, 9}) {
    for (const char* kind : {"text", "random", "zeros"}) {
      MemorySink s;
      GzipWriteOptions o;
      o.level = level;
      GzipWriter w(s, o);
      REQUIRE(w.write(test::seeded_bytes(kind, 300000, level)).ok());
      REQUIRE(w.finish().ok());
      v.push_back(s.bytes());
    }
  }
  return v;
}

}  // namespace

TEST_CASE("contexts: a reset gzip decoder equals a fresh one, into plain and direct sinks", "[contexts][gzip_decoder]") {
  GzipReadOptions trailing;
  trailing.stop_at_trailing_data = true;
  check_reuse_and_direct<GzipDecoder>(gzip_inputs(), std::vector<GzipReadOptions>{
                                                         GzipReadOptions{}, GzipReadOptions::python_compatible(), trailing});
}

#ifdef CASBLOB_WITH_LZ4
namespace {

Bytes lz4_frame(ByteView data, Lz4WriteOptions o, bool store_size = true) {
  if (store_size) o.content_size = data.size();
  MemorySink s;
  Lz4Writer w(s, o);
  REQUIRE(w.write(data).ok());
  REQUIRE(w.finish().ok());
  return s.bytes();
}

std::vector<Bytes> lz4_inputs() {
  std::vector<Bytes> v;
  for (const Bytes& p : fixture_payloads()) {
    v.push_back(p);
    if (p.size() < 4096)
      for (Bytes& m : mutations(p, p.size() + 7, 4)) v.push_back(std::move(m));
  }
  // Linked and independent blocks, raw (incompressible) and compressed, with and without a
  // stored size, past the history buffer's wrap-around; checksums; mutated copies.
  for (bool independent : {false, true}) {
    for (const char* kind : {"text", "random", "float64"}) {
      Lz4WriteOptions o;
      o.independent_blocks = independent;
      o.block_checksum = independent;
      o.content_checksum = !independent;
      Bytes data = test::seeded_bytes(kind, 700000, independent ? 3 : 4);
      Bytes f = lz4_frame(data, o);
      v.push_back(f);
      v.push_back(lz4_frame(data, o, false));
      for (Bytes& m : mutations(f, f.size(), 6)) v.push_back(std::move(m));
    }
  }
  return v;
}

// The frame's content size lowered: the last block then decodes past it (size_mismatch), and
// an invalid block under such a size stays invalid data -- whatever room the decoder gives it.
Bytes with_content_size(Bytes frame, std::uint64_t cs) {
  REQUIRE((frame[4] & 0x08) != 0);
  for (int i = 0; i < 8; ++i) frame[6 + i] = static_cast<std::uint8_t>(cs >> (8 * i));
  return frame;
}

}  // namespace

TEST_CASE("contexts: a reset lz4 decoder equals a fresh one, into plain and direct sinks", "[contexts][lz4_decoder]") {
  Lz4ReadOptions lenient;
  lenient.reject_dict_id = false;
  lenient.content_size_zero_is_unknown = true;
  check_reuse_and_direct<Lz4Decoder>(lz4_inputs(), std::vector<Lz4ReadOptions>{
                                                       Lz4ReadOptions{}, Lz4ReadOptions::python_compatible(), lenient});
}

TEST_CASE("contexts: buffers sized to the content size keep the error classes", "[contexts][lz4_decoder]") {
  // The header checksum covers the content size: rewrite it, then fix HC. The strict reader
  // decides at the block that passes the size: size_mismatch if the block is valid, data if
  // not, exactly as with block-sized buffers.
  auto fix_hc = [](Bytes f) {
    std::size_t desc = 3 + 8;  // FLG BD content size (python-lz4 frames: no dict id)
    // XXH32 of FLG..content size, second byte; computed by the decoder's own rule.
    Lz4ReadOptions o;
    for (int v = 0; v < 256; ++v) {
      f[4 + desc - 1] = static_cast<std::uint8_t>(v);
      MemorySink s;
      Lz4Decoder d(s, o);
      Status st = d.update(ByteView(f).first(4 + desc));
      if (st.ok()) return f;
    }
    FAIL("no header checksum");
    return f;
  };
  for (bool independent : {false, true}) {
    Lz4WriteOptions o;
    o.independent_blocks = independent;
    const Bytes data = test::seeded_bytes("text", 200000, 9);
    const Bytes frame = lz4_frame(data, o);
    for (std::uint64_t cs : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{100}, std::uint64_t{65536},
                             std::uint64_t{65537}, std::uint64_t{199999}}) {
      Bytes f = fix_hc(with_content_size(frame, cs));
      for (std::uint64_t seed : {0u, 1u, 77u}) {
        MemorySink sink;
        Lz4Decoder d(sink);
        Status s = seed ? test::chunked_feed(d, f, seed) : (d.update(f).ok() ? d.finish() : d.finish());
        INFO("independent " << independent << " content size " << cs << " seed " << seed);
        CHECK(s.error().label() == "corrupt/size_mismatch");
      }
      // A corrupted first block: its class is what liblz4 says of the block alone with the
      // whole block room (invalid: data; valid but longer than the content size:
      // size_mismatch), into both kinds of sink.
      for (int flip = 0; flip < 40; ++flip) {
        Bytes bad = f;
        const std::size_t block = 4 + 11 + 4;  // magic, FLG BD size(8) HC, block size word
        const std::uint32_t word = bad[15] | bad[16] << 8 | bad[17] << 16 | std::uint32_t{bad[18]} << 24;
        if (word & 0x80000000u) continue;  // stored block
        bad[block + (flip * 7919) % (word & 0x7FFFFFFF)] ^= static_cast<std::uint8_t>(1 + flip);
        Bytes tmp(4u << 20);
        int k = LZ4_decompress_safe(reinterpret_cast<const char*>(bad.data() + block), reinterpret_cast<char*>(tmp.data()),
                                    static_cast<int>(word), 65536);
        std::string want = k < 0 ? "corrupt/data" : static_cast<std::uint64_t>(k) > cs ? "corrupt/size_mismatch" : "";
        if (want.empty()) continue;  // decided later in the frame
        Bytes out;
        BytesDirectSink direct_sink(out);
        MemorySink plain;
        for (Sink* sink : {static_cast<Sink*>(&plain), static_cast<Sink*>(&direct_sink)}) {
          Lz4Decoder d(*sink);
          Status st = d.update(bad);
          if (st.ok()) st = d.finish();
          INFO("flip " << flip << " content size " << cs << " independent " << independent);
          CHECK(st.error().label() == want);
        }
      }
    }
  }
}
#endif

// ---- writers ------------------------------------------------------------------------------

TEST_CASE("contexts: a reset gzip writer writes a fresh writer's bytes", "[contexts][gzip_writer]") {
  MemorySink first;
  GzipWriter reused(first);
  std::uint64_t seed = 1;
  for (int level : {3, 3, 1, 9, 0, 3, 6}) {
    for (const char* kind : {"text", "random", "float64", "zeros"}) {
      for (std::size_t n : {std::size_t{0}, std::size_t{234}, std::size_t{70000}, std::size_t{300001}}) {
        GzipWriteOptions o;
        o.level = level;
        o.mtime = static_cast<std::uint32_t>(seed);
        if (seed % 3 == 0) o.file_name = "blob.bin";
        const Bytes data = test::seeded_bytes(kind, n, seed);
        MemorySink want_sink;
        GzipWriter fresh_writer(want_sink, o);
        REQUIRE(test::chunked_write(fresh_writer, data, seed).ok());
        MemorySink got_sink;
        reused.reset(got_sink, o);
        REQUIRE(test::chunked_write(reused, data, seed).ok());  // same split: zlib level 0 depends on it
        INFO("level " << level << " " << kind << " " << n);
        CHECK(got_sink.bytes() == want_sink.bytes());
        ++seed;
      }
    }
    // A writer abandoned mid-stream or failed is as good as new after reset().
    MemorySink junk;
    reused.reset(junk);
    REQUIRE(reused.write(test::seeded_bytes("text", 100000, 5)).ok());
    GzipWriteOptions bad;
    bad.level = 42;
    reused.reset(junk, bad);
    CHECK(reused.finish().code() == Errc::usage);
  }
}

#ifdef CASBLOB_WITH_LZ4
TEST_CASE("contexts: a reset lz4 writer writes a fresh writer's bytes", "[contexts][lz4_writer][slow]") {
  MemorySink first;
  Lz4Writer reused(first);
  std::uint64_t seed = 1;
  for (int level : {0, 1, 3, 9, 12, 0, 12, 2, 1, 4}) {  // every kind of level change
    for (int bits = 0; bits < 16; ++bits) {
      Lz4WriteOptions o;
      o.level = level;
      o.independent_blocks = bits & 1;
      o.content_checksum = bits & 2;
      o.block_checksum = bits & 4;
      o.block_size = (bits & 8) ? Lz4BlockSize::max256KB : Lz4BlockSize::max64KB;
      for (std::size_t n : {std::size_t{0}, std::size_t{234}, std::size_t{65537}, std::size_t{400000}}) {
        const Bytes data = test::seeded_bytes(seed % 2 ? "text" : "float64", n, seed);
        Lz4WriteOptions oo = o;
        if (seed % 4 != 0) oo.content_size = n;
        MemorySink want_sink;
        Lz4Writer fresh_writer(want_sink, oo);
        REQUIRE(test::chunked_write(fresh_writer, data, seed).ok());
        MemorySink got_sink;
        reused.reset(got_sink, oo);
        REQUIRE(test::chunked_write(reused, data, seed).ok());  // same split: zlib level 0 depends on it
        INFO("level " << level << " options " << bits << " size " << n);
        CHECK(got_sink.bytes() == want_sink.bytes());
        ++seed;
      }
    }
    MemorySink junk;
    reused.reset(junk);
    REQUIRE(reused.write(test::seeded_bytes("text", 100000, 5)).ok());  // abandoned mid-frame
  }
}
#endif

TEST_CASE("contexts: BytesDirectSink fills a reused vector from its start", "[contexts]") {
  Bytes v = {9, 9, 9, 9, 9, 9, 9, 9};
  BytesDirectSink s(v);
  auto r = s.room(3);
  REQUIRE(r.ok());
  REQUIRE(r->size() >= 3);
  (*r)[0] = 1;
  (*r)[1] = 2;
  REQUIRE(s.commit(2).ok());
  REQUIRE(s.write(as_bytes("xyz")).ok());
  CHECK(s.commit(100).code() == Errc::usage);
  s.finish();
  CHECK(v == Bytes{1, 2, 'x', 'y', 'z'});
  BytesDirectSink again(v);
  REQUIRE(again.write(test::seeded_bytes("random", 100000)).ok());
  again.finish();
  CHECK(v == test::seeded_bytes("random", 100000));
}

// The gzip decoder writes on into what is left of a room after a commit (direct_sink.hpp):
// every DirectSink on the read path must keep that rest valid and count it from where the last
// commit ended. With DigestSink hashing each commit from the room's start, the digest below
// would be that of "abcabcd".
TEST_CASE("contexts: after commit() the rest of a room stays room, through the digest and limit sinks", "[contexts]") {
  auto fill = [](std::span<std::uint8_t> r, const char* text) { std::memcpy(r.data(), text, std::strlen(text)); };
  Bytes v;
  BytesDirectSink bytes(v);
  detail::DigestSink digest;
  digest.reset(bytes);
  detail::LimitSink limit(digest, 7);
  auto r = limit.room(16);
  REQUIRE(r.ok());
  REQUIRE(r->size() >= 16);
  fill(*r, "abc");
  REQUIRE(limit.commit(3).ok());
  fill(r->subspan(3), "defg");
  REQUIRE(limit.commit(4).ok());
  bytes.finish();
  CHECK(v == Bytes{'a', 'b', 'c', 'd', 'e', 'f', 'g'});
  CHECK(digest.count() == 7);
  CHECK(digest.hex_digest().value() == "2fb5e13419fc89246865e7a324f476ec624e8740");  // hashlib.sha1(b"abcdefg")
  fill(r->subspan(7), "h");
  CHECK(limit.commit(1).code() == Errc::limit_exceeded);  // still counted from the same room
}

#ifdef CASBLOB_WITH_LZ4
TEST_CASE("contexts: a block liblz4 accepts only with a block-sized room is still accepted", "[contexts][lz4_decoder][python]") {
  // liblz4 judges literals against the end of the *room* (MFLIMIT: a literal run ending within
  // 12 bytes of the room's end must be the block's last): this block's first literal run
  // ends 9 bytes before the end of its 13-byte output, so LZ4_decompress_safe rejects it with
  // exactly 13 bytes of room and accepts it with 64 KiB, as python-lz4's LZ4F_decompress
  // decodes it. A decoder that sizes the room to the content size (13) must judge it as with
  // the block room: found by the census (a v2 bitflip mutant moved from data to
  // size_mismatch), fixed in Lz4Decoder::decode_compressed.
  const Bytes block = {0x40, 'a', 'b', 'c', 'd', 0x04, 0x00, 0x50, 'v', 'w', 'x', 'y', 'z'};  // "abcd" match(4,4) "vwxyz"
  Bytes frame = {0x04, 0x22, 0x4D, 0x18, 0x68, 0x40, 13, 0, 0, 0, 0, 0, 0, 0};  // independent, content size 13
  frame.push_back(static_cast<std::uint8_t>(detail::xxh32(frame.data() + 4, 10, 0) >> 8));
  frame.insert(frame.end(), {static_cast<std::uint8_t>(block.size()), 0, 0, 0});
  frame.insert(frame.end(), block.begin(), block.end());
  frame.insert(frame.end(), {0, 0, 0, 0});
  const Bytes want = {'a', 'b', 'c', 'd', 'a', 'b', 'c', 'd', 'v', 'w', 'x', 'y', 'z'};

  std::string script = std::string(test::kPythonListHelpers) + R"PY(
import lz4.frame
write_list([lz4.frame.decompress(b) for b in read_list()])
)PY";
  auto py = test::unpack_list(test::run_python(script, test::pack_list({frame})));
  REQUIRE(py.size() == 1);
  CHECK(py[0] == want);  // ground truth: python-lz4 accepts it

  for (const Lz4ReadOptions& o : {Lz4ReadOptions{}, Lz4ReadOptions::python_compatible()}) {
    const Run plain = fresh<Lz4Decoder>(frame, o);
    CHECK(plain.status == "ok");
    CHECK(plain.out == want);
    Bytes out;
    BytesDirectSink direct(out);
    Lz4Decoder d(direct, o);
    Status s = d.update(frame);
    if (s) s = d.finish();
    direct.finish();
    CHECK(s.ok());
    CHECK(out == want);
  }
}
#endif
