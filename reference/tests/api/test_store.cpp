// LocalStorage and CasStore: Metaflow's layout, atomic and exclusive writes, healing of what an
// interrupted put leaves, paths that cannot leave the root (spec 3.2, 3.3, 4.2, 10.3, 10.6).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>
#include <vector>

#include "casblob/casblob.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace casblob;

namespace {

// A store at <tmp>/root with one flow.
struct Store {
  test::TempDir tmp;
  std::unique_ptr<LocalStorage> storage;
  std::optional<CasStore> cas;
  explicit Store(std::string flow = "F", StorageOptions opts = {}) {
    fs::create_directory(tmp.dir / "root");
    storage = std::move(LocalStorage::open((tmp.dir / "root").string(), opts).value());
    cas.emplace(CasStore::open(*storage, std::move(flow)).value());
  }
  fs::path root() const { return tmp.dir / "root"; }
  fs::path blob(const std::string& key) const { return root() / cas->flow() / "data" / key.substr(0, 2) / key; }
  Result<PutInfo> put(ByteView data, EncodeOptions eo = {}) {
    MemorySource src(data);
    return cas->put(src, eo);
  }
  Result<Bytes> get(const std::string& key, Profile p = Profile::strict) {
    MemorySink out;
    ReadOptions ro;
    ro.profile = p;
    auto r = cas->get(key, ro, out);
    if (!r) return r.error();
    return std::move(out.bytes());
  }
};

EncodeOptions opts(int version, bool raw = false) {
  EncodeOptions eo;
  eo.version = version;
  eo.raw = raw;
  return eo;
}

}  // namespace

TEST_CASE("put writes <root>/<flow>/data/<kk>/<key> and <key>_meta as Metaflow does", "[store]") {
  Store s("HelloFlow");
  for (int version : {1, 2}) {
    auto info = s.put(as_bytes("hello metaflow"), opts(version));
    REQUIRE(info);
    CHECK(info->encode.key == sha1_hex(as_bytes("hello metaflow")).value());
    REQUIRE(fs::exists(s.blob(info->encode.key)));
    // The second put of the same content is skipped: the first (v1) sidecar stays.
    CHECK(info->outcome == (version == 1 ? PutInfo::Outcome::stored : PutInfo::Outcome::already_stored));
    CHECK(test::slurp(s.blob(info->encode.key).string() + "_meta") == "{\"cas_raw\": false, \"cas_version\": 1}");
  }
  // Nothing else: no temporary files left behind.
  const std::string key = sha1_hex(as_bytes("hello metaflow")).value();
  CHECK(test::files_under(s.root()) ==
        std::vector<std::string>{"HelloFlow/data/" + key.substr(0, 2) + "/" + key,
                                 "HelloFlow/data/" + key.substr(0, 2) + "/" + key + "_meta"});
}

TEST_CASE("get reads back every encoding under every profile that knows it", "[store]") {
  Bytes payload = test::seeded_bytes("float64", 200000, 1);
  for (auto [version, raw] : {std::pair{1, false}, {2, false}, {2, true}}) {
    Store s;
    auto info = s.put(payload, opts(version, raw));
    REQUIRE(info);
    for (Profile p : kAllProfiles) {
      if (version == 2 && !raw && (p == Profile::legacy || p == Profile::v2_nolz4)) continue;
      INFO("version " << version << " raw " << raw << " profile " << name(p));
      auto got = s.get(info->encode.key, p);
      if (p == Profile::pre_cas && (version != 1 || raw)) {  // gunzips every blob (spec 11.4)
        REQUIRE_FALSE(got);
        CHECK(got.error().code == Errc::unhandled);
        continue;
      }
      REQUIRE(got);
      CHECK(*got == payload);
    }
  }
}

TEST_CASE("get: absent key is not_found, malformed key is usage and touches no path", "[store]") {
  Store s;
  auto missing = s.get(std::string(40, 'a'));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == Errc::not_found);
  for (std::string bad : {std::string("../../../../etc/passwd"), std::string(40, 'A'), std::string(39, 'a'),
                          std::string(41, 'a'), std::string()}) {
    auto r = s.get(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == Errc::usage);
  }
}

