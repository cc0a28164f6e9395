// LocalStore: Metaflow's layout, atomic writes, dedupe, not_found (spec 3.2, 3.3, 10.6).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "casblob/casblob.hpp"

namespace fs = std::filesystem;
using namespace casblob;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string t = (fs::temp_directory_path() / "casblob-store-XXXXXX").string();
    path = mkdtemp(t.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

void write_file(const fs::path& p, std::string_view data) {
  std::ofstream(p, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), {}};
}

std::size_t count_files(const fs::path& dir) {
  std::size_t n = 0;
  for (auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

}  // namespace

TEST_CASE("put writes <root>/<flow>/data/<kk>/<key> and <key>_meta as Metaflow does", "[store]") {
  TempDir tmp;
  write_file(tmp.path / "in.txt", "hello metaflow");
  LocalStore store((tmp.path / ".metaflow").string(), "HelloFlow");
  for (int version : {1, 2}) {
    EncodeOptions eo;
    eo.version = version;
    auto info = store.put((tmp.path / "in.txt").string(), eo);
    REQUIRE(info);
    CHECK(info->key == sha1_hex(as_bytes("hello metaflow")).value());
    fs::path blob = tmp.path / ".metaflow" / "HelloFlow" / "data" / info->key.substr(0, 2) / info->key;
    REQUIRE(fs::exists(blob));
    // The second put of the same content is skipped: the first (v1) sidecar stays.
    CHECK(slurp(blob.string() + "_meta") == "{\"cas_raw\": false, \"cas_version\": 1}");
  }
  // Nothing else: no temporary files left behind.
  CHECK(count_files(tmp.path / ".metaflow") == 2);
}

TEST_CASE("get reads back every encoding under every profile that knows it", "[store]") {
  TempDir tmp;
  std::string payload(200000, 'x');
  for (std::size_t i = 0; i < payload.size(); i += 7) payload[i] = static_cast<char>(i * 31);
  write_file(tmp.path / "in.bin", payload);
  LocalStore store((tmp.path / "root").string(), "F");
  for (auto [version, raw] : {std::pair{1, false}, {2, false}, {2, true}}) {
    TempDir fresh;
    LocalStore s((fresh.path / "root").string(), "F");
    EncodeOptions eo;
    eo.version = version;
    eo.raw = raw;
    auto info = s.put((tmp.path / "in.bin").string(), eo);
    REQUIRE(info);
    for (Profile p : kAllProfiles) {
      if (version == 2 && !raw && (p == Profile::legacy || p == Profile::v2_nolz4)) continue;
      MemorySink out;
      ReadOptions ro;
      ro.profile = p;
      auto got = s.get(info->key, ro, out);
      INFO("version " << version << " raw " << raw << " profile " << name(p));
      REQUIRE(got);
      CHECK(std::string(out.bytes().begin(), out.bytes().end()) == payload);
    }
  }
}

TEST_CASE("get: absent key is not_found, malformed key is usage and touches no path", "[store]") {
  TempDir tmp;
  LocalStore store(tmp.path.string(), "F");
  MemorySink out;
  auto missing = store.get(std::string(40, 'a'), {}, out);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == Errc::not_found);
  for (std::string bad : {std::string("../../../../etc/passwd"), std::string(40, 'A'), std::string(39, 'a'), std::string(41, 'a')}) {
    auto r = store.get(bad, {}, out);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::usage);
  }
}

TEST_CASE("put of a missing file fails cleanly and leaves no object", "[store]") {
  TempDir tmp;
  LocalStore store((tmp.path / "root").string(), "F");
  auto r = store.put((tmp.path / "nope").string(), {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::not_found);
  CHECK(count_files(tmp.path) == 0);
}
