// The exit codes of casblob migrate and repair: the one table (README's copy is generated from
// it: `casblob migrate --list-exit-codes`, checked by ctest).
#pragma once

#include <span>
#include <string_view>

namespace casblob::rewrite {

enum class Exit {
  done = 0,         // every blob examined is in the target or was rewritten (dry run: planned)
  left = 1,         // some blobs were left as they are: nothing proves them (damaged)
  usage = 2,        // bad arguments
  incomplete = 3,   // some objects could not be listed, read or written: run again
  not_a_store = 10, // ROOT is not a Metaflow datastore, or a --flow is absent
  interrupted = 130 // SIGINT, SIGTERM: the blobs in hand were finished, the journal says where
};

struct ExitInfo {
  Exit code;
  std::string_view meaning;
};
std::span<const ExitInfo> exit_table() noexcept;

}  // namespace casblob::rewrite
