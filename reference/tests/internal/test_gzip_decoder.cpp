// GzipDecoder (spec 5.2.2) in its two configurations:
//  (a) strict defaults: the strict reader's step 9, with details;
//  (b) GzipReadOptions::python_compatible(): accepts and rejects exactly what Python 3.11's
//      gzip.GzipFile(fileobj=f).read() does, with the same bytes -- measured here against
//      /usr/bin/python3 for every truncation and every single-byte corruption of small files.
// Plus: any chunking (down to 1 byte) gives identical output, errors and reports.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <unistd.h>
#include <string>
#include <vector>

#include <zlib.h>

#include "casblob/experimental/gzip.hpp"
#include "support.hpp"

using namespace casblob;

namespace {

struct Outcome {
  bool ok = false;
  Errc code = Errc::ok;
  Detail detail = Detail::none;
  std::string message;
  Bytes out;
  std::string report;
};

std::string describe(const GzipReport& r) {
  std::ostringstream s;
  s << "members=" << r.member_count << " pad=" << r.padding_bytes << " trail=" << r.trailing_bytes
    << " in=" << r.input_size << " out=" << r.decoded_size;
  for (const auto& m : r.members)
    s << " [" << m.offset << " f" << int(m.flags) << " x" << int(m.xfl) << " os" << int(m.os) << " t" << m.mtime
      << " n" << (m.file_name ? *m.file_name : "-") << " c" << (m.comment ? *m.comment : "-") << " e"
      << (m.extra_length ? std::to_string(*m.extra_length) : "-") << " h"
      << (m.header_crc ? std::to_string(*m.header_crc) : "-") << " hs" << m.header_size << " cs"
      << m.compressed_size << " ds" << m.decoded_size << " crc" << m.crc32 << " is" << m.isize << "]";
  return s.str();
}

// seed 0: one update() with everything; seed 1: one byte per update(); else random chunks.
Outcome decode(ByteView in, const GzipReadOptions& o, std::uint64_t seed = 0) {
  MemorySink sink;
  GzipDecoder d(sink, o);
  Status s;
  if (seed == 0) {
    s = d.update(in);
    if (s) s = d.finish();
  } else if (seed == 1) {
    for (std::size_t i = 0; i < in.size() && s; ++i) s = d.update(in.subspan(i, 1));
    if (s) s = d.finish();
  } else {
    s = test::chunked_feed(d, in, seed);
  }
  Outcome r;
  r.ok = s.ok();
  r.code = s.code();
  r.detail = s.error().detail;
  r.message = s.error().message;
  r.out = sink.bytes();
  r.report = describe(d.report());
  // Errors are final: later calls return the same error.
  if (!s) {
    Status again = d.update(as_bytes("x"));
    CHECK(again.code() == s.code());
    CHECK(again.error().message == s.error().message);
    CHECK(d.finish().code() == s.code());
  }
  return r;
}

// Python's GzipFile(...).read() on each input: ok + bytes, or the exception's name.
struct PyResult {
  bool ok;
  Bytes out;  // data when ok, exception text otherwise
};
std::vector<PyResult> python_read(const std::vector<Bytes>& inputs) {
  std::string script = std::string(test::kPythonListHelpers) + R"PY(
import gzip, io
out = []
for b in read_list():
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(b), mode="rb") as f:
            out.append(b"\x01" + f.read())
    except Exception as e:
        out.append(b"\x00" + type(e).__name__.encode() + b": " + str(e).encode()[:60])
write_list(out)
)PY";
  std::vector<Bytes> raw = test::unpack_list(test::run_python(script, test::pack_list(inputs)));
  REQUIRE(raw.size() == inputs.size());
  std::vector<PyResult> res;
  for (auto& r : raw) res.push_back({r[0] == 1, Bytes(r.begin() + 1, r.end())});
  return res;
}

