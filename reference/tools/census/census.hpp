// The silent-corruption census (issue #7): every valid fixture and generated payloads of the
// realistic kinds, each encoded as the v1/v2/raw variants, mutated (bit flips, truncations,
// insertions, deletions, appended bytes, sidecar damage) and read under every reader profile
// of the library's table (kAllProfiles). Each read is classified as correct / clean_error / wrong_bytes / unhandled.
//
// Mutants are generated on the fly by each worker thread from a compact plan (input, mutation
// class, index); nothing but the inputs and sampled positions is held in memory.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "casblob/error.hpp"
#include "casblob/io.hpp"
#include "casblob/profile.hpp"
#include "casblob/reader.hpp"

namespace casblob::census {

// ---- dimensions ---------------------------------------------------------------------------

enum class Variant { v1_gzip, v2_lz4_default, v2_lz4_content_checksum, v2_lz4_block_checksum, raw };
inline constexpr int kVariants = 5;
std::string_view name(Variant v) noexcept;  // "v1-gzip", "v2-lz4-default", ...

enum class Mutation {
  none,                  // the input as stored (baseline)
  bitflip,               // one bit of the payload flipped
  truncate,              // payload cut to length n (every n < size, or a sample)
  insert_byte,           // one byte inserted at an offset
  delete_byte,           // one byte removed
  append_garbage,        // bytes that are not a member/frame appended (NULs, newline, random, magic fragments)
  append_member,         // a second valid gzip member / lz4 frame / skippable frame appended
  sidecar_lost,          // the sidecar is gone (read as a pre-sidecar gzip blob)
  sidecar_version_type,  // "cas_version": "N", N.0, true, null
  sidecar_raw_type,      // "cas_raw": "false", 0, null (and "true"/1 for raw blobs)
  sidecar_version_swap,  // cas_version 1 <-> 2
  sidecar_raw_flip,      // cas_raw negated
  payload_swap,          // the payload of the other version (same content) under this sidecar
};
inline constexpr int kMutations = 13;
std::string_view name(Mutation m) noexcept;

enum class Outcome { correct, clean_error, wrong_bytes, unhandled };
inline constexpr int kOutcomes = 4;
std::string_view name(Outcome o) noexcept;

// Every profile of the table, in kAllProfiles order: the census reads each mutant under each.
inline constexpr int kProfiles = static_cast<int>(std::size(kAllProfiles));
// The index of `p` in kAllProfiles (the profile dimension of Results::counts).
constexpr int profile_index(Profile p) noexcept {
  for (int i = 0; i < kProfiles; ++i)
    if (kAllProfiles[i] == p) return i;
  return -1;
}
inline constexpr int kErrcCount = static_cast<int>(Errc::usage) + 1;
inline constexpr int kDetailCount = static_cast<int>(Detail::data) + 1;

// ---- inputs -------------------------------------------------------------------------------

struct Input {
  std::string name;      // fixture name, or "gen/<kind>/<size>"
  bool fixture = false;  // from fixtures/manifest.json (else generated)
  Variant variant = Variant::v1_gzip;
  Bytes blob;            // as stored
  SidecarText sidecar;   // as stored (nullopt: no sidecar)
  std::string key;       // SHA-1 of the content
  bool raw = false;      // what the sidecar declares (no sidecar: false, version 1)
  int version = 1;
  std::uint64_t content_size = 0;
  Bytes swapped;         // payload_swap: the same content as the other version's payload(s)
  Bytes swapped2;        //   (raw inputs: gzip and lz4 payloads)
};

// Generated payload kinds: "pickle" (pickled-dict-like bytes), "float64" (a float64 array),
// "random", "text". Deterministic from (kind, size, seed).
Bytes generate_payload(std::string_view kind, std::size_t size, std::uint64_t seed);
inline constexpr std::string_view kPayloadKinds[] = {"pickle", "float64", "random", "text"};

// Encodes `content` as one variant with the library's encode_blob (gzip mtime 0).
Result<Input> make_input(std::string name, Variant v, ByteView content);

// Valid fixtures: manifest tests whose strict expectation is ok.
Result<std::vector<Input>> load_fixtures(const std::string& fixtures_dir, unsigned threads = 1);

// The variant a stored blob belongs to (fixtures): by sidecar and lz4 frame flags.
Variant classify_variant(ByteView blob, const SidecarText& sidecar);

// ---- mutation plans -------------------------------------------------------------------------

struct Limits {
  // Exhaustive bit flips / truncations for payloads up to this size, else a seeded sample.
  std::size_t exhaustive_max = 64 * 1024;
  std::size_t sample = 20000;  // positions sampled above exhaustive_max
  // Cost bound (fixtures in the default run): at most this many decoded bytes per mutation
  // class and profile, i.e. mutants <= max(min_positions, budget / content size).
  std::uint64_t decode_budget = 0;  // 0: no bound (bit flips, truncations, insertions, deletions)
  std::size_t min_positions = 64;
  std::size_t indel_positions = 128;  // sampled offsets for insertions and for deletions
};

// One mutation class applied to one input: `count` mutants, the i-th made by mutate().
struct Plan {
  std::size_t input = 0;
  Mutation mutation = Mutation::none;
  std::size_t count = 0;
  std::vector<std::uint32_t> positions;  // sampled offsets/lengths (empty: 0..count-1)
  std::uint64_t seed = 0;
};

std::vector<Plan> make_plans(const std::vector<Input>& inputs, std::size_t input_index, const Limits& limits,
                             std::uint64_t seed);

// One mutant: the blob (a view into `scratch` or into the input) and the sidecar.
struct Mutant {
  ByteView blob;
  SidecarText sidecar;
};
// Builds mutant i of `plan` into `scratch` (reused between calls).
Mutant mutate(const Input& in, const Plan& plan, std::size_t i, Bytes& scratch);

// Sidecar texts used by the sidecar mutations (exposed for tests).
std::string sidecar_text(std::string_view raw_json, std::string_view version_json);

// Seeded sample of k distinct values of [0, n), sorted; all of [0, n) when k >= n.
std::vector<std::uint32_t> sample_positions(std::size_t n, std::size_t k, std::uint64_t seed);

// ---- reading and classifying ----------------------------------------------------------------

struct Reading {
  Outcome outcome = Outcome::correct;
  Errc error = Errc::ok;
  Detail detail = Detail::none;
  std::string sha1;     // of the bytes returned (when the read succeeded)
  std::string message;  // error message
};
// decode_blob into a hashing null sink; strict is given the key, other profiles are not.
Reading read_mutant(ByteView blob, const SidecarText& sidecar, const std::string& key, Profile profile);

// ---- the run ------------------------------------------------------------------------------

struct Counts {
  std::uint64_t mutants = 0;
  std::array<std::uint64_t, kOutcomes> outcome{};
  std::array<std::uint64_t, kErrcCount> errors{};
  std::array<std::uint64_t, kDetailCount> details{};  // of corrupt errors
  void add(const Counts& o);
};

struct Options {
  unsigned threads = 0;  // 0: hardware concurrency
  std::uint64_t seed = 1;
  bool quick = false;
  bool exhaustive = false;  // fixtures too: every flip/truncation up to 64 KiB (slow)
  std::optional<std::string> fixtures_dir;  // nullopt: no fixtures
  bool generated = true;
  std::optional<std::string> dump_dir;  // write a seeded sample of mutants for cross-checks
  std::size_t dump_sample = 0;
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;  // called from a monitor
};

struct Results {
  // [source: 0 generated, 1 fixtures][variant][profile][mutation]
  std::array<std::array<std::array<std::array<Counts, kMutations>, kProfiles>, kVariants>, 2> counts;
  std::uint64_t total_mutants = 0;
  double seconds = 0;
  double setup_seconds = 0;
  double cpu_seconds = 0;    // user + system CPU of the process (the machine may be shared)  // inputs and plans, before the workers start
  unsigned threads = 0;
  std::uint64_t seed = 0;
  bool quick = false;
  std::array<std::array<std::size_t, kVariants>, 2> inputs{};  // input count per source/variant
  std::array<std::array<std::uint64_t, kVariants>, 2> stored_bytes{};
  std::size_t dumped = 0;
  Counts merged(int variant, int profile, int mutation) const;  // both sources; -1 = all
  Counts merged_source(int source, int variant, int profile, int mutation) const;
};

// $CASBLOB_FIXTURES, else "fixtures" (the repository's folder, from its root). No path is
// compiled in: an installed casblob has no source tree.
std::string default_fixtures_dir();

// Builds inputs (fixtures + generated), plans, runs the workers.
Result<Results> run(const Options& opts);

// Reports.
std::string to_json(const Results& r);  // JSON text (see reference/census/README.md)
std::string to_markdown(const Results& r, const std::string& command);
std::string to_terminal(const Results& r);
std::string to_svg(const Results& r);

}  // namespace casblob::census
