// The temporary files this process has open (AtomicFileSink), so that a signal handler can
// remove them before the process dies (spec 10.6): a fixed table, no allocation, async-signal-
// safe to read. Internal; the public entry point is remove_pending_temporaries() (io.hpp).
#pragma once

#include <string>

namespace casblob::detail {

struct TempRegistry {
  // Best effort: with every slot taken the file is not registered (its name still marks it).
  static void add(int dir_fd, const std::string& name) noexcept;
  static void remove(int dir_fd, const std::string& name) noexcept;
  static void unlink_all() noexcept;  // async-signal-safe
};

}  // namespace casblob::detail