// R-KEY-2's predicate, byte by byte: every byte value at every position of a 40-character key,
// and the lengths around 40. The model is the spec's sentence, written the slow way.
TEST_CASE("is_valid_key and key_digest: exactly 40 of [0-9a-f] - any other byte anywhere, or any other length, is not a key",
          "[store][key]") {
  auto model = [](const std::string& k) {
    if (k.size() != 40) return false;
    for (char c : k)
      if (std::string_view("0123456789abcdef").find(c) == std::string_view::npos) return false;
    return true;
  };
  const std::string good = "0123456789abcdef0123456789abcdef01234567";
  REQUIRE(is_valid_key(good));
  int keys = 0;
  for (std::size_t pos = 0; pos < 40; ++pos)
    for (int b = 0; b < 256; ++b) {
      std::string k = good;
      k[pos] = static_cast<char>(b);
      CHECK(is_valid_key(k) == model(k));
      CHECK(key_digest(k).has_value() == model(k));  // the parse judges alike
      if (model(k)) CHECK(to_hex(*key_digest(k)) == k);
      keys += model(k);
    }
  CHECK(keys == 40 * 16);  // the 16 digits, at each position
  for (std::size_t n = 0; n <= 81; ++n) CHECK(is_valid_key(std::string(n, 'a')) == (n == 40));
  CHECK_FALSE(is_valid_key(std::string(40, '\0')));
  const auto d = key_digest(good);
  REQUIRE(d);
  CHECK((*d)[0] == 0x01);
  CHECK((*d)[7] == 0xef);
  CHECK((*d)[19] == 0x67);
  CHECK_FALSE(key_digest(std::string(39, 'a')));
}

TEST_CASE("to_hex spells every byte value as two lowercase digits, at every length and offset", "[store][key]") {
  // The 16-byte steps and the byte-by-byte tail must agree with printf's %02x wherever a
  // byte falls: lengths 0-40 cross both, and every byte value visits every position.
  for (std::size_t len = 0; len <= 40; ++len)
    for (int first = 0; first < 256; ++first) {
      std::vector<std::uint8_t> bytes(len);
      for (std::size_t i = 0; i < len; ++i) bytes[i] = static_cast<std::uint8_t>(first + 37 * i);
      std::string model;
      for (auto b : bytes) {
        char two[3];
        std::snprintf(two, sizeof two, "%02x", b);
        model += two;
      }
      INFO("length " << len << ", first byte " << first);
      CHECK(to_hex(ByteView(bytes.data(), bytes.size())) == model);
    }
}

TEST_CASE("HexDigest (DecodeInfo::sha1) spells and compares as the key's string does", "[store][key]") {
  const std::string key = "a9993e364706816aba3e25717850c26c9cd0d89d";  // SHA-1 of "abc"
  const HexDigest h(*key_digest(key));
  CHECK(h.str() == key);
  CHECK(h == key);
  CHECK(key == h);
  CHECK_FALSE(h == key.substr(0, 39));
  CHECK_FALSE(h == key + "0");
  CHECK_FALSE(h == "A9993E364706816ABA3E25717850C26C9CD0D89D");  // keys are lowercase (R-KEY-2)
  std::string other = key;
  other[39] = 'c';
  CHECK_FALSE(h == other);
  CHECK(h == HexDigest(*key_digest(key)));
  CHECK_FALSE(h == HexDigest(*key_digest(other)));
  const HexDigest none;
  CHECK(none.empty());
  CHECK(none.str().empty());
  CHECK(none == std::string());
  CHECK_FALSE(none == key);
  CHECK_FALSE(none == HexDigest(Sha1::Digest{}));  // empty is not the all-zero digest
  REQUIRE(sha1_hex(as_bytes("abc")).value() == key);
}

TEST_CASE("a put whose input fails leaves no object and no temporary file", "[store]") {
  Store s;
  class Failing final : public Source {
   public:
    Result<std::size_t> read(std::span<std::uint8_t> buf) override {
      if (sent_) return Error(Errc::io_error, "disk on fire");
      sent_ = true;
      std::fill(buf.begin(), buf.begin() + 10, std::uint8_t{1});
      return std::size_t{10};
    }
    bool sent_ = false;
  } src;
  auto r = s.cas->put(src, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::io_error);
  CHECK(test::files_under(s.root()).empty());
}

