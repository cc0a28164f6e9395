// How a reader opens a payload, sidecar or task index (internal): one set of flags for every
// way of opening one (FileSource::open_at's openat, LocalStorage's openat2).
#pragma once

#include <fcntl.h>

namespace casblob::detail {

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer for ever (R-SEC-6,
// spec 10.7); the type is then checked on the descriptor (FileSource::adopt_opened), so nothing
// can swap the file in between. O_NOFOLLOW unless `follow`: no link inside a datastore (R-SEC-5).
constexpr int read_open_flags(bool follow) { return O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (follow ? 0 : O_NOFOLLOW); }

}  // namespace casblob::detail
