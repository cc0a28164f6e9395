// Lz4Writer (spec 5.4.1) is byte-identical to python-lz4 4.0.2 lz4.frame.compress(...) for
// every option and any split of the input into write() calls. Ground truth: /usr/bin/python3.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "casblob/experimental/lz4_frame.hpp"
#include "support.hpp"

using namespace casblob;

#ifdef CASBLOB_WITH_LZ4

namespace {

struct Case {
  Lz4WriteOptions o;
  int py_block_size = 0;  // python block_size argument (0 = BLOCKSIZE_DEFAULT)
  bool store_size = true;
  Bytes data;
};

std::vector<Bytes> python_lz4(const std::vector<Case>& cases) {
  std::vector<Bytes> items;
  for (const auto& c : cases) {
    std::string p = std::to_string(c.o.level) + " " + std::to_string(c.py_block_size) + " " +
                    std::to_string(c.o.content_checksum) + " " + std::to_string(c.o.block_checksum) + " " +
                    std::to_string(!c.o.independent_blocks) + " " + std::to_string(c.store_size);
    items.push_back(Bytes(p.begin(), p.end()));
    items.push_back(c.data);
  }
  std::string script = std::string(test::kPythonListHelpers) + R"PY(
import lz4.frame
items = read_list()
out = []
for i in range(0, len(items), 2):
    level, bs, cc, bc, linked, store = map(int, items[i].split())
    out.append(lz4.frame.compress(items[i + 1], compression_level=level, block_size=bs,
                                  content_checksum=bool(cc), block_checksum=bool(bc),
                                  block_linked=bool(linked), store_size=bool(store)))
write_list(out)
)PY";
  return test::unpack_list(test::run_python(script, test::pack_list(items)));
}

Bytes ours(const Case& c, std::uint64_t seed) {
  MemorySink sink;
  Lz4WriteOptions o = c.o;
  if (c.store_size)
    o.content_size = c.data.size();
  else
    o.size_hint = c.data.size();
  Lz4Writer w(sink, o);
  Status s = seed == 0 ? (w.write(c.data).ok() ? w.finish() : Status(Error(Errc::io_error, "write")))
                       : test::chunked_write(w, c.data, seed);
  REQUIRE(s.ok());
  return sink.bytes();
}

Case make(std::size_t n, const char* kind, std::uint64_t seed = 1) {
  Case c;
  c.data = test::seeded_bytes(kind, n, seed);
  return c;
}

void compare(const std::vector<Case>& cases) {
  std::vector<Bytes> want = python_lz4(cases);
  REQUIRE(want.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const Case& c = cases[i];
    INFO("case " << i << ": size " << c.data.size() << " level " << c.o.level << " block " << c.py_block_size
                 << " cc " << c.o.content_checksum << " bc " << c.o.block_checksum << " independent "
                 << c.o.independent_blocks << " store_size " << c.store_size);
    CHECK((ours(c, 0) == want[i]));
    CHECK((ours(c, 100 + i) == want[i]));
    CHECK((ours(c, 200 + i) == want[i]));
  }
}

}  // namespace

TEST_CASE("lz4 writer: defaults byte-identical to lz4.frame.compress at the edge sizes", "[lz4_writer]") {
  std::vector<Case> cases;
  for (std::size_t n : {0u, 1u, 65535u, 65536u, 65537u, 200000u})
    for (const char* kind : {"text", "random", "float64", "zeros"}) cases.push_back(make(n, kind, n));
  for (const char* kind : {"text", "random", "float64"}) cases.push_back(make(4 * 1024 * 1024 + 3, kind, 3));
  compare(cases);
}

TEST_CASE("lz4 writer: every option byte-identical to lz4.frame.compress", "[lz4_writer]") {
  std::vector<Case> cases;
  for (std::size_t n : {0u, 100u, 65537u, 300001u}) {
    for (int bs : {4, 5, 6, 7}) {
      Case c = make(n, "text", bs);
      c.o.block_size = static_cast<Lz4BlockSize>(bs);
      c.py_block_size = bs;
      cases.push_back(c);
    }
    Case cc = make(n, "float64", 2);
    cc.o.content_checksum = true;
    cases.push_back(cc);
    Case bc = make(n, "float64", 3);
    bc.o.block_checksum = true;
    cases.push_back(bc);
    Case ind = make(n, "text", 4);
    ind.o.independent_blocks = true;
    cases.push_back(ind);
    Case nosize = make(n, "text", 5);
    nosize.store_size = false;
    cases.push_back(nosize);
    Case all = make(n, "random", 6);
    all.o.content_checksum = all.o.block_checksum = true;
    cases.push_back(all);
  }
  // 4 MB blocks and several blocks of 256 KB / 1 MB, linked.
  for (int bs : {5, 6, 7}) {
    Case c = make(4 * 1024 * 1024 + 3, "float64", 8);
    c.o.block_size = static_cast<Lz4BlockSize>(bs);
    c.py_block_size = bs;
    c.o.content_checksum = true;
    cases.push_back(c);
  }
  compare(cases);
}

TEST_CASE("lz4 writer: compression levels (fast, HC, HC optimal) byte-identical", "[lz4_writer]") {
  std::vector<Case> cases;
  for (int level : {-5, -1, 0, 1, 2, 3, 4, 9, 10, 12, 16})
    for (const char* kind : {"text", "float64"}) {
      Case c = make(400000, kind, static_cast<std::uint64_t>(level + 20));
      c.o.level = level;
      cases.push_back(c);
    }
  Case c = make(1100000, "text", 1);
  c.o.level = 9;
  c.o.block_size = Lz4BlockSize::max256KB;
  c.py_block_size = 5;
  cases.push_back(c);
  compare(cases);
}

TEST_CASE("lz4 writer: declared content size is enforced", "[lz4_writer]") {
  MemorySink sink;
  Lz4WriteOptions o;
  o.content_size = 3;
  Lz4Writer w(sink, o);
  CHECK(w.write(as_bytes("ab")).ok());
  CHECK(w.finish().code() == Errc::usage);
  CHECK(w.finish().code() == Errc::usage);  // final
  Lz4Writer w2(sink, o);
  CHECK(w2.write(as_bytes("abcd")).code() == Errc::usage);
  CHECK(w2.finish().code() == Errc::usage);
}

#else

TEST_CASE("lz4 writer: codec_unavailable without lz4", "[lz4_writer]") {
  MemorySink sink;
  Lz4Writer w(sink);
  CHECK_FALSE(lz4_available());
  CHECK(w.write(as_bytes("x")).code() == Errc::codec_unavailable);
  CHECK(w.finish().code() == Errc::codec_unavailable);
}

#endif
