// One blob rewritten (reference/tools/rewrite/rewrite_blob.hpp), the journal and the quarantine,
// through the library on a LocalStorage: what the CLI checks cannot reach (a blob that vanishes
// between the check and the rewrite, a torn journal line, a salvage the key does not prove).
#include <catch2/catch.hpp>

#include <filesystem>

#include "casblob/casblob.hpp"
#include "rewrite/decoding_source.hpp"
#include "rewrite/journal.hpp"
#include "rewrite/quarantine.hpp"
#include "rewrite/rewrite_blob.hpp"
#include "support.hpp"

using namespace casblob;
using namespace casblob::rewrite;

namespace {

struct Store {
  test::TempDir tmp;
  std::unique_ptr<LocalStorage> storage;
  Store() {
    std::filesystem::create_directories(tmp.dir / "root" / "FlowA" / "data");
    storage = std::move(*LocalStorage::open(tmp.path("root")));
  }
  audit::BlobRef put(ByteView content, int version) {
    auto cas = CasStore::open(*storage, "FlowA");
    MemorySource src(content);
    EncodeOptions o;
    o.version = version;
    auto info = cas->put(src, o);
    REQUIRE(info);
    const std::string path = cas->blob_path(info->encode.key);
    return {"FlowA", info->encode.key, path, *storage->stat(path)};
  }
  std::string file(const std::string& rel) const { return test::slurp(tmp.dir / "root" / rel); }
};

// Forwards to a LocalStorage; the blob's second open() finds it gone (a concurrent remover).
class VanishingStorage final : public Storage {
 public:
  explicit VanishingStorage(Storage& s) : s_(s) {}
  std::string url() const override { return s_.url(); }
  Status list(std::string_view d, const std::function<Status(const ObjectInfo&)>& f) override { return s_.list(d, f); }
  Result<ObjectInfo> stat(std::string_view p) override { return opens_ > 1 ? Result<ObjectInfo>(Error(Errc::not_found, "gone")) : s_.stat(p); }
  Result<std::unique_ptr<Source>> open(std::string_view p) override {
    if (++opens_ > 1) return Error(Errc::not_found, std::string(p) + ": gone");
    return s_.open(p);
  }
  Result<SidecarText> read_sidecar(std::string_view p) override { return s_.read_sidecar(p); }
  Result<std::unique_ptr<PendingBlob>> begin_blob(std::string_view d) override { return s_.begin_blob(d); }
  Status write_sidecar(std::string_view p, const std::string& t) override { return s_.write_sidecar(p, t); }
  int opens_ = 0;

 private:
  Storage& s_;
};

}  // namespace

TEST_CASE("a blob that vanishes between its check and its rewrite is reported vanished and nothing is written") {
  if (!lz4_available()) return;
  Store st;
  auto blob = st.put(test::seeded_bytes("text", 20000, 1), 1);
  const std::string before = st.file(blob.path), side = st.file(blob.path + "_meta");
  VanishingStorage v(*st.storage);
  BlobRewriter rw(v);
  RewritePolicy p;
  p.target = {Form::v2};
  BlobRewrite r = rw.rewrite(blob, p, true);
  CHECK(r.outcome == BlobOutcome::vanished);
  CHECK(st.file(blob.path) == before);
  CHECK(st.file(blob.path + "_meta") == side);
  for (const auto& f : test::files_under(st.tmp.dir / "root")) CHECK(f.find(".casblob-tmp-") == std::string::npos);
}

TEST_CASE("a dry run plans, an applied rewrite switches, a second one finds the blob in its target") {
  if (!lz4_available()) return;
  Store st;
  const Bytes content = test::seeded_bytes("float64", 300000, 2);
  auto blob = st.put(content, 1);
  BlobRewriter rw(*st.storage);
  RewritePolicy p;
  p.target = {Form::v2};
  const std::string before = st.file(blob.path);
  BlobRewrite plan = rw.rewrite(blob, p, false);
  CHECK(plan.outcome == BlobOutcome::rewritten);
  CHECK(plan.steps == std::vector<Step>{Step::payload, Step::sidecar});
  CHECK(st.file(blob.path) == before);
  BlobRewrite done = rw.rewrite(blob, p, true);
  CHECK(done.outcome == BlobOutcome::rewritten);
  CHECK(st.file(blob.path + "_meta") == *canonical_sidecar(Form::v2));
  auto cas = CasStore::open(*st.storage, "FlowA");
  MemorySink out;
  REQUIRE(cas->get(blob.key, ReadOptions{}, out));
  CHECK(out.bytes() == content);
  // The frame stores the content size, as PR #3090's lz4.frame.compress does.
  const std::string written = st.file(blob.path);
  Bytes payload(written.begin(), written.end());
  REQUIRE(payload.size() > 5);
  CHECK((payload[4] & 0x08) != 0);
  CHECK(rw.rewrite(blob, p, true).outcome == BlobOutcome::in_target);
}

