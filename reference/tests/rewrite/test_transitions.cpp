// The transition table (reference/tools/rewrite/transitions.hpp, spec "Rewriting blobs"):
// every intermediate state of every (from, to) pair, built and read under every profile, in
// C++ and through the Python Metaflow model (python/metaflow_model), on contents that stress
// the hazards (empty, itself gzip, itself an lz4 frame, larger than a read chunk).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "casblob/casblob.hpp"
#include "rewrite/transitions.hpp"
#include "support.hpp"

using namespace casblob;
using namespace casblob::rewrite;

namespace {

struct Content {
  std::string name;
  Bytes bytes;
};

std::vector<Content> contents() {
  std::vector<Content> c;
  c.push_back({"empty", {}});
  c.push_back({"sample", table_sample_content()});
  c.push_back({"random 10k", test::seeded_bytes("random", 10000, 3)});
  // H-RAWGZ: raw content that is itself a gzip member (a .tar.gz code package) or an lz4 frame.
  auto gz = encode_blob(test::seeded_bytes("text", 5000, 4), EncodeOptions{});
  c.push_back({"content is gzip", gz->bytes});
  EncodeOptions v2;
  v2.version = 2;
  auto lz = encode_blob(test::seeded_bytes("text", 5000, 5), v2);
  if (lz) c.push_back({"content is an lz4 frame", lz->bytes});
  c.push_back({"text 3 MB", test::seeded_bytes("text", 3 << 20, 6)});
  return c;
}

bool has_lz4() { return lz4_available(); }

}  // namespace

TEST_CASE("every intermediate state of every transition is right bytes or a clean error under every profile (R-MIG-1)") {
  if (!has_lz4()) return;  // built without lz4: v2 cannot be written
  for (const auto& c : contents()) {
    for (const auto& t : all_transitions()) {
      INFO(c.name << ": " << describe(t));
      TransitionProof p = prove(t, c.bytes);
      REQUIRE(!p.key.empty());
      // The endpoints are what they should be: both read right under strict.
      CHECK(p.from.reads.back().outcome == audit::Outcome::right);
      CHECK(p.to.reads.back().outcome == audit::Outcome::right);
      for (const auto& s : p.intermediate) {
        INFO(describe(s.state));
        std::string v;
        for (const auto& n : s.violations) v += n + " ";
        INFO("violations: " << v);
        CHECK(s.violations.empty());
        for (std::size_t i = 0; i < s.reads.size(); ++i) {
          if (!reads_sidecars(kAllProfiles[i])) {
            // pre-CAS: only ever the old or the new payload, read as it reads them at the ends.
            CHECK(s.reads[i] == (s.state.new_payload ? p.to : p.from).reads[i]);
            continue;
          }
          CHECK(s.reads[i].outcome != audit::Outcome::wrong_bytes);
          CHECK(s.reads[i].outcome != audit::Outcome::unhandled);
        }
      }
      CHECK(p.holds());
    }
  }
}

TEST_CASE("the fence sidecar makes every CAS-era profile fail cleanly without reading the payload (R-MIG-2)") {
  if (!has_lz4()) return;  // built without lz4: v2 cannot be written
  // Whatever the payload: gzip, lz4, raw content that is gzip.
  for (const auto& c : contents()) {
    for (int version : {1, 2}) {
      EncodeOptions o;
      o.version = version;
      auto enc = encode_blob(c.bytes, o);
      REQUIRE(enc);
      for (ByteView payload : {ByteView(enc->bytes), ByteView(c.bytes)}) {
        for (Profile p : kAllProfiles) {
          if (!reads_sidecars(p)) continue;  // pre-CAS never reads a sidecar, fence or not
          ReadOptions ro;
          ro.profile = p;
          ro.key = enc->info.key;
          auto d = decode_blob(payload, std::string(kFenceSidecar), ro);
          REQUIRE(!d);
          CHECK(d.error().code == (p == Profile::strict ? Errc::meta_invalid : Errc::version_unsupported));
        }
      }
    }
  }
}

static std::size_t index_of(Profile p) {
  for (std::size_t i = 0; i < std::size(kAllProfiles); ++i)
    if (kAllProfiles[i] == p) return i;
  return 0;
}

TEST_CASE("the rule rejects the orders the plan avoids: raw <-> encoded without the fence gives legacy wrong bytes") {
  if (!has_lz4()) return;  // built without lz4: v2 cannot be written
  const Bytes sample = table_sample_content();
  // raw -> v1 payload first: the gzip payload beside the raw sidecar is returned as content.
  auto p1 = prove({Form::raw, {Form::v1}}, sample, std::vector<Step>{Step::payload, Step::sidecar});
  REQUIRE(p1.intermediate.size() == 1);
  CHECK(!p1.holds());
  CHECK(p1.intermediate[0].reads[index_of(Profile::legacy)].outcome == audit::Outcome::wrong_bytes);
  // raw -> v1 sidecar first, when the raw content is itself gzip (H-RAWGZ): legacy gunzips it.
  auto gz = encode_blob(test::seeded_bytes("text", 5000, 4), EncodeOptions{});
  auto p2 = prove({Form::raw, {Form::v1}}, gz->bytes, std::vector<Step>{Step::sidecar, Step::payload});
  CHECK(!p2.holds());
  // v1 -> raw sidecar first: the raw sidecar beside the gzip payload.
  auto p3 = prove({Form::v1, {Form::raw}}, sample, std::vector<Step>{Step::sidecar, Step::payload});
  CHECK(!p3.holds());
  // The plan's order for the same three holds.
  CHECK(prove({Form::raw, {Form::v1}}, sample).holds());
  CHECK(prove({Form::raw, {Form::v1}}, gz->bytes).holds());
  CHECK(prove({Form::v1, {Form::raw}}, sample).holds());
}

