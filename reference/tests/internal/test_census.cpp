// The census engine (reference/census): mutators, plans, sampling, classification, reports.
#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "census/census.hpp"
#include "casblob/key.hpp"
#include "casblob/meta.hpp"

using namespace casblob;
using namespace casblob::census;

namespace {

Input input_for(Variant v, std::size_t size = 300, std::string_view kind = "text") {
  Bytes content = generate_payload(kind, size, 7);
  auto in = make_input("t", v, content);
  REQUIRE(in.ok());
  return std::move(*in);
}

const Plan& plan_of(const std::vector<Plan>& plans, Mutation m) {
  for (const auto& p : plans)
    if (p.mutation == m) return p;
  FAIL("no plan for " << name(m));
  return plans.front();
}

}  // namespace

TEST_CASE("census: generated payloads are deterministic, sized and distinct by kind", "[census]") {
  for (auto kind : kPayloadKinds) {
    for (std::size_t n : {0u, 1u, 17u, 1024u, 8192u}) {
      Bytes a = generate_payload(kind, n, 1), b = generate_payload(kind, n, 1);
      CHECK(a.size() == n);
      CHECK(a == b);
    }
    CHECK(generate_payload(kind, 1024, 1) != generate_payload(kind, 1024, 2));
  }
  CHECK(generate_payload("pickle", 512, 1)[0] == 0x80);  // pickle PROTO opcode
  Bytes p = generate_payload("pickle", 512, 1);
  CHECK(p[510] == 'u');
  CHECK(p[511] == '.');  // STOP
}

TEST_CASE("census: make_input encodes every variant readably with Metaflow's sidecar", "[census]") {
  for (int v = 0; v < kVariants; ++v) {
    Input in = input_for(static_cast<Variant>(v));
    INFO(name(in.variant));
    REQUIRE(in.sidecar);
    CHECK(*in.sidecar == emit_meta(in.raw, in.version));
    CHECK(classify_variant(in.blob, in.sidecar) == in.variant);
    for (Profile p : kAllProfiles) {
      Reading r = read_mutant(in.blob, in.sidecar, in.key, p);
      bool v2_blob = in.version == 2 && !in.raw;
      if (p == Profile::pre_cas && (v2_blob || in.raw)) CHECK(r.outcome == Outcome::unhandled);  // gunzips all
      else if (v2_blob && p == Profile::legacy) CHECK(r.error == Errc::version_unsupported);
      else if (v2_blob && p == Profile::v2_nolz4) CHECK(r.error == Errc::codec_unavailable);
      else CHECK(r.outcome == Outcome::correct);
    }
  }
}

TEST_CASE("census: sample_positions is a sorted seeded sample without repeats", "[census]") {
  auto all = sample_positions(10, 20, 1);
  REQUIRE(all.size() == 10);
  for (std::uint32_t i = 0; i < 10; ++i) CHECK(all[i] == i);
  auto s = sample_positions(100000, 20000, 3);
  CHECK(s.size() == 20000);
  CHECK(std::is_sorted(s.begin(), s.end()));
  CHECK(std::set<std::uint32_t>(s.begin(), s.end()).size() == 20000);
  CHECK(s.back() < 100000);
  CHECK(s == sample_positions(100000, 20000, 3));
  CHECK(s != sample_positions(100000, 20000, 4));
}

TEST_CASE("census: plans are exhaustive up to the limit and sampled above it", "[census]") {
  std::vector<Input> inputs{input_for(Variant::v1_gzip, 2000)};
  const std::size_t s = inputs[0].blob.size();
  Limits lim;
  auto plans = make_plans(inputs, 0, lim, 1);
  CHECK(plan_of(plans, Mutation::none).count == 1);
  CHECK(plan_of(plans, Mutation::bitflip).count == 8 * s);
  CHECK(plan_of(plans, Mutation::bitflip).positions.empty());
  CHECK(plan_of(plans, Mutation::truncate).count == s);
  CHECK(plan_of(plans, Mutation::insert_byte).count == std::min<std::size_t>(s + 1, lim.indel_positions));
  CHECK(plan_of(plans, Mutation::sidecar_version_type).count == 4);
  CHECK(plan_of(plans, Mutation::payload_swap).count == 1);

  lim.exhaustive_max = 16;
  lim.sample = 100;
  plans = make_plans(inputs, 0, lim, 1);
  CHECK(plan_of(plans, Mutation::bitflip).count == 100);
  CHECK(plan_of(plans, Mutation::bitflip).positions.size() == 100);
  CHECK(plan_of(plans, Mutation::truncate).count == 100);

  // No sidecar: no sidecar mutations.
  inputs[0].sidecar.reset();
  plans = make_plans(inputs, 0, Limits{}, 1);
  for (const auto& p : plans) CHECK(std::string(name(p.mutation)).rfind("sidecar", 0) != 0);
  for (const auto& p : plans) CHECK(p.mutation != Mutation::payload_swap);
}

