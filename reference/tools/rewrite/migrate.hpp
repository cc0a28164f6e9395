// casblob migrate: every blob of a datastore into one target encoding (v1 -> v2 the rollout,
// v2 -> v1 the rollback, v2 -> v2 with a content checksum, raw <-> encoded), each blob proven
// by its key before and after, switched in the order of the transition table. Dry run unless
// `apply`; `jobs` workers over <kk> folders; a journal that `resume` continues. Idempotent:
// a second run finds every blob in the target. Damaged and vanished blobs are reported and
// skipped, never rewritten.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "rewrite/rewrite_blob.hpp"

namespace casblob::rewrite {

struct MigrateOptions {
  RewritePolicy policy;
  bool apply = false;
  unsigned jobs = 1;
  std::vector<std::string> flows;  // empty: every flow
  std::string journal;             // empty: none
  bool resume = false;
  std::string command = "migrate";
  const std::atomic<bool>* stop = nullptr;  // set: finish the blobs in hand, stop
  std::function<void(const audit::BlobRef&, const BlobRewrite&)> on_blob;  // one call at a time
};

// Who cannot read the blobs this run leaves in the target (the "new minimum reader
// generation"): per profile of the library, how many such blobs it fails on.
struct ReaderLoss {
  std::string profile, models;
  std::uint64_t blobs = 0;
};

struct MigrateReport {
  std::string root, target;
  bool apply = false, complete = true, interrupted = false;
  std::map<std::string, std::uint64_t> outcomes;  // by name(BlobOutcome)
  std::uint64_t resumed_from_journal = 0;        // skipped: the journal says done
  std::uint64_t finished_interrupted = 0;        // blobs found in a state a rewrite leaves
  std::uint64_t bytes_before = 0, bytes_after = 0, content_bytes = 0;  // of the blobs rewritten
  std::uint64_t bytes_examined = 0, blobs_examined = 0;
  double seconds = 0;
  struct Left {
    std::string path, outcome, message;
    std::vector<std::string> findings;
  };
  std::vector<Left> left;  // damaged, vanished, failed
  std::vector<ReaderLoss> cannot_read;
  std::uint64_t in_target_after = 0;  // blobs in the target form once the run is done
  std::string statement() const;      // "after this, ... cannot read N blobs"
};

// Errors: usage (options, journal), not_found (not a datastore), io_error (listing the root).
Result<MigrateReport> run_migrate(Storage& storage, const MigrateOptions& opts);

std::string report_text(const MigrateReport& r);
std::string report_json(const MigrateReport& r);

}  // namespace casblob::rewrite
