// What an audit reads and how (casblob audit / doctor options, reference/tools/audit/README.md).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/findings.hpp"
#include "casblob/reader.hpp"

namespace casblob::audit {

// metadata: list, stat, sidecar and first bytes (no decode). data: also a full decode under
// strict with the key, and each blob's outcome under every reader profile.
enum class Level { metadata, data };
std::string_view name(Level l) noexcept;

// A slice of the 256 <kk> prefixes: shard `index` (1-based) of `count`. Each prefix belongs
// to exactly one shard, so N shards audit every blob once, and audit-merge joins them.
struct Shard {
  unsigned index = 1, count = 1;
  bool contains(unsigned prefix) const { return prefix * count / 256 == index - 1; }
};

// A deterministic subset of keys decoded at --level data (restic's --read-data-subset): a key
// is in when a hash of (seed, key) falls below `fraction`. Every blob still gets the metadata
// checks.
struct Sample {
  double fraction = 1.0;
  std::uint64_t seed = 0;
  bool contains(std::string_view key) const;
};

struct Progress {
  std::uint64_t objects = 0, bytes = 0;     // examined so far
  std::uint64_t units_done = 0, units = 0;  // (flow, <kk>) and task-index units
};

struct AuditOptions {
  std::vector<std::string> flows;  // empty: every flow
  Level level = Level::data;
  unsigned jobs = 0;               // 0: the machine's cores
  Shard shard;
  Sample sample;
  std::uint64_t max_size = kDefaultMaxSize;  // strict's limit
  std::set<std::string> skip_keys;           // --skip-list: no findings for these keys
  std::map<FindingId, Severity> severity;    // --severity ID=LEVEL
  std::set<FindingId> ignore;                // --severity ID=ignore: not reported at all
  std::int64_t grace_ns = std::int64_t{14} * 24 * 3600 * 1000000000;  // gc plan
  std::int64_t now_ns = 0;                   // 0: the clock at start
  // Called for each finding as it is made (the JSONL stream), from the worker that made it,
  // one call at a time.
  std::function<void(const Finding&)> on_finding;
  std::function<void(const Progress&)> on_progress;  // about every 200 ms, from one thread
  const std::atomic<bool>* stop = nullptr;           // set: finish the current blobs, report
};

}  // namespace casblob::audit