Bytes raw_deflate(ByteView data, int level = 6) {
  z_stream zs{};
  deflateInit2(&zs, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  Bytes out(deflateBound(&zs, data.size()) + 16);
  zs.next_in = const_cast<Bytef*>(data.data());
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

void put16(Bytes& b, unsigned v) {
  b.push_back(v & 0xff);
  b.push_back((v >> 8) & 0xff);
}
void put32(Bytes& b, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

struct MemberSpec {
  std::string data;
  std::uint8_t flg = 0;  // FEXTRA/FNAME/FCOMMENT/FHCRC bits decide the optional fields
  std::string extra = std::string("AB\x02\x00xy", 6), name = "blob.bin", comment = "a comment";
  bool bad_hcrc = false;
};

// A gzip member built by hand, so that every optional header field can be present.
Bytes member(const MemberSpec& m) {
  Bytes b = {0x1f, 0x8b, 8, m.flg};
  put32(b, 1700000000u);
  b.push_back(0);
  b.push_back(3);
  if (m.flg & 0x04) {
    put16(b, static_cast<unsigned>(m.extra.size()));
    b.insert(b.end(), m.extra.begin(), m.extra.end());
  }
  if (m.flg & 0x08) {
    b.insert(b.end(), m.name.begin(), m.name.end());
    b.push_back(0);
  }
  if (m.flg & 0x10) {
    b.insert(b.end(), m.comment.begin(), m.comment.end());
    b.push_back(0);
  }
  if (m.flg & 0x02) {
    std::uint32_t c = static_cast<std::uint32_t>(crc32(0, b.data(), static_cast<uInt>(b.size())));
    put16(b, (c & 0xffff) ^ (m.bad_hcrc ? 1u : 0u));
  }
  Bytes d = raw_deflate(as_bytes(m.data));
  b.insert(b.end(), d.begin(), d.end());
  put32(b, static_cast<std::uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size()))));
  put32(b, static_cast<std::uint32_t>(m.data.size()));
  return b;
}

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes b;
  for (const auto& p : parts) b.insert(b.end(), p.begin(), p.end());
  return b;
}

Bytes bytes_of(std::initializer_list<int> v) {
  Bytes b;
  for (int x : v) b.push_back(static_cast<std::uint8_t>(x));
  return b;
}

// The small files whose truncations and corruptions are compared with Python.
std::vector<Bytes> base_files() {
  Bytes plain = member({"hello hello hello casblob"});
  Bytes all_fields = member({"fields!", 0x04 | 0x08 | 0x10 | 0x02});
  Bytes hcrc_only = member({"x", 0x02});
  Bytes empty_member = member({""});
  return {
      plain,
      cat({member({"first "}), empty_member, member({"second", 0x08})}),  // multi-member + FNAME
      all_fields,                                                        // FEXTRA FNAME FCOMMENT FHCRC
      cat({hcrc_only, bytes_of({0, 0, 0}), member({"after padding", 0x04})}),
      cat({plain, bytes_of({0, 0})}),
  };
}

}  // namespace

TEST_CASE("gzip decoder: python-compatible mode matches Python 3.11 on every truncation and byte corruption",
          "[gzip_decoder][python]") {
  std::vector<Bytes> inputs;
  for (const Bytes& f : base_files()) {
    for (std::size_t n = 0; n <= f.size(); ++n) inputs.emplace_back(f.begin(), f.begin() + n);
    for (std::size_t i = 0; i < f.size(); ++i)
      for (int v = 0; v < 256; ++v) {
        if (v == f[i]) continue;
        Bytes c = f;
        c[i] = static_cast<std::uint8_t>(v);
        inputs.push_back(std::move(c));
      }
  }
  std::vector<PyResult> py = python_read(inputs);
  const GzipReadOptions compat = GzipReadOptions::python_compatible();
  const GzipReadOptions strict;
  std::size_t accepted = 0, strict_stricter = 0, mismatches = 0;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Outcome ours = decode(inputs[i], compat, i % 3 == 0 ? 0 : 10 + i);
    bool same = ours.ok == py[i].ok && (!ours.ok || ours.out == py[i].out);
    if (!same && ++mismatches <= 10) {
      INFO("input " << test::hex(inputs[i]) << "\npython: " << (py[i].ok ? "ok " + test::hex(py[i].out) : std::string(py[i].out.begin(), py[i].out.end()))
                    << "\nours: " << (ours.ok ? "ok " + test::hex(ours.out) : ours.message));
      CHECK(same);
    }
    accepted += py[i].ok;
    // Strict accepts a subset, with the same bytes.
    Outcome s = decode(inputs[i], strict);
    if (s.ok) {
      CHECK(py[i].ok);
      CHECK((s.out == py[i].out));
    } else if (py[i].ok) {
      ++strict_stricter;
    }
  }
  CHECK(mismatches == 0);
  INFO("accepted by Python: " << accepted << " of " << inputs.size() << "; strict rejects " << strict_stricter << " of those");
  CHECK(accepted > 100);
  CHECK(strict_stricter > 0);
}

