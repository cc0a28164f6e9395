#include "common/os_error.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace casblob::detail {

Error os_error(const std::string& what, const std::string& path, int err, Errc enoent_as) {
  return Error(err == ENOENT ? enoent_as : Errc::io_error, what + " " + path + ": " + std::strerror(err));
}

std::string file_type_name(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a regular file";
}

Result<bool> rename_noreplace(int from_dir, const std::string& from, int to_dir, const std::string& to,
                              const std::string& shown_as) {
  if (::renameat2(from_dir, from.c_str(), to_dir, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
    return os_error("cannot rename into", shown_as, errno, Errc::io_error);
  // The filesystem has no RENAME_NOREPLACE: link(2) never replaces either.
  if (::linkat(from_dir, from.c_str(), to_dir, to.c_str(), 0) != 0) {
    if (errno == EEXIST) return false;
    return os_error("cannot link into", shown_as, errno, Errc::io_error);
  }
  ::unlinkat(from_dir, from.c_str(), 0);
  return true;
}

}  // namespace casblob::detail
