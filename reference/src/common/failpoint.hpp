// Fault injection for crash tests (issue 16 item 4): CASBLOB_FAILPOINT="<op>:<n>" kills the
// process with SIGKILL right after its n-th <op>, where <op> is `write` (one write(2) of a
// file the library is writing), `fsync` (of a file or directory) or `rename` (of a temporary
// file into place). A test runs a command once per n and checks the store each time: every
// state a crash can leave is then reached deterministically, not by timing. Unset (always, in
// production), each call is one load of a cached flag. Internal.
#pragma once

namespace casblob::detail {

enum class FailOp { write, fsync, rename };

// Counts `op`; dies when CASBLOB_FAILPOINT names this op and count.
void failpoint(FailOp op) noexcept;

}  // namespace casblob::detail
