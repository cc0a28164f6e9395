// The CLI's signal handling (F12): on SIGINT, SIGTERM, SIGHUP and SIGPIPE the temporary files
// of uncommitted outputs are removed, then the signal is re-raised with its default action, so
// the exit status still says which signal ended the process.
#pragma once

namespace casblob::cli {

void install_cleanup_handlers();

}  // namespace casblob::cli