TEST_CASE("census: mutators change exactly what they say", "[census]") {
  std::vector<Input> inputs{input_for(Variant::v1_gzip, 500)};
  const Input& in = inputs[0];
  auto plans = make_plans(inputs, 0, Limits{}, 1);
  Bytes scratch;

  const Plan& flip = plan_of(plans, Mutation::bitflip);
  for (std::size_t i : {std::size_t{0}, std::size_t{7}, std::size_t{8}, flip.count - 1}) {
    Mutant m = mutate(in, flip, i, scratch);
    REQUIRE(m.blob.size() == in.blob.size());
    std::size_t diff_bits = 0;
    for (std::size_t k = 0; k < in.blob.size(); ++k) diff_bits += std::popcount(unsigned(m.blob[k] ^ in.blob[k]));
    CHECK(diff_bits == 1);
    CHECK((m.blob[i / 8] ^ in.blob[i / 8]) == (1u << (i % 8)));
    CHECK(m.sidecar == in.sidecar);
  }

  const Plan& trunc = plan_of(plans, Mutation::truncate);
  for (std::size_t i : {std::size_t{0}, std::size_t{5}, trunc.count - 1}) {
    Mutant m = mutate(in, trunc, i, scratch);
    CHECK(m.blob.size() == i);
    CHECK(std::equal(m.blob.begin(), m.blob.end(), in.blob.begin()));
  }

  const Plan& ins = plan_of(plans, Mutation::insert_byte);
  for (std::size_t i = 0; i < ins.count; i += 17) {
    std::size_t off = ins.positions.empty() ? i : ins.positions[i];
    Mutant m = mutate(in, ins, i, scratch);
    REQUIRE(m.blob.size() == in.blob.size() + 1);
    CHECK(std::equal(in.blob.begin(), in.blob.begin() + off, m.blob.begin()));
    CHECK(std::equal(in.blob.begin() + off, in.blob.end(), m.blob.begin() + off + 1));
  }

  const Plan& del = plan_of(plans, Mutation::delete_byte);
  for (std::size_t i = 0; i < del.count; i += 13) {
    std::size_t off = del.positions.empty() ? i : del.positions[i];
    Mutant m = mutate(in, del, i, scratch);
    REQUIRE(m.blob.size() == in.blob.size() - 1);
    CHECK(std::equal(in.blob.begin(), in.blob.begin() + off, m.blob.begin()));
    CHECK(std::equal(in.blob.begin() + off + 1, in.blob.end(), m.blob.begin() + off));
  }

  const Plan& garbage = plan_of(plans, Mutation::append_garbage);
  for (std::size_t i = 0; i < garbage.count; ++i) {
    Mutant m = mutate(in, garbage, i, scratch);
    CHECK(m.blob.size() > in.blob.size());
    CHECK(std::equal(in.blob.begin(), in.blob.end(), m.blob.begin()));
  }
  // Deterministic: the same mutant twice.
  Bytes a(mutate(in, garbage, 9, scratch).blob.begin(), mutate(in, garbage, 9, scratch).blob.end());
  Bytes scratch2;
  Mutant b = mutate(in, garbage, 9, scratch2);
  CHECK(a == Bytes(b.blob.begin(), b.blob.end()));

  // A second gzip member: concatenation (Python and strict decode both members).
  const Plan& member = plan_of(plans, Mutation::append_member);
  Mutant mm = mutate(in, member, 0, scratch);
  Reading legacy = read_mutant(mm.blob, mm.sidecar, in.key, Profile::legacy);
  CHECK(legacy.outcome == Outcome::wrong_bytes);
  CHECK(read_mutant(mm.blob, mm.sidecar, in.key, Profile::strict).error == Errc::key_mismatch);
  // An empty member changes nothing.
  mm = mutate(in, member, 1, scratch);
  CHECK(read_mutant(mm.blob, mm.sidecar, in.key, Profile::legacy).outcome == Outcome::correct);
  CHECK(read_mutant(mm.blob, mm.sidecar, in.key, Profile::strict).outcome == Outcome::correct);
}

