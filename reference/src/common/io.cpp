#include "casblob/io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <utility>

#include "common/failpoint.hpp"
#include "common/os_error.hpp"
#include "common/read_open_flags.hpp"
#include "common/temp_registry.hpp"

namespace casblob {

Result<std::size_t> MemorySource::read(std::span<std::uint8_t> buf) {
  std::size_t n = std::min(buf.size(), data_.size() - pos_);
  if (n) std::memcpy(buf.data(), data_.data() + pos_, n);
  pos_ += n;
  return n;
}

Status MemorySink::write(ByteView data) {
  bytes_.insert(bytes_.end(), data.begin(), data.end());
  return {};
}

// ---- FileSource -----------------------------------------------------------------------------

Result<FileSource> FileSource::open(const std::string& path) { return open_at(AT_FDCWD, path, path, true); }

// R-SEC-6.
std::string FileSource::ShownName::str() const {
  std::string s;
  s.reserve(base.size() + 1 + rel.size() + suffix.size());
  s += base;
  if (!rel.empty()) s.append("/").append(rel);
  s += suffix;
  return s;
}

Result<FileSource> FileSource::open_at(int dir_fd, const std::string& name, const std::string& shown_as, bool follow) {
  return open_at(dir_fd, name.c_str(), ShownName{shown_as, {}, {}}, follow);
}

Result<FileSource> FileSource::open_at(int dir_fd, const char* name, const ShownName& shown, bool follow) {
  int fd = ::openat(dir_fd, name, detail::read_open_flags(follow));
  if (fd < 0) {
    const int err = errno;
    if (err == ELOOP && !follow)
      return Error(Errc::io_error, "cannot read " + shown.str() + ": a symbolic link inside a datastore is refused");
    return detail::os_error("cannot open", shown.str(), err);
  }
  return adopt_opened(fd, shown);
}

Result<FileSource> FileSource::adopt_opened(int fd, const ShownName& shown) {
  FileSource src(fd, true);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int err = errno;  // before str() allocates
    return detail::os_error("cannot stat", shown.str(), err);
  }
  if (!S_ISREG(st.st_mode))
    return Error(Errc::io_error, "cannot read " + shown.str() + ": " + detail::file_type_name(st.st_mode) +
                                     ", not a regular file");
  // O_NONBLOCK stays set: it "has no effect for regular files" (open(2)), so reads of the
  // regular file this now is behave as usual, and clearing it would cost a syscall per file
  // (an audit opens two per blob).
  src.size_ = static_cast<std::uint64_t>(st.st_size);
  src.mtime_ns_ = std::int64_t{st.st_mtim.tv_sec} * 1000000000 + st.st_mtim.tv_nsec;
#ifdef POSIX_FADV_SEQUENTIAL
  // Read-ahead advice matters for files read in many chunks, not for a sidecar or small blob.
  if (src.size_ > kDefaultChunk) ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return src;
}

FileSource FileSource::adopt(int fd, bool owned) { return FileSource(fd, owned); }

FileSource::FileSource(FileSource&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      owned_(std::exchange(o.owned_, false)),
      size_(o.size_),
      mtime_ns_(o.mtime_ns_),
      pos_(o.pos_),
      at_end_(o.at_end_) {}

FileSource::~FileSource() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

Result<std::size_t> FileSource::read(std::span<std::uint8_t> buf) {
  if (at_end_) return std::size_t{0};
  for (;;) {
    ssize_t n = ::read(fd_, buf.data(), buf.size());
    if (n >= 0) {
      pos_ += static_cast<std::uint64_t>(n);
      // A regular file returns fewer bytes than asked only at its end (or when a signal cut the
      // read short: then the end would not coincide with the size): a short read that ends
      // exactly at the size fstat gave is the end, and the next read() could only return 0.
      // Skipping it saves a syscall per file read whole (an audit reads two files per blob).
      // A file that grew since fstat reads past that size and is read on as usual.
      if (static_cast<std::size_t>(n) < buf.size() && size_ && pos_ == *size_) at_end_ = true;
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) return Error(Errc::io_error, std::string("read failed: ") + std::strerror(errno));
  }
}

// ---- AtomicFileSink -------------------------------------------------------------------------

namespace {

std::pair<std::string, std::string> split_dir(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

Status fsync_dir(int dir_fd, const std::string& shown_as) {
  // Some filesystems cannot fsync a directory (EINVAL): the rename is then as durable as that
  // filesystem makes it.
  if (::fsync(dir_fd) != 0 && errno != EINVAL)
    return detail::os_error("cannot fsync the directory of", shown_as, errno, Errc::io_error);
  detail::failpoint(detail::FailOp::fsync);
  return {};
}

}  // namespace

Result<AtomicFileSink> AtomicFileSink::create(const std::string& path, Durability d) {
  auto [dir, name] = split_dir(path);
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return detail::os_error("cannot open the directory of", path, errno, Errc::io_error);
  auto s = create_in(dir_fd, name, path, d);
  ::close(dir_fd);
  return s;
}

Result<AtomicFileSink> AtomicFileSink::create_in(int dir_fd, const std::string& name, const std::string& shown_as,
                                                 Durability d) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}() ^ (std::uint64_t(::getpid()) << 32)};
  AtomicFileSink s;
  s.name_ = name;
  s.shown_as_ = shown_as;
  s.durability_ = d;
  s.dir_fd_ = ::fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  if (s.dir_fd_ < 0) return detail::os_error("cannot open the directory of", shown_as, errno, Errc::io_error);
  // The commit renames over the target: only a regular file (or a link, itself replaced) may be
  // there. A device, FIFO, socket or folder would be replaced by a regular file: /dev/null, for
  // a process run as root (spec 10.6).
  struct stat existing;
  if (::fstatat(dir_fd, name.c_str(), &existing, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(existing.st_mode) &&
      !S_ISLNK(existing.st_mode))
    return Error(Errc::io_error, shown_as + " exists and is not a regular file: an atomic write would replace it");
  // O_EXCL and mode 0666, so that the kernel applies the process umask (mkstemp would force
  // 0600; a fixed fchmod would ignore the umask). Name length: keep within NAME_MAX.
  const std::string stem = "." + name.substr(0, 200) + std::string(kTempMarker);
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string tmp = stem;
    for (int i = 0; i < 6; ++i) tmp += kAlphabet[rng() % (sizeof kAlphabet - 1)];
    int fd = ::openat(s.dir_fd_, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd >= 0) {
      s.fd_ = fd;
      s.tmp_name_ = std::move(tmp);
      detail::TempRegistry::add(s.dir_fd_, s.tmp_name_);
      return s;
    }
    if (errno != EEXIST) return detail::os_error("cannot create a temporary file beside", shown_as, errno, Errc::io_error);
  }
  return Error(Errc::io_error, "cannot create a temporary file beside " + shown_as + ": every name tried exists");
}

