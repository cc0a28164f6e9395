#include "casblob/io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace casblob {
namespace {

Error os_error(const std::string& what, const std::string& path, int err) {
  return Error(err == ENOENT ? Errc::not_found : Errc::io_error,
               what + " " + path + ": " + std::strerror(err));
}

}  // namespace

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

Result<FileSource> FileSource::open(const std::string& path) {
  if (path == "-") return FileSource(STDIN_FILENO, false, -1);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return os_error("cannot open", path, errno);
  struct stat st {};
  std::int64_t size = -1;
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return Error(Errc::io_error, "cannot read " + path + ": is a directory");
    }
    if (S_ISREG(st.st_mode)) size = st.st_size;
  }
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  return FileSource(fd, true, size);
}

FileSource::FileSource(FileSource&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)), owned_(std::exchange(o.owned_, false)), size_hint_(o.size_hint_) {}

FileSource::~FileSource() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

Result<std::size_t> FileSource::read(std::span<std::uint8_t> buf) {
  for (;;) {
    ssize_t n = ::read(fd_, buf.data(), buf.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno != EINTR) return Error(Errc::io_error, std::string("read failed: ") + std::strerror(errno));
  }
}

Result<AtomicFileSink> AtomicFileSink::create(const std::string& path) {
  AtomicFileSink s;
  s.path_ = path;
  if (path == "-") {
    s.fd_ = STDOUT_FILENO;
    s.is_stdout_ = true;
    return s;
  }
  // spec 10.6: a temporary name in the target's own directory, so rename() is atomic.
  std::string tmpl = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return os_error("cannot create a temporary file beside", path, errno);
  ::fchmod(fd, 0644);
  s.fd_ = fd;
  s.tmp_path_ = tmpl;
  return s;
}

AtomicFileSink::AtomicFileSink(AtomicFileSink&& o) noexcept
    : fd_(std::exchange(o.fd_, -1)),
      path_(std::move(o.path_)),
      tmp_path_(std::move(o.tmp_path_)),
      committed_(std::exchange(o.committed_, true)),
      is_stdout_(o.is_stdout_) {}

AtomicFileSink::~AtomicFileSink() {
  if (is_stdout_) return;
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !tmp_path_.empty()) ::unlink(tmp_path_.c_str());
}

Status AtomicFileSink::write(ByteView data) {
  const std::uint8_t* p = data.data();
  std::size_t left = data.size();
  while (left) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(Errc::io_error, "write to " + path_ + " failed: " + std::strerror(errno));
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  return {};
}

Status AtomicFileSink::commit() { return commit_as(path_); }

Status AtomicFileSink::commit_as(const std::string& path) {
  if (is_stdout_ || committed_) return {};
  path_ = path;
  int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return os_error("cannot close", tmp_path_, errno);
  if (::rename(tmp_path_.c_str(), path_.c_str()) != 0) return os_error("cannot rename into", path_, errno);
  committed_ = true;
  return {};
}

Result<Bytes> read_file(const std::string& path) {
  auto src = FileSource::open(path);
  if (!src) return src.error();
  Bytes out;
  if (src->size_hint() > 0) out.reserve(static_cast<std::size_t>(src->size_hint()));
  std::uint8_t buf[65536];
  for (;;) {
    auto n = src->read(buf);
    if (!n) return n.error();
    if (*n == 0) break;
    out.insert(out.end(), buf, buf + *n);
  }
  return out;
}

}  // namespace casblob
