// The audit itself: walks a datastore through the Storage interface only (local or s3://),
// with --jobs workers over (flow, <kk>) units and task-index units, and builds the report.
//
// Work is cut into units: one per (flow, <kk> folder in the shard) and one per run (its task
// indexes). Workers pull units in order; each worker owns one BlobChecker (buffers and readers
// reused blob after blob). Reachability and space per run are resolved once every unit of a
// flow is done: a key belongs to exactly one shard, and that shard sees every reference to it.
#pragma once

#include "audit/options.hpp"
#include "audit/report.hpp"
#include "casblob/store.hpp"

namespace casblob::audit {

// Errors: usage (a --flow that is not a flow name, a bad shard or sample); not_found (ROOT is
// not a datastore, or a --flow is not in it); io_error (ROOT cannot be listed).
Result<AuditReport> run_audit(Storage& storage, const AuditOptions& opts);

// The "suggest" list of a report: next commands, most useful first.
std::vector<std::string> suggestions(const AuditReport& r, const std::string& root_arg);

}  // namespace casblob::audit
