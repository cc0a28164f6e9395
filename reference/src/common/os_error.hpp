// Operating-system failures as error values (internal).
#pragma once

#include <sys/types.h>

#include <string>

#include "casblob/error.hpp"

namespace casblob::detail {

// "<what> <path>: <strerror>". ENOENT becomes `enoent_as`: not_found where the caller asked for
// an object that may legitimately be absent (a blob, a sidecar), io_error elsewhere (a missing
// output directory is not an absent blob, spec 9.1).
Error os_error(const std::string& what, const std::string& path, int err, Errc enoent_as = Errc::not_found);

// "a FIFO", "a directory", ... for messages.
std::string file_type_name(mode_t mode);

// renameat() that never replaces `to`: false when a file is there (renameat2
// RENAME_NOREPLACE, or link + unlink on filesystems without it).
Result<bool> rename_noreplace(int from_dir, const std::string& from, int to_dir, const std::string& to,
                              const std::string& shown_as);

}  // namespace casblob::detail