TEST_CASE("flow names are Python identifiers: anything else is usage before a path exists (F5)", "[store][security]") {
  test::TempDir tmp;
  auto storage = LocalStorage::open(tmp.dir.string());
  REQUIRE(storage);
  for (std::string bad : std::vector<std::string>{"../escaped", "/abs", "a/b", "", "a\nb", "1Flow", ".", "..", "Flow-1", "Fl ow",
                          std::string("F\0x", 3), std::string(256, 'F')}) {
    INFO("flow '" << bad << "'");
    auto cas = CasStore::open(**storage, bad);
    REQUIRE_FALSE(cas);
    CHECK(cas.error().code == Errc::usage);
  }
  for (std::string good : std::vector<std::string>{"F", "HelloFlow", "_private", "Flow_2", std::string(255, 'F')}) CHECK(CasStore::open(**storage, good));
  CHECK(fs::is_empty(tmp.dir));
}

TEST_CASE("a symbolic link inside the store is refused for reads and writes (spec 10.3)", "[store][security]") {
  Store s;
  test::TempDir outside;
  Bytes data = test::seeded_bytes("text", 1000, 1);
  const std::string key = sha1_hex(data).value();
  // The shard directory of `key` is a link to a folder outside the root.
  fs::create_directories(s.root() / "F" / "data");
  fs::create_directory_symlink(outside.dir, s.root() / "F" / "data" / key.substr(0, 2));
  auto put = s.put(data);
  REQUIRE_FALSE(put);
  CHECK(put.error().code == Errc::io_error);
  CHECK(put.error().message.find("symbolic link") != std::string::npos);
  CHECK(fs::is_empty(outside.dir));
  // A blob planted outside and reached through the link is not read either.
  test::write_file(outside.dir / key, std::string(data.begin(), data.end()));
  test::write_file(outside.dir / (key + "_meta"), emit_meta(true, 1));
  auto got = s.get(key);
  REQUIRE_FALSE(got);
  CHECK(got.error().code == Errc::io_error);
  // A blob file that is itself a link.
  Store t;
  auto info = t.put(data, opts(1, true));
  REQUIRE(info);
  fs::remove(t.blob(key));
  fs::create_symlink(outside.dir / key, t.blob(key));
  auto linked = t.get(key);
  REQUIRE_FALSE(linked);
  CHECK(linked.error().code == Errc::io_error);
}

TEST_CASE("a re-put heals a payload left without its sidecar (F1, R-KEY-4)", "[store]") {
  Bytes data = test::seeded_bytes("float64", 300000, 5);
  const std::string key = sha1_hex(data).value();
  struct Case {
    EncodeOptions first;  // what the interrupted put wrote
    EncodeOptions again;  // what the re-put asks for
    PutInfo::Outcome outcome;
    std::string sidecar;  // afterwards
  };
  for (const Case& c : {Case{opts(2), opts(1), PutInfo::Outcome::sidecar_healed, emit_meta(false, 2)},
                        Case{opts(2, true), opts(2), PutInfo::Outcome::sidecar_healed, emit_meta(true, 2)},
                        Case{opts(1), opts(2), PutInfo::Outcome::sidecar_healed, emit_meta(false, 1)}}) {
    Store s;
    REQUIRE(s.put(data, c.first));
    fs::remove(s.blob(key).string() + "_meta");  // the state a crash between the two renames leaves
    // Before the heal: a v2 or raw payload without sidecar fails or misreads for every reader.
    auto again = s.put(data, c.again);
    REQUIRE(again);
    CHECK(again->outcome == c.outcome);
    CHECK(test::slurp(s.blob(key).string() + "_meta") == c.sidecar);
    for (Profile p : {Profile::strict, Profile::v2}) {
      auto got = s.get(key, p);
      REQUIRE(got);
      CHECK(*got == data);
    }
  }
  // A payload that proves nothing (a renamed empty file after a power loss: H-EMPTY) is replaced.
  Store s;
  fs::create_directories(s.blob(key).parent_path());
  test::write_file(s.blob(key), "");
  auto again = s.put(data, opts(1));
  REQUIRE(again);
  CHECK(again->outcome == PutInfo::Outcome::payload_replaced);
  CHECK(test::slurp(s.blob(key).string() + "_meta") == emit_meta(false, 1));
  auto got = s.get(key, Profile::legacy);
  REQUIRE(got);
  CHECK(*got == data);
}