TEST_CASE("gzip decoder: hand-picked edge cases against Python and the strict details", "[gzip_decoder][python]") {
  Bytes plain = member({"hello"});
  Bytes bad_cm = plain;
  bad_cm[2] = 7;
  Bytes reserved = plain;
  reserved[3] = 0x20;
  MemberSpec hs{"hi", 0x02};
  hs.bad_hcrc = true;
  Bytes bad_hcrc = member(hs);
  Bytes extra_long = bytes_of({0x1f, 0x8b, 8, 0x04, 0, 0, 0, 0, 0, 3, 0xff, 0x00, 1, 2, 3});
  Bytes bad_crc = plain;
  bad_crc[bad_crc.size() - 8] ^= 1;
  Bytes bad_isize = plain;
  bad_isize[bad_isize.size() - 4] ^= 1;
  Bytes bad_deflate = bytes_of({0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0});
  struct Case {
    const char* what;
    Bytes in;
    bool strict_ok;
    Detail strict_detail;
  };
  std::vector<Case> cases = {
      {"empty input", {}, false, Detail::truncated},
      {"only NULs", bytes_of({0, 0, 0}), false, Detail::bad_magic},
      {"lone 1f", bytes_of({0x1f}), false, Detail::truncated},
      {"1f 8b", bytes_of({0x1f, 0x8b}), false, Detail::truncated},
      {"not gzip", text("hello"), false, Detail::bad_magic},
      {"plain", plain, true, Detail::none},
      {"CM 7", bad_cm, false, Detail::header},
      {"reserved FLG bit", reserved, false, Detail::header},
      {"FHCRC wrong", bad_hcrc, false, Detail::header},
      {"FEXTRA longer than input", extra_long, false, Detail::truncated},
      {"CRC32 wrong", bad_crc, false, Detail::checksum},
      {"ISIZE wrong", bad_isize, false, Detail::size_mismatch},
      {"bad deflate", bad_deflate, false, Detail::data},
      {"member + NULs", cat({plain, bytes_of({0, 0, 0, 0})}), true, Detail::none},
      {"member + NULs + garbage", cat({plain, bytes_of({0, 0, 'x'})}), false, Detail::trailing_data},
      {"member + garbage", cat({plain, text("junk")}), false, Detail::trailing_data},
      {"member + lone 1f", cat({plain, bytes_of({0x1f})}), false, Detail::truncated},
      {"member + 1f 00", cat({plain, bytes_of({0x1f, 0})}), false, Detail::trailing_data},
      {"member + 1f 8b", cat({plain, bytes_of({0x1f, 0x8b})}), false, Detail::truncated},
      {"member + NUL + member", cat({plain, bytes_of({0}), plain}), true, Detail::none},
      {"two members", cat({plain, plain}), true, Detail::none},
      {"member truncated in trailer", Bytes(plain.begin(), plain.end() - 3), false, Detail::truncated},
      {"member truncated in deflate", Bytes(plain.begin(), plain.begin() + 12), false, Detail::truncated},
  };
  std::vector<Bytes> inputs;
  for (const auto& c : cases) inputs.push_back(c.in);
  std::vector<PyResult> py = python_read(inputs);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].what);
    Outcome s = decode(cases[i].in, GzipReadOptions{});
    CHECK(s.ok == cases[i].strict_ok);
    CHECK(name(s.detail) == name(cases[i].strict_detail));
    if (!s.ok) CHECK(s.code == Errc::corrupt);
    Outcome c = decode(cases[i].in, GzipReadOptions::python_compatible());
    CHECK(c.ok == py[i].ok);
    if (c.ok && py[i].ok) CHECK((c.out == py[i].out));
  }
  // Where Python is laxer than strict (hazards the spec records).
  CHECK(py[0].ok);   // empty input -> b""
  CHECK(py[7].ok);   // reserved FLG bits ignored
  CHECK(py[8].ok);   // FHCRC not verified
}

