// casblob repair: acts on what casblob audit finds (its scanner and findings, never re-derived),
// with every rewrite proven by the key (rewrite_blob.hpp) and everything nothing proves moved to
// a quarantine or reported, never deleted. Dry run unless `apply`: the plan is printed and
// written to the journal.
//
//   sidecarMissingUnreadable, sidecarInvalid, formatMismatch   the sidecar the payload proves (R-FWD-5)
//   badChecksumContentOk                                       re-encoded in its own version from the content the key proves
//   wrongBytesUnder on a blob strict reads right               re-encoded in its own form (one lz4 frame)
//   sidecarMissing (add_missing_sidecars)                      the canonical v1 sidecar
//   keyMismatch, corrupt, zeroLength                           quarantined with `quarantine`, else reported
//   tempLeftover, orphanSidecar                                quarantined with `quarantine`, else reported
#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "audit/findings.hpp"
#include "rewrite/rewrite_blob.hpp"

namespace casblob::rewrite {

enum class RepairAction { rewrite, quarantine, report };
std::string_view name(RepairAction a) noexcept;  // "rewrite", "quarantine", "report"

struct RepairItem {
  std::string path, flow, key;
  std::vector<audit::Finding> findings;
  RepairAction action = RepairAction::report;
  std::string plan;                 // one line: what is (or would be) done
  std::string outcome;              // "repaired", "quarantined", "planned", "left", "failed"
  std::vector<Step> steps;
  std::string message;
};

struct RepairOptions {
  bool apply = false;
  std::optional<std::string> quarantine;  // an absolute local folder outside every CAS prefix
  bool add_missing_sidecars = false;
  unsigned jobs = 0;                      // the audit's workers (0: the cores)
  std::vector<std::string> flows;
  std::string journal;                    // empty: none
  std::uint64_t max_size = kDefaultMaxSize;
  const std::atomic<bool>* stop = nullptr;
};

struct RepairReport {
  std::string root;
  bool apply = false, complete = true, interrupted = false;
  std::vector<RepairItem> items;                      // by path
  std::map<std::string, std::uint64_t> outcomes;      // by outcome
  std::map<std::string, std::uint64_t> not_repairs;   // finding ids repair does not act on
  std::uint64_t blobs = 0;
  double seconds = 0;
};

Result<RepairReport> run_repair(Storage& storage, const RepairOptions& opts);
std::string repair_text(const RepairReport& r);
std::string repair_json(const RepairReport& r);

}  // namespace casblob::rewrite