TEST_CASE("concurrent puts of one new content in two encodings end with a payload and its own sidecar (F3)", "[store]") {
  Bytes data = test::seeded_bytes("text", 100000, 7);
  const std::string key = sha1_hex(data).value();
  for (int round = 0; round < 40; ++round) {
    Store s;
    auto put = [&](EncodeOptions eo) {
      MemorySource src(data);
      REQUIRE(s.cas->put(src, eo));
    };
    std::thread a(put, opts(1)), b(put, opts(2)), c(put, opts(2, true));
    a.join();
    b.join();
    c.join();
    INFO("round " << round << ": sidecar " << test::slurp(s.blob(key).string() + "_meta"));
    // Whoever won, the pair agrees: every reader reads the content or fails cleanly.
    auto strict = s.get(key);
    REQUIRE(strict);
    CHECK(*strict == data);
    for (Profile p : {Profile::legacy, Profile::v2}) {
      auto r = s.get(key, p);
      if (r) CHECK(*r == data);
    }
    CHECK(test::files_under(s.root()).size() == 2);  // no temporary file of the losers left
  }
}

TEST_CASE("put of content a read-only store already holds succeeds without writing (F24)", "[store]") {
  Store s;
  Bytes data = test::seeded_bytes("text", 5000, 9);
  REQUIRE(s.put(data));
  auto ro_storage = LocalStorage::open(s.root().string(), {.read_only = true});
  REQUIRE(ro_storage);
  auto ro = CasStore::open(**ro_storage, "F");
  REQUIRE(ro);
  MemorySource again(data);
  auto r = ro->put(again, {});
  REQUIRE(r);
  CHECK(r->outcome == PutInfo::Outcome::already_stored);
  Bytes other = test::seeded_bytes("text", 5000, 10);
  MemorySource fresh(other);
  auto refused = ro->put(fresh, {});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::usage);
  CHECK(test::files_under(s.root()).size() == 2);
}

TEST_CASE("sidecars: bounded, regular files only, absent means absent (F6, F7, spec 10.2)", "[store][security]") {
  Store s;
  Bytes data = test::seeded_bytes("text", 5000, 11);
  auto info = s.put(data);
  REQUIRE(info);
  const std::string meta = s.blob(info->encode.key).string() + "_meta";
  fs::remove(meta);
  test::write_file(meta, "{\"cas_raw\": false, \"cas_version\": 1, \"pad\": \"" + std::string(70000, 'x') + "\"}");
  // Each refusal names the sidecar's own path (the message is spelled only when needed:
  // FileSource::ShownName).
  auto big = s.get(info->encode.key);
  REQUIRE_FALSE(big);
  CHECK(big.error().code == Errc::meta_invalid);
  CHECK_THAT(big.error().message, Catch::StartsWith(meta + " is longer than the 65536 bytes"));
  fs::remove(meta);
  REQUIRE(::mkfifo(meta.c_str(), 0600) == 0);  // would block for ever if opened blocking
  auto fifo = s.get(info->encode.key);
  REQUIRE_FALSE(fifo);
  CHECK(fifo.error().code == Errc::io_error);
  CHECK_THAT(fifo.error().message, Catch::StartsWith("cannot read " + meta + ": "));
  fs::remove(meta);
  fs::create_symlink("/dev/zero", meta);
  auto zero = s.get(info->encode.key);
  REQUIRE_FALSE(zero);
  CHECK(zero.error().code == Errc::io_error);
  CHECK_THAT(zero.error().message, Catch::Equals("cannot read " + meta + ": a symbolic link inside a datastore is refused"));
  // The standalone loader follows a named link but still refuses devices, and bounds size.
  CHECK(read_sidecar_file("/dev/zero").error().code == Errc::io_error);
  CHECK(read_sidecar_file(meta, false).error().code == Errc::io_error);
  auto absent = read_sidecar_file((s.tmp.dir / "none").string());
  REQUIRE(absent);
  CHECK_FALSE(absent->has_value());
}