AtomicFileSink::AtomicFileSink(AtomicFileSink&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      dir_fd_(std::exchange(o.dir_fd_, -1)),
      name_(std::move(o.name_)),
      shown_as_(std::move(o.shown_as_)),
      tmp_name_(std::exchange(o.tmp_name_, std::string())),
      durability_(o.durability_),
      synced_(o.synced_),
      committed_(std::exchange(o.committed_, true)) {}

void AtomicFileSink::forget_temp() {
  detail::TempRegistry::remove(dir_fd_, tmp_name_);
  tmp_name_.clear();
}

AtomicFileSink::~AtomicFileSink() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !tmp_name_.empty()) {
    ::unlinkat(dir_fd_, tmp_name_.c_str(), 0);
    forget_temp();
  }
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

Status AtomicFileSink::write(ByteView data) {
  if (committed_) return Error(Errc::usage, "write to " + shown_as_ + " after commit");
  const std::uint8_t* p = data.data();
  std::size_t left = data.size();
  synced_ = false;
  while (left) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return detail::os_error("cannot write", shown_as_, errno, Errc::io_error);
    }
    detail::failpoint(detail::FailOp::write);
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return {};
}

// spec 10.6 / R-KEY-4: the data reaches the disk before the name does, so that a power loss
// leaves the old state or the new one, never a renamed empty file (hazard H-EMPTY).
Status AtomicFileSink::sync_for_commit() {
  if (committed_) return Error(Errc::usage, "second commit of " + shown_as_);
  if (durability_ == Durability::machine && !synced_) {
    if (::fsync(fd_) != 0) return detail::os_error("cannot fsync", shown_as_, errno, Errc::io_error);
    detail::failpoint(detail::FailOp::fsync);
    synced_ = true;
  }
  return {};
}

Status AtomicFileSink::commit() {
  auto r = commit_to(dir_fd_, name_, shown_as_, true);
  return r ? Status{} : Status{r.error()};
}

Result<bool> AtomicFileSink::commit_to(int dir_fd, const std::string& name, const std::string& shown_as,
                                       bool replace) {
  CASBLOB_TRY(sync_for_commit());
  if (replace) {
    if (::renameat(dir_fd_, tmp_name_.c_str(), dir_fd, name.c_str()) != 0)
      return detail::os_error("cannot rename into", shown_as, errno, Errc::io_error);
  } else {
    auto placed = detail::rename_noreplace(dir_fd_, tmp_name_, dir_fd, name, shown_as);
    if (!placed) return placed.error();
    if (!*placed) return false;
  }
  detail::failpoint(detail::FailOp::rename);
  committed_ = true;
  forget_temp();
  if (::close(std::exchange(fd_, -1)) != 0)  // data already synced or durability=process
    return detail::os_error("cannot close", shown_as, errno, Errc::io_error);
  if (durability_ == Durability::machine) CASBLOB_TRY(fsync_dir(dir_fd, shown_as));
  return true;
}

// ---- read_file ------------------------------------------------------------------------------

Result<Bytes> read_file(const std::string& path, std::uint64_t max_bytes) {
  auto src = FileSource::open(path);
  if (!src) return src.error();
  Bytes out;
  if (auto n = src->size_hint(); n && *n > max_bytes)
    return Error(Errc::io_error, path + " is " + std::to_string(*n) + " bytes, more than the " +
                                     std::to_string(max_bytes) + " allowed");
  if (auto n = src->size_hint()) out.reserve(static_cast<std::size_t>(*n));
  std::uint8_t buf[16384];
  for (;;) {
    auto n = src->read(buf);
    if (!n) return n.error();
    if (*n == 0) break;
    // The size can grow while we read: the bound holds on what is read, not on fstat.
    if (out.size() + *n > max_bytes)
      return Error(Errc::io_error, path + " is longer than the " + std::to_string(max_bytes) + " bytes allowed");
    out.insert(out.end(), buf, buf + *n);
  }
  return out;
}

}  // namespace casblob