TEST_CASE("census: sidecar mutations write the documented JSON", "[census]") {
  std::vector<Input> inputs{input_for(Variant::v2_lz4_default), input_for(Variant::raw)};
  Bytes scratch;
  auto plans = make_plans(inputs, 0, Limits{}, 1);
  CHECK(sidecar_text("false", "2") == emit_meta(false, 2));
  std::vector<std::string> vt;
  const Plan& p = plan_of(plans, Mutation::sidecar_version_type);
  for (std::size_t i = 0; i < p.count; ++i) vt.push_back(*mutate(inputs[0], p, i, scratch).sidecar);
  CHECK(vt == std::vector<std::string>{R"({"cas_raw": false, "cas_version": "2"})", R"({"cas_raw": false, "cas_version": 2.0})",
                                       R"({"cas_raw": false, "cas_version": true})", R"({"cas_raw": false, "cas_version": null})"});
  CHECK(*mutate(inputs[0], plan_of(plans, Mutation::sidecar_raw_type), 0, scratch).sidecar ==
        R"({"cas_raw": "false", "cas_version": 2})");
  CHECK(*mutate(inputs[0], plan_of(plans, Mutation::sidecar_version_swap), 0, scratch).sidecar ==
        R"({"cas_raw": false, "cas_version": 1})");
  CHECK(*mutate(inputs[0], plan_of(plans, Mutation::sidecar_raw_flip), 0, scratch).sidecar ==
        R"({"cas_raw": true, "cas_version": 2})");
  CHECK(!mutate(inputs[0], plan_of(plans, Mutation::sidecar_lost), 0, scratch).sidecar);
  Mutant sw = mutate(inputs[0], plan_of(plans, Mutation::payload_swap), 0, scratch);
  REQUIRE(sw.blob.size() >= 2);
  CHECK((sw.blob[0] == 0x1f && sw.blob[1] == 0x8b));  // v2 sidecar, gzip payload

  // Known verdicts: "cas_raw": "false" is truthy in Python (compressed bytes returned);
  // "cas_version": "2" makes "%d" raise TypeError (unhandled); strict rejects both.
  Mutant rt = mutate(inputs[0], plan_of(plans, Mutation::sidecar_raw_type), 0, scratch);
  CHECK(read_mutant(rt.blob, rt.sidecar, inputs[0].key, Profile::v2).outcome == Outcome::wrong_bytes);
  CHECK(read_mutant(rt.blob, rt.sidecar, inputs[0].key, Profile::strict).error == Errc::meta_invalid);
  Mutant vs = mutate(inputs[0], p, 0, scratch);
  CHECK(read_mutant(vs.blob, vs.sidecar, inputs[0].key, Profile::v2).outcome == Outcome::unhandled);

  auto raw_plans = make_plans(inputs, 1, Limits{}, 1);
  CHECK(plan_of(raw_plans, Mutation::payload_swap).count == 2);
  CHECK(*mutate(inputs[1], plan_of(raw_plans, Mutation::sidecar_raw_type), 0, scratch).sidecar ==
        R"({"cas_raw": "true", "cas_version": 1})");
}

TEST_CASE("census: a quick run is deterministic and strict never returns wrong bytes", "[census]") {
  Options o;
  o.quick = true;
  o.threads = 2;
  auto r1 = run(o);
  REQUIRE(r1.ok());
  o.threads = 1;
  auto r2 = run(o);
  REQUIRE(r2.ok());
  CHECK(r1->total_mutants == r2->total_mutants);
  CHECK(r1->total_mutants > 10000);
  for (int v = 0; v < kVariants; ++v)
    for (int p = 0; p < kProfiles; ++p)
      for (int m = 0; m < kMutations; ++m) {
        const Counts& a = r1->counts[0][v][p][m];
        const Counts& b = r2->counts[0][v][p][m];
        CHECK(a.outcome == b.outcome);
        CHECK(a.errors == b.errors);
      }
  Counts strict = r1->merged(-1, profile_index(Profile::strict), -1);
  CHECK(strict.mutants == r1->total_mutants);
  CHECK(strict.outcome[2] == 0);
  CHECK(strict.outcome[3] == 0);
  // Raw blobs have no integrity check at all: every bit flip is silent for Metaflow.
  Counts raw_flip = r1->merged(static_cast<int>(Variant::raw), profile_index(Profile::legacy),
                               static_cast<int>(Mutation::bitflip));
  CHECK(raw_flip.outcome[2] == raw_flip.mutants);
  // Profile pre-cas: every failure is unhandled, none is a clean error (spec 7).
  Counts pre_cas = r1->merged(-1, profile_index(Profile::pre_cas), -1);
  CHECK(pre_cas.mutants == r1->total_mutants);
  CHECK(pre_cas.outcome[static_cast<int>(Outcome::clean_error)] == 0);
  CHECK(pre_cas.outcome[static_cast<int>(Outcome::unhandled)] > 0);

  auto j = nlohmann::json::parse(to_json(*r1));
  CHECK(j["total_mutants"] == r1->total_mutants);
  for (const auto& row : j["rows"]) {
    CHECK(row["mutants"].get<std::uint64_t>() ==
          row["correct"].get<std::uint64_t>() + row["clean_error"].get<std::uint64_t>() +
              row["wrong_bytes"].get<std::uint64_t>() + row["unhandled"].get<std::uint64_t>());
  }
  std::string svg = to_svg(*r1);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find("</svg>") != std::string::npos);
  CHECK(to_markdown(*r1, "casblob census --quick").find("| raw | strict |") != std::string::npos);
}
