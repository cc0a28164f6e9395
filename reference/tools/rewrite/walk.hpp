// The blobs of a datastore for a rewrite, through Storage only: flows (folders with a
// <Flow>/data CAS prefix), their <kk> folders (the units the workers share), the blobs in each
// (the audit's layout rules: audit/layout.hpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "audit/blob_check.hpp"

namespace casblob::rewrite {

struct Unit {
  std::string flow, kk;
  std::string dir() const { return cas_prefix(flow) + "/" + kk; }
};

// The units of `flows` (every flow when empty), in order. not_found: ROOT is no datastore or a
// flow is absent; usage: a name that is no flow name.
Result<std::vector<Unit>> list_units(Storage& storage, const std::vector<std::string>& flows);

// The blobs of one unit, sorted by key (sidecars, temporary and stray files are not blobs).
Result<std::vector<audit::BlobRef>> list_blobs(Storage& storage, const Unit& unit);

}  // namespace casblob::rewrite
