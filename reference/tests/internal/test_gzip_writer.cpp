// GzipWriter (spec 5.2.1) is byte-identical to Python 3.11's
// gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=L, mtime=M [, filename=N]) for any split
// of the input into write() calls. Ground truth: /usr/bin/python3, one process per test case.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "casblob/experimental/gzip.hpp"
#include "support.hpp"

using namespace casblob;

namespace {

struct Case {
  int level;
  std::uint32_t mtime;
  std::optional<std::string> fname;
  Bytes data;
};

// Python's bytes for every case, in one interpreter run.
std::vector<Bytes> python_gzip(const std::vector<Case>& cases) {
  std::vector<Bytes> items;
  for (const auto& c : cases) {
    std::string params = std::to_string(c.level) + " " + std::to_string(c.mtime) + " " +
                         (c.fname ? "1 " + *c.fname : "0 ");
    items.push_back(Bytes(params.begin(), params.end()));
    items.push_back(c.data);
  }
  std::string script = std::string(test::kPythonListHelpers) + R"PY(
import gzip, io
items = read_list()
out = []
for i in range(0, len(items), 2):
    level, mtime, has_name, name = items[i].decode("utf-8").split(" ", 3)
    buf = io.BytesIO()
    kw = dict(fileobj=buf, mode="wb", compresslevel=int(level), mtime=int(mtime))
    if has_name == "1":
        kw["filename"] = name
    with gzip.GzipFile(**kw) as f:
        f.write(items[i + 1])
    out.append(buf.getvalue())
write_list(out)
)PY";
  return test::unpack_list(test::run_python(script, test::pack_list(items)));
}

Bytes ours(const Case& c, std::uint64_t seed) {
  MemorySink sink;
  GzipWriteOptions o;
  o.level = c.level;
  o.mtime = c.mtime;
  o.file_name = c.fname;
  GzipWriter w(sink, o);
  Status s = seed == 0 ? (w.write(c.data).ok() ? w.finish() : Status(Error(Errc::io_error, "write"))) : test::chunked_write(w, c.data, seed);
  REQUIRE(s.ok());
  return sink.bytes();
}

}  // namespace

TEST_CASE("gzip writer: byte-identical to Python's GzipFile at the edge sizes", "[gzip_writer]") {
  std::vector<Case> cases;
  for (std::size_t n : {0u, 1u, 65535u, 65536u, 65537u})
    for (const char* kind : {"random", "text", "zeros"})
      cases.push_back({3, 1700000000u, std::nullopt, test::seeded_bytes(kind, n, n + 1)});
  cases.push_back({3, 0u, std::nullopt, test::seeded_bytes("float64", 3 * 1024 * 1024 + 5, 9)});
  cases.push_back({3, 123u, std::nullopt, test::seeded_bytes("text", 2 * 1024 * 1024 + 1, 10)});
  cases.push_back({3, 0u, std::nullopt, test::seeded_bytes("random", 1024 * 1024 + 7, 11)});
  std::vector<Bytes> want = python_gzip(cases);
  REQUIRE(want.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("case " << i << " size " << cases[i].data.size());
    // Double parentheses: Catch prints a bool, not megabytes of vector, on failure.
    CHECK((ours(cases[i], 0) == want[i]));
    CHECK((ours(cases[i], 1000 + i) == want[i]));  // random write() chunking
    CHECK((ours(cases[i], 2000 + i) == want[i]));
  }
}

TEST_CASE("gzip writer: levels, XFL and mtime as Python writes them", "[gzip_writer]") {
  std::vector<Case> cases;
  // Level 0 is left out: zlib's stored blocks are cut to the caller's output buffer, so
  // Python's bytes depend on its internal buffer growth and on its own write() splits
  // (checked below: still a valid gzip file that Python decodes).
  for (int level : {1, 2, 3, 5, 6, 9})
    for (const char* kind : {"text", "float64"})
      cases.push_back({level, static_cast<std::uint32_t>(level * 1000003u), std::nullopt,
                       test::seeded_bytes(kind, 200000, static_cast<std::uint64_t>(level))});
  cases.push_back({3, 0xFFFFFFFFu, std::nullopt, test::seeded_bytes("text", 10, 1)});
  std::vector<Bytes> want = python_gzip(cases);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("level " << cases[i].level);
    CHECK((ours(cases[i], 0) == want[i]));
    CHECK((ours(cases[i], 77 + i) == want[i]));
  }
  // XFL (RFC 1952 2.3.1): Python 3.11 writes 2 for level 9, 4 for level 1, else 0.
  CHECK(want[0][8] == 4);
  CHECK(want[2][8] == 0);
  CHECK(want[10][8] == 2);
}

TEST_CASE("gzip writer: level 0 output is valid gzip that Python decodes", "[gzip_writer]") {
  Case c{0, 5u, std::nullopt, test::seeded_bytes("text", 300000, 4)};
  Bytes gz = ours(c, 99);
  Bytes back = test::run_python("import gzip, sys\nsys.stdout.buffer.write(gzip.decompress(sys.stdin.buffer.read()))\n", gz);
  CHECK((back == c.data));
  CHECK(gz[8] == 0);
}

TEST_CASE("gzip writer: FNAME as GzipFile(filename=...) writes it", "[gzip_writer]") {
  // Python takes os.path.basename, strips ".gz", encodes Latin-1 (unencodable -> no FNAME).
  std::vector<Case> cases;
  for (std::string name : {"blob", "dir/sub/blob.gz", "x.gz", ".gz", "dir/", "caf\xc3\xa9.bin",
                           "\xe2\x82\xac.bin", "a.gz.gz", "name with spaces"})
    cases.push_back({3, 42u, name, test::seeded_bytes("text", 1000, 5)});
  std::vector<Bytes> want = python_gzip(cases);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("file_name '" << *cases[i].fname << "'");
    CHECK(test::hex(ours(cases[i], 0)) == test::hex(want[i]));
  }
}

TEST_CASE("gzip writer: errors are final", "[gzip_writer]") {
  MemorySink sink;
  GzipWriteOptions o;
  o.level = 42;
  GzipWriter w(sink, o);
  Status s = w.write(as_bytes("x"));
  CHECK(s.code() == Errc::usage);
  CHECK(w.finish().code() == Errc::usage);
  GzipWriter w2(sink);
  REQUIRE(w2.finish().ok());
  CHECK(w2.write(as_bytes("x")).code() == Errc::usage);
}
