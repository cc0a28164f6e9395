// audit-merge: the JSON reports of `audit --shard K/N` runs joined into one report of the
// whole store. Each key belongs to exactly one shard, so counts, space, readers, findings and
// gc candidates add up; the shards must be of one root, level and shard count.
#pragma once

#include <vector>

#include "audit/report.hpp"
#include "casblob/error.hpp"

namespace casblob::audit {

// usage when the reports do not belong together (another root, level, sample or shard count,
// a shard twice). A missing shard makes the result incomplete, not an error.
Result<AuditReport> merge_reports(std::vector<AuditReport> shards);

}  // namespace casblob::audit
