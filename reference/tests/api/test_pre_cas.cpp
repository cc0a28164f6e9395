// Profile pre-cas (spec 7): Metaflow 2.0-2.3's LocalDataStore.load_data gunzips every blob and
// lets Python's gzip exceptions escape. Ground truth: python/metaflow_model's pre-cas reader
// (the real gzip module), itself checked against the real 2.3.6 code by the release-history
// sweep. What is compared: right bytes / the SHA-1 of wrong bytes / the exception class.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "casblob/casblob.hpp"
#include "support.hpp"

using namespace casblob;

namespace {

Bytes cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (ByteView p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Payloads where Python's exception depends on where the input ends or what follows a member:
// every truncation and every bit flip of a two-member payload, and hand-made tails.
std::vector<Bytes> payloads(const Bytes& member, const Bytes& lz4) {
  std::vector<Bytes> out;
  const Bytes two = cat({member, Bytes(3, 0), member});
  for (std::size_t n = 0; n <= two.size(); ++n) out.emplace_back(two.begin(), two.begin() + static_cast<std::ptrdiff_t>(n));
  for (std::size_t bit = 0; bit < member.size() * 8; ++bit) {
    Bytes b = member;
    b[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    out.push_back(b);
  }
  for (std::string_view tail : {std::string_view("\x1f", 1), std::string_view("\0\x1f", 2), std::string_view("\0\0\0\x1f", 4),
                                std::string_view("\x1f\x8b", 2), std::string_view("\x1f\x8b\x08", 3), std::string_view("xyz"),
                                std::string_view("\x1f\0", 2), std::string_view("\0", 1), std::string_view("\n")})
    out.push_back(cat({member, as_bytes(tail)}));
  out.push_back(Bytes{0x1f});
  out.push_back(Bytes{0x1f, 0x1f});
  out.push_back(Bytes{0x00, 0x1f});
  out.push_back(lz4);
  out.push_back(text("content stored raw"));
  out.push_back(member);
  return out;
}

std::string outcome(const Result<Decoded>& r, const std::string& key) {
  if (!r) {
    const Error& e = r.error();
    if (e.code != Errc::unhandled) return "error:" + std::string(name(e.code));
    return "unhandled:" + e.message.substr(0, e.message.find(':'));
  }
  return r->info.sha1 == key ? "ok" : "wrong_bytes:" + r->info.sha1.str();
}

}  // namespace

TEST_CASE("pre-cas reads as the Python model's pre-cas reader: bytes and exception class", "[pre-cas][python]") {
  const Bytes content = test::seeded_bytes("text", 700, 3);
  const std::string key = sha1_hex(content).value();
  EncodeOptions v1, v2;
  v2.version = 2;
  const Bytes member = encode_blob(content, v1)->bytes;
  const Bytes lz4 = encode_blob(content, v2)->bytes;
  const auto items = payloads(member, lz4);

  std::string script = std::string(test::kPythonListHelpers) + R"PY(
sys.path.insert(0, "REPO/python")
import metaflow_model
items = read_list()
key = items[0].decode()
out = []
for blob in items[1:]:
    r = metaflow_model.read_outcome(blob, None, "pre-cas", key)
    if r["outcome"] == "ok":
        out.append(b"ok")
    elif r["outcome"] == "wrong_bytes":
        out.append(("wrong_bytes:" + r["sha1"]).encode())
    else:
        out.append(("unhandled:" + r["detail"] if r["error"] == "unhandled" else "error:" + r["error"]).encode())
write_list(out)
)PY";
  script.replace(script.find("REPO"), 4, CASBLOB_SOURCE_DIR);
  std::vector<Bytes> in{Bytes(key.begin(), key.end())};
  in.insert(in.end(), items.begin(), items.end());
  const auto expected = test::unpack_list(test::run_python(script, test::pack_list(in)));
  REQUIRE(expected.size() == items.size());

  // Whatever sidecar lies beside the blob, the pre-CAS reader never opens it.
  const SidecarText sidecars[] = {std::nullopt, std::string(R"({"cas_raw": true, "cas_version": 2})"),
                                  std::string("not json")};
  std::size_t disagreements = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string want(expected[i].begin(), expected[i].end());
    for (const auto& sidecar : sidecars) {
      ReadOptions ro;
      ro.profile = Profile::pre_cas;
      const std::string mine = outcome(decode_blob(items[i], sidecar, ro), key);
      // Streamed in 1- and 3-byte reads: the exception must not depend on the chunking.
      std::string streamed;
      for (std::size_t chunk : {1, 3}) {
        ro.chunk = chunk;
        MemorySource src(items[i]);
        MemorySink sink;
        auto r = decode_blob(src, sidecar, ro, sink);
        Result<Decoded> d = r ? Result<Decoded>(Decoded{*r, sink.bytes()}) : Result<Decoded>(r.error());
        if (outcome(d, key) != mine) streamed = outcome(d, key);
      }
      if (mine != want || !streamed.empty()) {
        ++disagreements;
        UNSCOPED_INFO("payload " << i << " (" << items[i].size() << " B) " << test::hex(ByteView(items[i]).first(std::min<std::size_t>(items[i].size(), 24)))
                                 << ": casblob " << mine << (streamed.empty() ? "" : ", streamed " + streamed)
                                 << ", python " << want);
      }
    }
  }
  CHECK(disagreements == 0);
}

TEST_CASE("pre-cas: a 0-byte file returns b\"\", and no failure is a clean error", "[pre-cas]") {
  ReadOptions ro;
  ro.profile = Profile::pre_cas;
  auto empty = decode_blob(Bytes{}, std::string(R"({"cas_raw": false, "cas_version": 1})"), ro);
  REQUIRE(empty.ok());
  CHECK(empty->bytes.empty());
  CHECK(empty->info.encoding == Encoding::gzip_pre_cas);

  // A v2 blob with its sidecar: gunzipped regardless, BadGzipFile escapes (not version_unsupported).
  EncodeOptions v2;
  v2.version = 2;
  auto enc = encode_blob(text("hello, metaflow\n"), v2);
  REQUIRE(enc.ok());
  auto r = decode_blob(enc->bytes, enc->info.meta, ro);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::unhandled);
  CHECK(r.error().detail == Detail::none);
  CHECK(r.error().message.rfind("BadGzipFile: Not a gzipped file", 0) == 0);
}
