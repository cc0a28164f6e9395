// The CLI's signal handling (F12): on SIGINT, SIGTERM, SIGHUP and SIGPIPE the temporary files
// of uncommitted outputs are removed, then the signal is re-raised with its default action, so
// the exit status still says which signal ended the process.
#pragma once

#include <atomic>

namespace casblob::cli {

void install_cleanup_handlers();

// For long runs over a store (audit, migrate, repair): the first SIGINT or SIGTERM sets `stop`
// (finish the blobs in hand, write what was asked for, exit 130); a second one removes the
// temporaries and dies of the signal, like every other subcommand.
void install_stop_handlers(std::atomic<bool>& stop);

}  // namespace casblob::cli
