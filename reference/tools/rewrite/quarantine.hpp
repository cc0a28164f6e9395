// The quarantine of casblob repair (git-lfs fsck's .git/lfs/bad): objects nothing proves, and
// leftovers (temporary files, sidecars without payload), moved out of the store into a local
// folder (Storage::move_to_quarantine), each with a JSON record of what it was, written before
// the move. Mirrors the store's layout: <DIR>/<Flow>/data/<kk>/<name>, and
// <DIR>/<Flow>/data/<kk>/<name>.casblob-quarantine.json. Nothing is ever deleted: moving the
// files back restores the store as it was.
#pragma once

#include <string>
#include <vector>

#include "audit/findings.hpp"
#include "casblob/store.hpp"

namespace casblob::rewrite {

struct QuarantineEntry {
  std::string path;                       // the object (a payload, a sidecar, a temporary file)
  std::vector<audit::Finding> findings;   // why
  bool with_sidecar = false;              // a payload: its sidecar file moves with it
};

// Writes the record, then moves the object (and its sidecar). Returns the paths moved.
Result<std::vector<std::string>> quarantine(Storage& storage, const std::string& dir, const QuarantineEntry& e);

}  // namespace casblob::rewrite
