// What an audit found: counts, space, the readers table and the findings. Built by run_audit()
// (scanner.hpp) or by merging shard reports (merge.hpp); written by the report writers.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "audit/findings.hpp"
#include "audit/options.hpp"

namespace casblob::audit {

// What one reader does with one blob (spec 1.4: wrong bytes are the worst outcome).
enum class Outcome { right, clean_error, unhandled, wrong_bytes, not_read };
std::string_view name(Outcome o) noexcept;  // "right", "clean_error", "unhandled", "wrong_bytes", "not_read"

// One row of "who can read this store": a reader generation and what it does with each blob.
struct ReaderRow {
  std::string id;      // a profile name, or a derived row's id
  std::string reader;  // the deployed software it stands for
  bool derived = false;
  std::array<std::uint64_t, 5> outcomes{};     // indexed by Outcome
  std::map<std::string, std::uint64_t> errors;  // clean and unhandled errors by label
  std::uint64_t& count(Outcome o) { return outcomes[static_cast<std::size_t>(o)]; }
  std::uint64_t count(Outcome o) const { return outcomes[static_cast<std::size_t>(o)]; }
};

struct SpaceRow {
  std::uint64_t blobs = 0, stored = 0;
  std::uint64_t content = 0, content_blobs = 0;  // content bytes where known (decoded, or raw)
  void add(const SpaceRow& o) {
    blobs += o.blobs, stored += o.stored, content += o.content, content_blobs += o.content_blobs;
  }
};

// Blobs the task indexes of one run refer to. `exclusive`: referred to by no other run of the
// flow (what removing the run would free).
struct RunSpace {
  std::uint64_t task_indexes = 0;
  SpaceRow referenced, exclusive;
  void add(const RunSpace& o) {
    task_indexes += o.task_indexes;
    referenced.add(o.referenced);
    exclusive.add(o.exclusive);
  }
};

struct GcEntry {
  std::string flow, key, path;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

struct Counts {
  std::uint64_t entries = 0;        // names listed in CAS prefixes
  std::uint64_t blobs = 0;          // payloads (key-named regular files)
  std::uint64_t sidecars = 0;       // sidecars found beside them
  std::uint64_t decoded = 0;        // blobs read in full (--level data, sampled)
  std::uint64_t bytes_read = 0;     // payload bytes read
  std::uint64_t task_indexes = 0;   // <attempt>.data.json read
  std::uint64_t references = 0;     // artifact name -> key entries in them (in this shard)
  std::uint64_t skipped = 0;        // findings dropped by --skip-list
  void add(const Counts& o);
};

struct AuditReport {
  std::string root;                 // the store's URL
  Level level = Level::data;
  Shard shard;
  Sample sample;
  unsigned jobs = 1;
  std::uint64_t max_size = 0;
  std::string started;              // UTC, ISO 8601
  double seconds = 0;
  bool complete = true;             // every unit listed and read
  bool interrupted = false;
  bool lz4_available = false;       // what this build can decode
  std::int64_t grace_ns = 0;
  std::vector<std::string> flows;   // audited
  std::vector<std::string> reachability_unknown;  // flows whose task indexes were not all read

  Counts counts;
  SpaceRow total;
  std::map<std::string, SpaceRow> by_flow, by_encoding;
  std::map<std::string, std::map<std::string, SpaceRow>> by_flow_encoding;  // flow -> encoding
  std::map<std::string, RunSpace> by_run;  // "<Flow>/<run>"
  std::vector<ReaderRow> readers;
  std::vector<Finding> findings;           // sorted (finding_less)
  std::vector<GcEntry> gc;                 // unreferenced, older than the grace period, not raw
  std::vector<std::string> suggest;        // next commands

  std::uint64_t count(FindingId id) const;
  std::uint64_t count(Severity s) const;
};

// The exit status the report calls for (exit_codes.hpp).
int exit_status(const AuditReport& r);

}  // namespace casblob::audit