TEST_CASE("only pre-CAS ignores sidecars, by the library's dispatch") {
  for (Profile p : kAllProfiles) CHECK(reads_sidecars(p) == (p != Profile::pre_cas));
}

TEST_CASE("plan_steps: one write where one thing changes, payload first between encodings, the fence around raw") {
  CHECK(plan_steps(false, false, false).empty());
  CHECK(plan_steps(true, false, false) == std::vector<Step>{Step::payload});
  CHECK(plan_steps(false, true, true) == std::vector<Step>{Step::sidecar});
  CHECK(plan_steps(true, true, false) == std::vector<Step>{Step::payload, Step::sidecar});
  CHECK(plan_steps(true, true, true) == std::vector<Step>{Step::fence, Step::payload, Step::sidecar});
  CHECK(intermediate_states({Step::fence, Step::payload, Step::sidecar}).size() == 2);
}

TEST_CASE("every intermediate state read through the Python Metaflow model agrees with the C++ profiles and holds the rule") {
  if (!has_lz4()) return;  // built without lz4: v2 cannot be written
  // One python process for every state: (payload, sidecar or "", key, has_sidecar) per item.
  std::vector<Bytes> items;
  struct Expect {
    std::string what;
    std::vector<ProfileRead> reads, endpoint;
  };
  std::vector<Expect> expect;
  for (const auto& c : contents()) {
    if (c.bytes.size() > (1 << 20)) continue;  // the model reads in memory; 3 MB adds nothing here
    for (const auto& t : all_transitions()) {
      TransitionProof p = prove(t, c.bytes);
      for (const auto& s : p.intermediate) {
        items.push_back(s.payload);
        items.push_back(s.sidecar ? Bytes(s.sidecar->begin(), s.sidecar->end()) : Bytes{});
        items.push_back(Bytes{static_cast<std::uint8_t>(s.sidecar ? 1 : 0)});
        items.push_back(Bytes(p.key.begin(), p.key.end()));
        const StateProof& ep = s.state.new_payload ? p.to : p.from;
        expect.push_back({c.name + ": " + describe(t) + ": " + describe(s.state), s.reads, ep.reads});
      }
    }
  }
  std::string script = std::string(test::kPythonListHelpers) + R"(
import json, sys
from metaflow_model import PROFILES, read_outcome
items = read_list()
out = []
for i in range(0, len(items), 4):
    payload, sidecar, has, key = items[i], items[i + 1], items[i + 2], items[i + 3].decode()
    out.append({p: read_outcome(payload, sidecar if has == b"\x01" else None, p, key) for p in PROFILES})
sys.stdout.write(json.dumps(out))
)";
  Bytes raw = test::run_python(script, test::pack_list(items));
  auto model = nlohmann::json::parse(std::string(raw.begin(), raw.end()));
  REQUIRE(model.size() == expect.size());
  std::size_t checked = 0;
  for (std::size_t i = 0; i < expect.size(); ++i) {
    for (std::size_t pi = 0; pi < std::size(kAllProfiles); ++pi) {
      const std::string pname(name(kAllProfiles[pi]));
      if (!model[i].contains(pname)) continue;  // strict: not a model profile
      INFO(expect[i].what << " under " << pname << ": model " << model[i][pname].dump());
      const auto& m = model[i][pname];
      const ProfileRead& c = expect[i].reads[pi];
      const std::string mo = m["outcome"];
      if (mo == "ok") CHECK(c.outcome == audit::Outcome::right);
      else if (mo == "wrong_bytes") {
        CHECK(c.outcome == audit::Outcome::wrong_bytes);
        CHECK(m["sha1"] == c.sha1);
      } else if (m["error"] == "unhandled") CHECK(c.outcome == audit::Outcome::unhandled);
      else {
        CHECK(c.outcome == audit::Outcome::clean_error);
        CHECK(m["error"] == c.error);
      }
      // The rule, on the model's own outcome.
      const bool fine = mo == "ok" || (mo == "error" && m["error"] != "unhandled") ||
                        (!reads_sidecars(kAllProfiles[pi]) && c == expect[i].endpoint[pi]);
      CHECK(fine);
      ++checked;
    }
  }
  CHECK(checked >= 4 * expect.size());  // pre-cas, legacy, v2, v2-nolz4
}