TEST_CASE("salvage accepts a failed reading only when what it emitted hashes to the key") {
  const Bytes content = test::seeded_bytes("text", 5000, 3);
  auto enc = encode_blob(content, EncodeOptions{});
  REQUIRE(enc);
  Bytes broken = enc->bytes;
  broken[broken.size() - 8] ^= 0xff;  // the CRC32: data intact (badChecksumContentOk)
  auto read_all = [&](const std::string& key, bool salvage) {
    DecodingSource src(std::make_unique<MemorySource>(broken), enc->info.meta, key, kDefaultMaxSize, std::nullopt, salvage);
    Bytes out(1 << 16);
    std::size_t total = 0;
    for (;;) {
      auto n = src.read(std::span<std::uint8_t>(out.data(), out.size()));
      if (!n) return false;
      if (*n == 0) return true;
      total += *n;
    }
  };
  CHECK(read_all(enc->info.key, true));
  CHECK(!read_all(enc->info.key, false));                                      // strict: the CRC fails
  CHECK(!read_all("0000000000000000000000000000000000000000", true));          // not proven by that key
}

TEST_CASE("the journal: an existing one is refused without resume, a torn last line is ignored") {
  test::TempDir tmp;
  const std::string path = tmp.path("j.jsonl");
  {
    auto j = Journal::open(path, false);
    REQUIRE(j);
    REQUIRE((*j)->append(R"({"type":"begin","command":"migrate","root":"file:///r","target":"v2","apply":true})"));
    REQUIRE((*j)->append(R"({"type":"blob","path":"F/data/aa/aa","apply":true,"outcome":"rewritten"})"));
    REQUIRE((*j)->append(R"({"type":"blob","path":"F/data/bb/bb","apply":false,"outcome":"rewritten"})"));
    REQUIRE((*j)->close());
  }
  auto again = Journal::open(path, false);
  REQUIRE(!again);
  CHECK(again.error().code == Errc::usage);
  std::string text = test::slurp(path) + R"({"type":"blob","path":"F/da)";  // a kill mid-line
  test::write_file(path, text);
  auto st = read_journal(path);
  REQUIRE(st);
  CHECK(st->command == "migrate");
  CHECK(st->target == "v2");
  CHECK(st->done == std::set<std::string>{"F/data/aa/aa"});  // a dry run's line is no work done
  CHECK(st->torn == 1);
}

TEST_CASE("the quarantine: the record first, payload and sidecar moved byte for byte, never inside a flow, never replacing") {
  Store st;
  auto blob = st.put(test::seeded_bytes("text", 3000, 4), 1);
  const std::string payload = st.file(blob.path), side = st.file(blob.path + "_meta");
  audit::Finding f;
  f.id = audit::FindingId::keyMismatch;
  f.path = blob.path;
  const std::string q = st.tmp.path("q");
  auto moved = quarantine(*st.storage, q, {blob.path, {f}, true});
  REQUIRE(moved);
  CHECK(moved->size() == 2);
  CHECK(test::slurp(q + "/" + blob.path) == payload);
  CHECK(test::slurp(q + "/" + blob.path + "_meta") == side);
  CHECK(test::slurp(q + "/" + blob.path + ".casblob-quarantine.json").find("keyMismatch") != std::string::npos);
  CHECK(!st.storage->stat(blob.path));
  // Inside a flow of the store: refused before anything moves.
  auto other = st.put(test::seeded_bytes("text", 3000, 5), 1);
  Status inside = st.storage->move_to_quarantine(other.path, st.tmp.path("root/FlowA/q"), other.path);
  CHECK(inside.code() == Errc::usage);
  CHECK(st.storage->stat(other.path));
  // Beneath the root, outside every flow (a name that is no flow name): allowed.
  CHECK(st.storage->move_to_quarantine(other.path, st.tmp.path("root/.casblob-quarantine"), other.path).ok());
  // Never replaces what the quarantine holds.
  auto third = st.put(test::seeded_bytes("text", 3000, 6), 1);
  std::filesystem::create_directories((std::filesystem::path(q) / third.path).parent_path());
  test::write_file(std::filesystem::path(q) / third.path, "already here");
  REQUIRE(test::slurp(std::filesystem::path(q) / third.path) == "already here");
  CHECK(!st.storage->move_to_quarantine(third.path, q, third.path).ok());
  CHECK(st.storage->stat(third.path));
  // A read-only store moves nothing.
  auto ro = LocalStorage::open(st.tmp.path("root"), {.read_only = true});
  CHECK(!(*ro)->move_to_quarantine(third.path, q, third.path + ".x").ok());
}