TEST_CASE("gzip decoder: any chunking gives identical output, errors and reports", "[gzip_decoder]") {
  std::vector<Bytes> inputs;
  for (const Bytes& f : base_files()) {
    for (std::size_t n = 0; n <= f.size(); n += 3) inputs.emplace_back(f.begin(), f.begin() + n);
    for (std::size_t i = 0; i < f.size(); i += 2) {
      Bytes c = f;
      c[i] ^= 0x41;
      inputs.push_back(std::move(c));
    }
  }
  Bytes big = test::seeded_bytes("text", 3 << 20, 5);
  MemorySink gz;
  GzipWriter w(gz);
  REQUIRE(w.write(big).ok());
  REQUIRE(w.finish().ok());
  inputs.push_back(cat({gz.bytes(), bytes_of({0, 0}), gz.bytes()}));
  Bytes broken = gz.bytes();
  broken[broken.size() / 2] ^= 0x10;
  inputs.push_back(broken);
  GzipReadOptions stop;
  stop.stop_at_trailing_data = true;
  for (const auto& o : {GzipReadOptions{}, GzipReadOptions::python_compatible(), stop}) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      Outcome a = decode(inputs[i], o, 0);
      for (std::uint64_t seed : {1ull, 7ull + i}) {
        if (seed == 1 && inputs[i].size() > 100000) continue;
        Outcome b = decode(inputs[i], o, seed);
        INFO("input " << i << " seed " << seed);
        CHECK(a.ok == b.ok);
        CHECK(a.message == b.message);
        CHECK(name(a.detail) == name(b.detail));
        CHECK((a.out == b.out));
        CHECK(a.report == b.report);
      }
    }
  }
}

TEST_CASE("gzip decoder: report fields and stop_at_trailing_data", "[gzip_decoder]") {
  MemberSpec m{"fields!", 0x04 | 0x08 | 0x10 | 0x02};
  Bytes f = cat({member(m), bytes_of({0, 0}), member({"two"}), text("TRAILER")});
  CHECK(decode(f, GzipReadOptions{}).detail == Detail::trailing_data);
  GzipReadOptions o;
  o.stop_at_trailing_data = true;
  MemorySink sink;
  GzipDecoder d(sink, o);
  REQUIRE(d.update(f).ok());
  REQUIRE(d.finish().ok());
  const GzipReport& r = d.report();
  CHECK(std::string(sink.bytes().begin(), sink.bytes().end()) == "fields!two");
  REQUIRE(r.member_count == 2);
  REQUIRE(r.members.size() == 2);
  CHECK(r.members[0].offset == 0);
  CHECK(r.members[0].flags == 0x1e);
  CHECK(r.members[0].os == 3);
  CHECK(r.members[0].mtime == 1700000000u);
  CHECK(r.members[0].file_name == std::optional<std::string>("blob.bin"));
  CHECK(r.members[0].comment == std::optional<std::string>("a comment"));
  CHECK(r.members[0].extra_length == std::optional<std::uint32_t>(6));
  CHECK(r.members[0].header_crc.has_value());
  CHECK(r.members[0].decoded_size == 7);
  CHECK(r.members[0].isize == 7);
  CHECK(r.members[1].offset == member(m).size() + 2);
  CHECK(r.padding_bytes == 2);
  CHECK(r.trailing_bytes == 7);
  CHECK(r.input_size == f.size());
  CHECK(r.decoded_size == 10);
}

TEST_CASE("gzip decoder: sink errors stop decoding and are final", "[gzip_decoder]") {
  struct Full final : Sink {
    Status write(ByteView) override { return Error(Errc::limit_exceeded, "full"); }
  } full;
  GzipDecoder d(full);
  Status s = d.update(member({"some data"}));
  CHECK(s.code() == Errc::limit_exceeded);
  CHECK(d.finish().code() == Errc::limit_exceeded);
}