TEST_CASE("a FIFO as a blob is refused at once, never read (F7)", "[store][security]") {
  Store s;
  const std::string key(40, 'b');
  fs::create_directories(s.blob(key).parent_path());
  REQUIRE(::mkfifo(s.blob(key).c_str(), 0600) == 0);
  auto r = s.get(key);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == Errc::io_error);
  CHECK_THAT(r.error().message, Catch::StartsWith("cannot read " + s.blob(key).string() + ": "));
}

TEST_CASE("store files honour the umask (F11)", "[store][security]") {
  Bytes data = test::seeded_bytes("text", 100, 12);
  for (mode_t mask : {mode_t{022}, mode_t{077}}) {
    mode_t old = ::umask(mask);
    Store s;
    auto info = s.put(data);
    ::umask(old);
    REQUIRE(info);
    struct stat st {};
    REQUIRE(::stat(s.blob(info->encode.key).c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == (0666 & ~mask));
    REQUIRE(::stat((s.blob(info->encode.key).string() + "_meta").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == (0666 & ~mask));
  }
}

TEST_CASE("LocalStorage lists entries with their types and refuses paths that leave the root", "[store]") {
  Store s;
  auto info = s.put(as_bytes("x"));
  REQUIRE(info);
  const std::string shard = "F/data/" + info->encode.key.substr(0, 2);
  std::vector<std::string> names;
  REQUIRE(s.storage->list(shard, [&](const ObjectInfo& o) {
    CHECK(o.type == ObjectInfo::Type::file);
    names.push_back(o.path);
    return Status{};
  }));
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{shard + "/" + info->encode.key, shard + "/" + info->encode.key + "_meta"});
  for (std::string bad : {"../x", "/etc/passwd", "F//data", "F/./data", "F/data/.."})
    CHECK(s.storage->stat(bad).error().code == Errc::usage);
  CHECK(s.storage->list("F/nothing", [](const ObjectInfo&) { return Status{}; }).code() == Errc::not_found);
}

TEST_CASE("LocalStorage lists its root alike every time (audit walks it more than once)", "[store]") {
  test::TempDir t;
  fs::create_directories(t.dir / "FlowA" / "data");
  fs::create_directories(t.dir / "FlowB");
  auto st = LocalStorage::open(t.dir.string(), {.read_only = true});
  REQUIRE(st.ok());
  auto names = [&] {
    std::vector<std::string> out;
    REQUIRE((*st)->list("", [&](const ObjectInfo& o) {
                   out.push_back(o.path);
                   return Status{};
                 }).ok());
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<std::string> want = {"FlowA", "FlowB"};
  CHECK(names() == want);
  CHECK(names() == want);  // a listing that shared the root descriptor's offset came back empty
}

// A read-only LocalStorage opens a file whose folder it has not cached (a task index) from the
// nearest cached ancestor in one openat2 call: that call must refuse what the walk one
// component at a time refuses, and tell the same errors.
TEST_CASE("LocalStorage::open below uncached folders: links, files and FIFOs on the way are refused, as the walk refuses them",
          "[store][security]") {
  test::TempDir t, outside;
  fs::create_directories(t.dir / "F" / "1" / "start" / "2");
  std::ofstream(t.dir / "F" / "1" / "start" / "2" / "0.data.json") << "{\"objects\": {}}";
  std::ofstream(outside.dir / "0.data.json") << "outside";
  fs::create_directory_symlink(outside.dir, t.dir / "F" / "1" / "start" / "linked");  // a task folder that is a link
  fs::create_directory_symlink(outside.dir, t.dir / "F" / "2");                       // a run folder that is a link
  std::ofstream(t.dir / "F" / "1" / "start" / "file") << "x";                         // a task "folder" that is a file
  REQUIRE(::mkfifo((t.dir / "F" / "1" / "start" / "2" / "1.data.json").c_str(), 0600) == 0);
  fs::create_symlink(outside.dir / "0.data.json", t.dir / "F" / "1" / "start" / "2" / "2.data.json");
  auto st = LocalStorage::open(t.dir.string(), {.read_only = true});
  REQUIRE(st.ok());
  auto read_all = [&](std::string_view path) -> Result<std::string> {
    auto src = (*st)->open(path);
    if (!src) return src.error();
    std::string got(64, '\0');
    auto n = (*src)->read(std::span(reinterpret_cast<std::uint8_t*>(got.data()), got.size()));
    if (!n) return n.error();
    got.resize(*n);
    return got;
  };
  for (bool step_cached : {false, true}) {
    INFO("step folder cached: " << step_cached);
    if (step_cached) REQUIRE((*st)->list_types("F/1/start", [](const ObjectInfo&) { return Status{}; }).ok());
    auto good = read_all("F/1/start/2/0.data.json");
    REQUIRE(good.ok());
    CHECK(*good == "{\"objects\": {}}");
    auto missing = read_all("F/1/start/2/3.data.json");
    CHECK(missing.error().code == Errc::not_found);
    CHECK(read_all("F/1/start/9/0.data.json").error().code == Errc::not_found);  // a missing folder on the way
    // What is refused, and the words of its message (the walk's: spec 10.3, R-SEC-6).
    const std::vector<std::pair<std::string, std::string>> refused = {
        {"F/1/start/linked/0.data.json", "symbolic link"},  // a link as the task folder
        {"F/2/start/2/0.data.json", "symbolic link"},       // a link as the run folder
        {"F/1/start/2/2.data.json", "symbolic link"},       // a link as the file
        {"F/1/start/file/0.data.json", "not a directory"},
        {"F/1/start/2/1.data.json", "a FIFO"},  // opened without blocking, refused before a read
    };
    for (const auto& [path, words] : refused) {
      INFO(path);
      auto got = read_all(path);
      REQUIRE_FALSE(got.ok());
      CHECK(got.error().code == Errc::io_error);
      CHECK(got.error().message.find(words) != std::string::npos);
    }
  }
}

// A read-only LocalStorage keeps a cache of directory descriptors per thread (8 of them, 32
// folders each; threads beyond 8 share): more threads than caches, and more folders than a
// cache holds, each read back its own bytes, and listings stay complete.
TEST_CASE("LocalStorage read from more threads than it has caches, across more folders than a cache holds", "[store]") {
  test::TempDir t;
  std::vector<std::string> paths;
  for (int flow = 0; flow < 3; ++flow)
    for (int kk = 0; kk < 50; ++kk) {
      const std::string dir = "Flow" + std::to_string(flow) + "/data/" + std::to_string(kk);
      fs::create_directories(t.dir / dir);
      paths.push_back(dir + "/blob");
      std::ofstream(t.dir / paths.back()) << paths.back();
    }
  auto st = LocalStorage::open(t.dir.string(), {.read_only = true});
  REQUIRE(st.ok());
  std::atomic<int> wrong{0}, failed{0};
  std::vector<std::thread> threads;
  for (unsigned th = 0; th < 12; ++th)
    threads.emplace_back([&, th] {
      for (int pass = 0; pass < 3; ++pass)
        for (std::size_t i = 0; i < paths.size(); ++i) {
          const std::string& path = paths[(i * (th + 1) + th) % paths.size()];  // each thread its own order
          auto src = (*st)->open(std::string_view(path));  // not the static open(root)
          if (!src) { ++failed; continue; }
          std::string got(256, '\0');
          auto n = (*src)->read(std::span(reinterpret_cast<std::uint8_t*>(got.data()), got.size()));
          if (!n) { ++failed; continue; }
          got.resize(*n);
          if (got != path) ++wrong;
          std::size_t listed = 0;
          const std::string dir = path.substr(0, path.rfind('/'));
          if (!(*st)->list_types(dir, [&](const ObjectInfo&) { ++listed; return Status{}; }).ok() || listed != 1) ++wrong;
        }
    });
  for (auto& th : threads) th.join();
  CHECK(failed == 0);
  CHECK(wrong == 0);
}

// Entries come from getdents64 into a 32 KiB buffer: a folder of 3,000 long names takes
// several calls, and every name is listed once, with list() and list_types() alike.
TEST_CASE("LocalStorage lists a folder larger than one read of its entries", "[store]") {
  test::TempDir t;
  fs::create_directories(t.dir / "F" / "data" / "ab");
  std::vector<std::string> want;
  for (int i = 0; i < 3000; ++i) {
    want.push_back("F/data/ab/" + std::string(60, 'a' + i % 26) + std::to_string(i));
    std::ofstream(t.dir / want.back()) << i;
  }
  std::sort(want.begin(), want.end());
  auto st = LocalStorage::open(t.dir.string(), {.read_only = true});
  REQUIRE(st.ok());
  for (bool types_only : {false, true}) {
    std::vector<std::string> got;
    auto each = [&](const ObjectInfo& o) {
      got.push_back(o.path);
      return Status{};
    };
    REQUIRE((types_only ? (*st)->list_types("F/data/ab", each) : (*st)->list("F/data/ab", each)).ok());
    std::sort(got.begin(), got.end());
    CHECK(got == want);
  }
  // A callback's error ends the listing and is returned.
  int seen = 0;
  CHECK((*st)->list_types("F/data/ab", [&](const ObjectInfo&) { return ++seen == 10 ? Status(Error(Errc::io_error, "stop")) : Status{}; }).code() == Errc::io_error);
  CHECK(seen == 10);
}

TEST_CASE("LocalStorage::list_types tells the types list() tells, without the per-entry stat", "[store]") {
  test::TempDir t;
  fs::create_directories(t.dir / "F" / "data" / "ab" / "folder");
  std::ofstream(t.dir / "F" / "data" / "ab" / "file") << "12345";
  fs::create_symlink("file", t.dir / "F" / "data" / "ab" / "link");
  REQUIRE(::mkfifo((t.dir / "F" / "data" / "ab" / "fifo").c_str(), 0600) == 0);
  auto st = LocalStorage::open(t.dir.string(), {.read_only = true});
  REQUIRE(st.ok());
  auto listing = [&](bool types_only) {
    std::map<std::string, ObjectInfo> out;
    auto each = [&](const ObjectInfo& o) {
      out[o.path] = o;
      return Status{};
    };
    REQUIRE((types_only ? (*st)->list_types("F/data/ab", each) : (*st)->list("F/data/ab", each)).ok());
    return out;
  };
  const auto full = listing(false), types = listing(true);
  REQUIRE(full.size() == 4);
  REQUIRE(types.size() == 4);
  for (const auto& [path, o] : full) {
    INFO(path);
    REQUIRE(types.count(path));
    CHECK(types.at(path).type == o.type);
    CHECK(o.stat_known);
  }
  CHECK(full.at("F/data/ab/file").size == 5);
  CHECK(full.at("F/data/ab/link").type == ObjectInfo::Type::other);  // the link itself, never its target
  CHECK(full.at("F/data/ab/fifo").type == ObjectInfo::Type::other);
  // ext4 and tmpfs fill in d_type: no stat was made, so nothing about size is claimed.
  CHECK_FALSE(types.at("F/data/ab/file").stat_known);
  CHECK(types.at("F/data/ab/file").size == 0);
}

TEST_CASE("LocalStorage::open_blob gives the payload, its sidecar and the payload's mtime in one call", "[store]") {
  Store s;
  auto info = s.put(as_bytes("payload"));
  REQUIRE(info);
  const std::string path = "F/data/" + info->encode.key.substr(0, 2) + "/" + info->encode.key;
  auto opened = s.storage->open_blob(path);
  REQUIRE(opened);
  auto listed = s.storage->stat(path);
  REQUIRE(listed);
  REQUIRE(opened->mtime_ns);
  CHECK(*opened->mtime_ns == listed->mtime_ns);
  CHECK(opened->payload->size_hint() == listed->size);
  CHECK(opened->sidecar == s.storage->read_sidecar(path).value());
  fs::remove(s.blob(info->encode.key).string() + "_meta");
  auto bare = s.storage->open_blob(path);
  REQUIRE(bare);
  CHECK_FALSE(bare->sidecar.has_value());  // R-META-5: absent is absent, not an error
}
