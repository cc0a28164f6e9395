// The exit codes of casblob audit, doctor and audit-merge: one table, used by the CLI and
// printed into the README's table (ctest "audit: README exit codes" compares them).
#pragma once

#include <span>
#include <string_view>

namespace casblob::audit {

enum class Exit : int {
  clean = 0,          // no error-severity finding
  errors = 1,         // at least one error-severity finding
  usage = 2,          // bad arguments
  incomplete = 3,     // some objects could not be listed or read (unreadable findings)
  not_a_store = 10,   // ROOT is not a Metaflow datastore (no <Flow>/data folder)
  interrupted = 130,  // SIGINT/SIGTERM: the report written is partial
};

struct ExitInfo {
  Exit code;
  std::string_view meaning;
};
std::span<const ExitInfo> all_exit_codes() noexcept;

}  // namespace casblob::audit