TEST_CASE("gzip decoder: files written by the gzip CLI (FNAME, levels, concatenation)", "[gzip_decoder]") {
  Bytes data = test::seeded_bytes("text", 300001, 21);
  std::string dir = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  std::string in = dir + "/casblob-gzcli-" + std::to_string(::getpid()) + ".bin";
  {
    std::ofstream f(in, std::ios::binary);
    f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  }
  Bytes all;
  std::size_t files = 0;
  for (std::vector<std::string> flags : {std::vector<std::string>{}, {"-1"}, {"-9"}, {"-n"}}) {
    std::vector<std::string> argv = {"gzip", "-c"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    argv.push_back(in);
    test::CommandResult r = test::run_command(argv);
    REQUIRE(r.exit == 0);
    Outcome o = decode(r.stdout_bytes, GzipReadOptions{}, 4);
    CHECK(o.ok);
    CHECK((o.out == data));
    all.insert(all.end(), r.stdout_bytes.begin(), r.stdout_bytes.end());
    ++files;
  }
  std::remove(in.c_str());
  MemorySink sink;
  GzipDecoder d(sink);
  REQUIRE(d.update(all).ok());
  REQUIRE(d.finish().ok());
  CHECK(sink.bytes().size() == data.size() * files);
  REQUIRE(d.report().member_count == files);
  // gzip(1) stores the base name (FNAME) unless -n.
  CHECK(d.report().members[0].file_name.has_value());
  CHECK(d.report().members[0].file_name->find("casblob-gzcli-") == 0);
  CHECK_FALSE(d.report().members[3].file_name.has_value());
}

TEST_CASE("gzip decoder: the spec's examples (R-R1-1, R-R1-7)", "[gzip_decoder]") {
  CHECK(decode(bytes_of({0x1f, 0x8b, 0x2a}), GzipReadOptions{}).detail == Detail::header);
  CHECK(decode(bytes_of({0x1f, 0x8b, 0x08}), GzipReadOptions{}).detail == Detail::truncated);
  CHECK(decode(bytes_of({0x1f, 0x8b, 0x08, 0x20}), GzipReadOptions{}).detail == Detail::header);
  CHECK(decode(cat({member({"a"}), bytes_of({0x1f})}), GzipReadOptions{}).detail == Detail::truncated);
}

TEST_CASE("gzip decoder: long FNAME and FCOMMENT fields in any chunks: CRC16 checked over all of them, the report keeps 64 KiB (F25/F26)", "[gzip_decoder]") {
  // The fields are scanned in bulk; the header CRC must still cover every byte, however the
  // input is cut (a field split over chunks, a chunk ending on the terminator).
  MemberSpec m{"content", 0x08 | 0x10 | 0x02};
  m.name = std::string(300000, 'n');
  m.comment = std::string(70000, 'c') + "end";
  const Bytes good = member(m);
  m.bad_hcrc = true;
  const Bytes bad = member(m);
  for (std::size_t chunk : {std::size_t{1} << 20, std::size_t{65536}, std::size_t{4097}, std::size_t{1}}) {
    INFO("chunk " << chunk);
    MemorySink sink;
    GzipDecoder d(sink, GzipReadOptions{});
    Status s;
    for (std::size_t i = 0; i < good.size() && s.ok(); i += chunk)
      s = d.update(ByteView(good).subspan(i, std::min(chunk, good.size() - i)));
    REQUIRE(s.ok());
    REQUIRE(d.finish().ok());
    CHECK(std::string(sink.bytes().begin(), sink.bytes().end()) == "content");
    REQUIRE(d.report().members.size() == 1);
    CHECK(d.report().members[0].file_name == std::optional<std::string>(std::string(65536, 'n')));
    CHECK(d.report().members[0].comment == std::optional<std::string>(std::string(65536, 'c')));

    MemorySink sink2;
    GzipDecoder d2(sink2, GzipReadOptions{});
    Status s2;
    for (std::size_t i = 0; i < bad.size() && s2.ok(); i += chunk)
      s2 = d2.update(ByteView(bad).subspan(i, std::min(chunk, bad.size() - i)));
    if (s2.ok()) s2 = Status(d2.finish());
    REQUIRE_FALSE(s2.ok());
    CHECK(s2.error().detail == Detail::header);
    CHECK(s2.error().message.find("header CRC16 mismatch") != std::string::npos);
    CHECK(sink2.bytes().empty());
  }
}
